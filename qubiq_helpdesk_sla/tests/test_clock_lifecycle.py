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


@tagged("post_install", "-at_install")
class TestLifecycleEvents(SlaCase):
    def history(self, ticket):
        return ticket.sla_history_ids.filtered(lambda h: h.reason == "retarget")

    def test_activating_a_contract_makes_open_tickets_contractual(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2", partner=self.other_customer)
        # No contract: Grave 4 h x 1.5 = 6 h indicative -> 9:00 + 6 h = 16:00.
        self.assertTrue(ticket.sla_indicative)
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 16, 0))
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            contract = self.env["qubiq.support.contract"].create(
                {
                    "name": "Mantenimiento Sierra Alta",
                    "partner_id": self.other_customer.id,
                    "policy_id": self.policy.id,
                    "date_start": "2026-03-09",
                }
            )
            contract.action_activate()
        self.assertFalse(ticket.sla_indicative)
        self.assertEqual(ticket.sla_contract_id, contract)
        # Contractual: 4 h from the reception at 9:00 -> 13:00.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 13, 0))
        line = self.history(ticket).filtered(lambda h: h.kind == "response")
        self.assertEqual(
            line.description, "Contract Mantenimiento Sierra Alta activated"
        )
        self.assertEqual(line.old_deadline, madrid(2026, 3, 9, 16, 0))
        self.assertEqual(line.new_deadline, madrid(2026, 3, 9, 13, 0))

    def test_expired_contract_keeps_the_tickets_received_under_it(self):
        self.contract.date_end = "2026-03-31"
        with freeze_time(madrid(2026, 3, 31, 16, 0)):
            ticket = self.new_ticket(priority="1")
        deadline = ticket.sla_resolution_deadline
        with freeze_time(madrid(2026, 4, 1, 9, 0)):
            self.env["qubiq.support.contract"]._cron_expire()
            self.assertEqual(self.contract.state, "expired")
            # Later re-targets (a priority change) still count it as contractual.
            ticket.priority = "1"
            ticket.with_user(self.agent).type_id = self.consulta
        self.assertFalse(ticket.sla_indicative)
        self.assertEqual(ticket.sla_contract_id, self.contract)
        self.assertEqual(ticket.sla_resolution_deadline, deadline)
        self.assertIn(
            "expired on",
            " ".join(self.history(ticket).mapped("description")),
        )

    def test_holiday_added_and_removed_moves_open_deadlines(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
            closed = self.new_ticket(priority="2")
            closed.stage_id = self.stage_done
        # Grave: resolution 48 h from Monday 9 March 9:00 -> Tuesday 17 March 9:00.
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 17, 9, 0))
        closed_deadline = self.clock(closed, "resolution").deadline
        with freeze_time(madrid(2026, 3, 10, 9, 0)):
            holiday = self.env["resource.calendar.leaves"].create(
                {
                    "name": "San José",
                    "date_from": madrid(2026, 3, 13),
                    "date_to": madrid(2026, 3, 14),
                    "time_type": "leave",
                }
            )
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 18, 9, 0))
        line = self.history(ticket).filtered(lambda h: h.kind == "resolution")
        self.assertIn("San José", line.description)
        self.assertIn("added as a holiday", line.description)
        self.assertEqual(self.clock(closed, "resolution").deadline, closed_deadline)
        with freeze_time(madrid(2026, 3, 10, 10, 0)):
            holiday.unlink()
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 17, 9, 0))

    def test_calendar_and_policy_changes_retarget(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 13, 0))
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            # Monday morning now starts at 10:00: one hour less on Monday.
            self.calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and a.hour_from == 8.5
            ).hour_from = 10
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 14, 0))
        self.assertIn(
            "Working hours Soporte L-V 8:30-17:30 changed",
            self.history(ticket).mapped("description"),
        )
        with freeze_time(madrid(2026, 3, 9, 11, 0)):
            self.policy.line_ids.filtered(
                lambda l: l.priority == "2"
            ).response_target = 2
        # 2 h from 10:00 (the new Monday start) -> 12:00.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 12, 0))
        self.assertIn(
            "SLA policy Mantenimiento changed",
            self.history(ticket).mapped("description"),
        )

    def test_history_reads_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        with freeze_time(madrid(2026, 3, 10, 9, 0)):
            self.env["resource.calendar.leaves"].with_context(lang="es_ES").create(
                {
                    "name": "San José",
                    "date_from": madrid(2026, 3, 13),
                    "date_to": madrid(2026, 3, 14),
                    "time_type": "leave",
                }
            )
        line = self.history(ticket).filtered(lambda h: h.kind == "resolution")
        self.assertIn("añadido como festivo", line.description)


@tagged("post_install", "-at_install")
class TestNextReply(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Grave: each customer message after the first answer within 2 h.
        cls.policy.line_ids.filtered(lambda l: l.priority == "2").next_reply_target = 2

    def post(self, ticket, when, customer=False):
        with freeze_time(when):
            if customer:
                ticket.message_post(
                    body="Sigue fallando con la factura 5.",
                    author_id=self.contact.id,
                    message_type="email",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                ticket.with_user(self.agent).message_post(
                    body="Revisado, prueba ahora.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    def replies(self, ticket):
        return ticket.sla_clock_ids.filtered(lambda c: c.kind == "reply").sorted("id")

    def test_each_customer_message_after_the_first_answer_gets_a_reply_target(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        # Before the first answer the response clock is the target.
        self.post(ticket, madrid(2026, 3, 9, 9, 15), customer=True)
        self.assertFalse(self.replies(ticket))
        self.post(ticket, madrid(2026, 3, 9, 9, 30))
        self.post(ticket, madrid(2026, 3, 9, 15, 30), customer=True)
        reply = self.replies(ticket)
        self.assertEqual(len(reply), 1)
        # 2 working hours from 15:30 -> 17:30.
        self.assertEqual(reply.deadline, madrid(2026, 3, 9, 17, 30))
        self.assertEqual(ticket.sla_reply_deadline, madrid(2026, 3, 9, 17, 30))
        self.assertEqual(ticket.sla_deadline, madrid(2026, 3, 9, 17, 30))
        # A second message before the answer keeps the first one's target.
        self.post(ticket, madrid(2026, 3, 9, 16, 0), customer=True)
        self.assertEqual(len(self.replies(ticket)), 1)
        # Answered the next morning at 9:00: 30 working minutes late (closes 17:30).
        self.post(ticket, madrid(2026, 3, 10, 9, 0))
        self.assertEqual(reply.state, "missed")
        self.assertEqual(reply.reached_minutes, 120 + 30)
        self.assertNotEqual(ticket.sla_deadline, madrid(2026, 3, 9, 17, 30))
        # The next customer message starts a new one.
        self.post(ticket, madrid(2026, 3, 10, 10, 0), customer=True)
        self.assertEqual(len(self.replies(ticket)), 2)
        self.assertEqual(self.replies(ticket)[-1].deadline, madrid(2026, 3, 10, 12, 0))

    def test_priority_change_retargets_the_waiting_reply(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        self.post(ticket, madrid(2026, 3, 9, 9, 30))
        self.post(ticket, madrid(2026, 3, 9, 10, 0), customer=True)
        self.assertEqual(ticket.sla_reply_deadline, madrid(2026, 3, 9, 12, 0))
        with freeze_time(madrid(2026, 3, 9, 10, 30)):
            ticket.priority = "1"  # no next-reply target for Normal
        self.assertEqual(self.replies(ticket).state, "cancelled")
        self.assertFalse(ticket.sla_reply_deadline)
