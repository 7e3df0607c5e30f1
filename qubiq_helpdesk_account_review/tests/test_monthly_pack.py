# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ReviewCase

SEND_MODULE = (
    "odoo.addons.qubiq_helpdesk_account_review.models.qubiq_account_review_send"
)


@tagged("post_install", "-at_install")
class TestMonthlyPack(ReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-10 09:00:00"):
            cls.ticket_a = cls.ticket_for(cls.contact, name="Factura descuadrada")
        # A customer who opted out: nothing for it.
        cls.opted_out = cls.env["res.partner"].create(
            {
                "name": "Aceites Opt-out S.L.",
                "is_company": True,
                "email": "info@optout.example.com",
                "account_review_opt_in": False,
            }
        )
        cls.env["qubiq.support.contract"].create(
            {
                "name": "Mantenimiento Opt-out",
                "partner_id": cls.opted_out.id,
                "policy_id": cls.policy.id,
                "date_start": "2026-01-01",
                "state": "active",
            }
        )

    def test_each_customer_once_with_the_month_pdfs_in_its_language(self):
        self.run_monthly()
        messages_a = self.pack_messages(self.customer)
        self.assertEqual(len(messages_a), 1)
        names_a = sorted(messages_a.attachment_ids.mapped("name"))
        self.assertEqual(
            names_a,
            ["Cumplimiento del contrato 2026-03.pdf", "Extracto de horas 2026-03.pdf"],
        )
        self.assertIn("2026-03", messages_a.subject)
        self.assertTrue(messages_a.subject.startswith("Su contrato"))
        # The designated contact receives it, the account manager in copy.
        self.assertIn(self.contact, messages_a.partner_ids)
        self.assertIn(self.manager.partner_id, messages_a.partner_ids)
        # No contract: the hours statement only, in English.
        messages_b = self.pack_messages(self.other_customer)
        self.assertEqual(len(messages_b), 1)
        self.assertEqual(
            messages_b.attachment_ids.mapped("name"), ["Hours statement 2026-03.pdf"]
        )
        self.assertTrue(messages_b.subject.startswith("Your maintenance contract"))
        self.assertFalse(self.pack_messages(self.opted_out))
        # The compliance PDF is the month's: it names the customer and the period.
        compliance = messages_a.attachment_ids.filtered(
            lambda a: a.name.startswith("Cumplimiento")
        )
        html = compliance.raw.decode()
        self.assertIn("Muebles Ebro", html)
        self.assertIn("Cumplimiento del contrato de mantenimiento", html)
        statement = messages_a.attachment_ids - compliance
        self.assertIn("Extracto de la bolsa de horas", statement.raw.decode())
        self.assertIn(
            "Hours bank statement",
            messages_b.attachment_ids.raw.decode(),
        )
        # The period of the month just closed, in the Spanish date format.
        self.assertIn("01/03/2026", html)
        self.assertIn("31/03/2026", html)
        # The account manager's summary, once.
        summary = self.Send.search(
            [("kind", "=", "summary"), ("user_id", "=", self.manager.id)]
        )
        self.assertEqual(len(summary), 1)
        self.assertEqual(summary.month, "2026-03")
        mail = self.env["mail.mail"].search(
            [("model", "=", summary._name), ("res_id", "=", summary.id)]
        )
        self.assertEqual(mail.recipient_ids, self.manager.partner_id)
        self.assertEqual(
            mail.attachment_ids.mapped("name"), ["Account review 2026-03.pdf"]
        )
        page = mail.attachment_ids.raw.decode()
        self.assertIn("Muebles Ebro", page)
        self.assertIn("Bodegas Sierra Alta", page)

    def test_query_count_does_not_depend_on_tickets(self):
        Review = self.env["qubiq.account.review"]
        partners = self.customer | self.other_customer

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Review._figures(partners, "2026-03")
            return self.env.cr.sql_log_count - before

        with freeze_time("2026-03-20 09:00:00"):
            queries()  # warm the registry's caches (e.g. ir.rule domains)
            few = queries()
            for index in range(5):
                self.ticket_for(self.contact, name=f"Otro {index}")
            self.assertEqual(queries(), few)
            self.assertLessEqual(few, 25)

    def test_second_run_sends_nothing(self):
        self.run_monthly()
        logs = self.Send.search([])
        mails = self.env["mail.mail"].search_count([])
        self.run_monthly("2026-04-01 15:00:00")
        self.run_monthly("2026-04-02 07:00:00")
        self.assertEqual(self.Send.search([]), logs)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        self.assertEqual(len(self.pack_messages(self.customer)), 1)

    def test_not_before_the_first_working_day(self):
        # 1 August 2026 is a Saturday: the pack goes out on Monday the 3rd.
        self.run_monthly("2026-08-01 07:00:00")
        self.assertFalse(self.Send.search([]))
        self.run_monthly("2026-08-03 07:00:00")
        self.assertEqual(
            set(self.Send.search([("kind", "=", "customer")]).mapped("month")),
            {"2026-07"},
        )

    def test_a_failing_customer_is_retried_and_does_not_stop_the_others(self):
        Send = type(self.Send)
        original = Send._send_pack

        def fail_for_ebro(log, contracts, banks):
            if log.partner_id == self.customer:
                raise ValueError("report failed")
            return original(log, contracts, banks)

        with (
            patch.object(Send, "_send_pack", fail_for_ebro),
            mute_logger(SEND_MODULE),
        ):
            self.run_monthly()
        self.assertFalse(self.pack_messages(self.customer))
        self.assertEqual(len(self.pack_messages(self.other_customer)), 1)
        # The next day's run sends the missing one, and only it.
        self.run_monthly("2026-04-02 07:00:00")
        self.assertEqual(len(self.pack_messages(self.customer)), 1)
        self.assertEqual(len(self.pack_messages(self.other_customer)), 1)

    def test_past_its_time_budget_the_job_continues_in_a_new_run(self):
        cron = self.env.ref(
            "qubiq_helpdesk_account_review.ir_cron_account_review_monthly_pack"
        )
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.company.qubiq_review_batch_size = 1
        with patch(f"{SEND_MODULE}.TIME_BUDGET", -1):
            self.run_monthly()
        sent = self.Send.search([("kind", "=", "customer")])
        self.assertEqual(len(sent), 1)
        self.assertFalse(self.Send.search([("kind", "=", "summary")]))
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        )
        # The new run goes on (here without budget) and ends with the summaries.
        self.run_monthly("2026-04-01 07:05:00")
        ours = self.customer | self.other_customer
        self.assertEqual(
            self.Send.search([("kind", "=", "customer")]).partner_id & ours, ours
        )
        self.assertTrue(self.Send.search([("kind", "=", "summary")]))

    def test_batches_send_everyone(self):
        with freeze_time("2026-04-01 07:00:00"):
            self.Send._send_month("2026-03", self.company, batch_size=1)
        ours = self.customer | self.other_customer | self.opted_out
        self.assertEqual(
            self.Send.search([("kind", "=", "customer")]).partner_id & ours,
            self.customer | self.other_customer,
        )
