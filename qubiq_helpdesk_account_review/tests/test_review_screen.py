# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import ReviewCase


@tagged("post_install", "-at_install")
class TestDailyReview(ReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_manager = new_test_user(
            cls.env,
            login="ar_other_manager",
            name="Otro Gestor",
            tz="Europe/Madrid",
            groups="sales_team.group_sale_salesman,"
            "qubiq_hours_bank.group_hours_bank_manager",
        )
        cls.other_customer.account_manager_id = cls.other_manager

    def test_account_manager_sees_only_their_customers(self):
        with freeze_time("2026-03-20 09:00:00"):
            ticket = self.ticket_for(self.contact)
            ticket.estimate_state = "sent"
            Line = self.env["qubiq.account.review.line"].with_user(self.manager)
            action = Line.action_open_review()
            lines = Line.search(action["domain"])
        self.assertIn(self.customer, lines.partner_id)
        self.assertNotIn(self.other_customer, lines.partner_id)
        mine = lines.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual(mine.estimates, 1)
        self.assertAlmostEqual(mine.hours_left, 20.0)
        estimates = mine.action_open_estimates()
        self.assertEqual(
            self.env["helpdesk.ticket"].search(estimates["domain"]), ticket
        )
        # The other manager's lines are not readable by this one.
        with freeze_time("2026-03-20 09:00:00"):
            Other = self.env["qubiq.account.review.line"].with_user(self.other_manager)
            Other.action_open_review()
        self.assertFalse(Line.search([("partner_id", "=", self.other_customer.id)]))


@tagged("post_install", "-at_install")
class TestPercentiles(ReviewCase):
    def test_p90_in_the_pivot_equals_the_summary(self):
        tickets = []
        for day in (2, 3, 4, 5):
            with freeze_time(f"2026-03-{day:02d} 09:00:00"):
                tickets.append(self.new_ticket(priority="3"))
        # Answered after 1, 2, 3 and 5 working hours.
        for ticket, (day, hour) in zip(
            tickets, ((2, 11), (3, 12), (4, 13), (5, 16)), strict=True
        ):
            with freeze_time(f"2026-03-{day:02d} {hour - 1}:00:00"):
                ticket.with_user(self.agent).message_post(
                    body="Respuesta",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        self.env.flush_all()
        with freeze_time("2026-04-01 09:00:00"):
            wizard = self.env["qubiq.sla.compliance"].create(
                {
                    "partner_id": self.customer.id,
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                    "group_by": "priority",
                }
            )
            wizard.action_compute()
        expected = wizard.line_ids.filtered(
            lambda line: line.kind == "response" and not line.indicative
        ).p90_hours
        Report = self.env["qubiq.sla.percentile.report"]
        rows = Report.search(
            [
                ("partner_id", "=", self.customer.id),
                ("kind", "=", "response"),
                ("priority", "=", "3"),
            ]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.count, 4)
        self.assertAlmostEqual(rows.p90_hours, expected, places=4)
        self.assertGreater(rows.p90_hours, rows.median_hours)
        # A pivot total over months shows the worst cell.
        groups = Report.read_group(
            [("partner_id", "=", self.customer.id), ("kind", "=", "response")],
            ["p90_hours:max"],
            ["partner_id"],
        )
        self.assertAlmostEqual(groups[0]["p90_hours"], expected, places=4)
