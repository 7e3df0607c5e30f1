# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from .sla_engine import Attendance, WorkCalendar

# A change of one of these moves the calendar's working time.
WATCHED = ("tz", "two_weeks_calendar")


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        if set(WATCHED) & set(vals):
            self._sla_retarget()
        return res

    def _sla_retarget(self):
        """Re-target the open SLA clocks counted on these calendars (their
        attendances, time zone or weeks changed)."""
        Clock = self.env["qubiq.sla.clock"]
        for calendar in self:
            Clock._retarget_where(
                [("calendar_id", "=", calendar.id)],
                _("Working hours %s changed", calendar.display_name),
                resync=False,
            )

    def _sla_work_calendars(self):
        """{calendar id: sla_engine.WorkCalendar} for these calendars, in two queries.

        Mirrors what ``plan_hours(..., compute_leaves=True)`` takes into account without
        a resource: the calendar's attendances (lunch periods and section lines
        excluded) and the leaves without resource whose calendar is this one or none
        (public holidays).
        """
        if not self:
            return {}
        attendances = self.env["resource.calendar.attendance"].search_read(
            [
                ("calendar_id", "in", self.ids),
                ("resource_id", "=", False),
                ("display_type", "=", False),
                ("day_period", "!=", "lunch"),
            ],
            ["calendar_id", "dayofweek", "hour_from", "hour_to", "week_type"]
            + ["date_from", "date_to"],
        )
        leaves = self.env["resource.calendar.leaves"].search_read(
            [
                ("resource_id", "=", False),
                ("time_type", "=", "leave"),
                "|",
                ("calendar_id", "in", self.ids),
                ("calendar_id", "=", False),
            ],
            ["calendar_id", "date_from", "date_to"],
        )
        result = {}
        for calendar in self:
            rows = [a for a in attendances if a["calendar_id"][0] == calendar.id]
            holidays = [
                (leave["date_from"], leave["date_to"])
                for leave in leaves
                if not leave["calendar_id"] or leave["calendar_id"][0] == calendar.id
            ]
            result[calendar.id] = WorkCalendar(
                [
                    Attendance(
                        int(row["dayofweek"]),
                        row["hour_from"],
                        row["hour_to"],
                        int(row["week_type"]) if calendar.two_weeks_calendar else None,
                        row["date_from"] or None,
                        row["date_to"] or None,
                    )
                    for row in rows
                ],
                calendar.tz or "UTC",
                holidays,
                two_weeks=calendar.two_weeks_calendar,
            )
        return result
