# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The clocks through a ticket's whole life: status and filters that agree, calendars
that change, contracts that start and end, escalations that clean up after
themselves."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SlaCase, madrid


@tagged("post_install", "-at_install")
class TestStatusAndCalendars(SlaCase):
    def test_late_response_with_resolution_running_is_breached_everywhere(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        # Grave: answered at 14:00, 4 h target from 9:00 -> due 13:00: missed.
        with freeze_time(madrid(2026, 3, 9, 15, 30)):
            ticket.with_user(self.agent).message_post(
                body="Lo estamos mirando.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(self.clock(ticket, "response").state, "missed")
            self.assertEqual(self.clock(ticket, "resolution").state, "running")
            ticket.invalidate_recordset(["sla_status", "sla_breached"])
            self.assertEqual(ticket.sla_status, "missed")
            self.assertTrue(ticket.sla_breached)
            found = self.env["helpdesk.ticket"].search(
                [("id", "=", ticket.id), ("sla_breached", "=", True)]
            )
            self.assertEqual(found, ticket)

    def test_calendar_without_working_time_names_the_calendar(self):
        empty = self.env["resource.calendar"].create(
            {
                "name": "Horario caducado",
                "tz": "Europe/Madrid",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": "Lunes",
                            "dayofweek": "0",
                            "hour_from": 9,
                            "hour_to": 13,
                            "date_to": "2025-12-31",
                        }
                    )
                ],
            }
        )
        self.contract.calendar_id = empty
        with (
            freeze_time(madrid(2026, 3, 9, 9, 0)),
            self.assertRaises(UserError) as caught,
        ):
            self.new_ticket(priority="2")
        self.assertIn("Horario caducado", str(caught.exception))
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("partner_id", "=", self.contact.id)])
        )

    def test_two_week_calendar_attendance_without_week_counts_as_odoo_does(self):
        """Odoo 17 reads an attendance without a week type in a two-week calendar as
        week 0 (``int(False)``): the SLA deadlines agree with ``plan_hours``."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Dos semanas",
                "tz": "Europe/Madrid",
                "two_weeks_calendar": True,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 13,
                            "week_type": False,
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        self.contract.calendar_id = calendar
        for start in (madrid(2026, 3, 9, 9, 0), madrid(2026, 3, 16, 9, 0)):
            with freeze_time(start):
                ticket = self.new_ticket(priority="1")
            expected = calendar.plan_hours(6, start, compute_leaves=True)
            self.assertEqual(ticket.sla_response_deadline, expected)
