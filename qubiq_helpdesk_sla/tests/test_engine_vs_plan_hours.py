# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged

from ..models import sla_engine
from .common import SlaCase, madrid


@tagged("post_install", "-at_install")
class TestEngineAgreesWithPlanHours(SlaCase):
    """The engine must give, to the second, what resource.calendar.plan_hours gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.split = cls.env["resource.calendar"].create(
            {
                "name": "Turno partido",
                "tz": "Europe/Madrid",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8.0, 12.0, "morning"),
                        (14.0, 17.5, "afternoon"),
                    )
                ],
            }
        )
        cls.standard = cls.env.ref("resource.resource_calendar_std")
        # More holidays, some inside DST changes and on weekends.
        for day in (
            "2026-01-01",
            "2026-03-27",
            "2026-10-26",
            "2026-12-25",
            "2027-01-06",
        ):
            start = madrid(*map(int, day.split("-")))
            cls.env["resource.calendar.leaves"].create(
                {
                    "name": day,
                    "date_from": start,
                    "date_to": start + timedelta(days=1),
                    "time_type": "leave",
                }
            )

    def test_random_cases_agree_to_the_second(self):
        rng = random.Random(20261122)
        calendars = self.calendar | self.split | self.standard
        engines = calendars._sla_work_calendars()
        origin = datetime(2025, 12, 1)
        cases = 0
        for calendar in calendars:
            timeline = sla_engine.Timeline(
                engines[calendar.id], sla_engine.to_ts(origin), sla_engine.to_ts(origin)
            )
            for _i in range(700):
                start = origin + timedelta(minutes=rng.randrange(0, 400 * 24 * 60))
                hours = (
                    rng.choice([0.5, 2, 4, 6, 24, 48, 52, 60])
                    + rng.randrange(0, 60) / 60
                )
                expected = calendar.plan_hours(hours, start, compute_leaves=True)
                found = sla_engine.from_ts(
                    timeline.add(sla_engine.to_ts(start), hours * 3600)
                )
                self.assertAlmostEqual(
                    (found - expected).total_seconds(),
                    0,
                    delta=1,
                    msg=f"{calendar.name}: {start} + {hours} h",
                )
                cases += 1
        self.assertEqual(cases, 2100)
