# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.helpdesk_ticket_waiting import elapsed_working_days
from .common import madrid
from .test_customer_mails import CustomerMailCase


@tagged("post_install", "-at_install")
class TestWaitingCustomer(CustomerMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({"waiting_reminder_days": 2, "waiting_close_days": 5})
        cls.reminder = cls.env.ref(
            "qubiq_helpdesk_sla.mail_template_ticket_waiting_reminder"
        )

    def waiting_ticket(self, when, partner=None):
        """A backend ticket (no acknowledgement) put to wait for the customer."""
        with freeze_time(when):
            ticket = self.new_ticket(partner=partner)
            ticket.with_user(self.agent).stage_id = self.stage_waiting
        return ticket

    def run_cron(self, when):
        with freeze_time(when):
            self.env["helpdesk.ticket"]._sla_cron_waiting_customer()

    def test_elapsed_working_days(self):
        days = [date(2026, 3, d) for d in (9, 10, 11, 12, 13, 16)]
        self.assertEqual(elapsed_working_days(days, date(2026, 3, 6)), 6)
        self.assertEqual(elapsed_working_days(days, date(2026, 3, 11)), 3)
        self.assertEqual(elapsed_working_days(days, date(2026, 3, 16)), 0)

    def test_off_by_default(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Otro equipo"})
        self.assertEqual((team.waiting_reminder_days, team.waiting_close_days), (0, 0))
        self.assertTrue(team.acknowledge_tickets)
        self.team.write({"waiting_reminder_days": 0, "waiting_close_days": 0})
        ticket = self.waiting_ticket(madrid(2026, 3, 2, 10, 0))
        self.run_cron(madrid(2026, 4, 20, 8, 0))
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.assertFalse(self.mails_to(self.contact, ticket))

    def test_reminder_after_working_days_once_per_wait(self):
        # Waiting since Friday 6 March: Monday and Tuesday make two working days.
        ticket = self.waiting_ticket(madrid(2026, 3, 6, 10, 0))
        self.run_cron(madrid(2026, 3, 10, 23, 0))  # Tuesday not over in Madrid
        self.assertFalse(self.mails_to(self.contact, ticket))
        self.run_cron(madrid(2026, 3, 11, 6, 0))
        mails = self.mails_to(self.contact, ticket)
        self.assertEqual(len(mails), 1)
        self.assertIn("We are waiting for your answer", mails.subject)
        self.assertIn("after\n        5 working days", str(mails.body_html))
        self.assertIn(
            ticket.get_portal_url(), str(mails.body_html).replace("&amp;", "&")
        )
        self.assertEqual(ticket.sla_waiting_reminder_date, madrid(2026, 3, 11, 6, 0))
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.run_cron(madrid(2026, 3, 12, 6, 0))
        self.assertEqual(len(self.mails_to(self.contact, ticket)), 1)
        # The customer answers; the next wait gets its own reminder.
        with freeze_time(madrid(2026, 3, 12, 10, 0)):
            ticket.with_user(self.agent).stage_id = self.stage_progress
            ticket.with_user(self.agent).stage_id = self.stage_waiting
        self.run_cron(madrid(2026, 3, 16, 6, 0))  # Friday 13 only
        self.assertEqual(len(self.mails_to(self.contact, ticket)), 1)
        self.run_cron(madrid(2026, 3, 17, 6, 0))
        self.assertEqual(len(self.mails_to(self.contact, ticket)), 2)

    def test_close_counts_working_days_not_calendar_days(self):
        # Waiting since Monday 30 March; Friday 3 April is Good Friday. Tuesday 31,
        # Wednesday 1, Thursday 2, Monday 6 and Tuesday 7 April are the five days.
        ticket = self.waiting_ticket(madrid(2026, 3, 30, 10, 0), self.spanish_contact)
        self.run_cron(madrid(2026, 4, 7, 12, 0))  # 8 calendar days, 4 working days
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.env["mail.mail"].search([("res_id", "=", ticket.id)]).unlink()
        self.run_cron(madrid(2026, 4, 8, 6, 0))
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.closed)
        self.assertEqual(self.clock(ticket, "resolution").state, "met")
        # One mail, ours, saying why and how to reopen, in the customer's language;
        # not also helpdesk_mgmt's "ticket closed" mail of the Done stage.
        self.assertTrue(self.stage_done.mail_template_id)
        mails = self.mails_to(self.spanish_contact, ticket)
        self.assertEqual(len(mails), 1)
        self.assertIn("Ticket cerrado", mails.subject)
        self.assertIn("5 días laborables", str(mails.body_html))
        self.assertIn(
            ticket.get_portal_url(), str(mails.body_html).replace("&amp;", "&")
        )
        self.run_cron(madrid(2026, 4, 9, 6, 0))
        self.assertEqual(len(self.mails_to(self.spanish_contact, ticket)), 1)

    def test_cron_queries_do_not_grow_with_tickets(self):
        def queries(count):
            tickets = self.env["helpdesk.ticket"]
            for _i in range(count):
                tickets |= self.waiting_ticket(madrid(2026, 3, 9, 10, 0))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.run_cron(madrid(2026, 3, 10, 6, 0))  # nothing due yet
            return self.cr.sql_log_count - before

        self.assertEqual(queries(2), queries(12))
