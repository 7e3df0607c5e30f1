# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EstimateCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestEstimateQuotation(EstimateCase):
    def test_send_creates_a_linked_quotation_rounded_to_blocks(self):
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket, hours=2.25)
        self.assertEqual(order.partner_id, self.customer, "the commercial partner")
        self.assertEqual(order.ticket_id, ticket)
        self.assertIn(order, ticket.estimate_order_ids)
        self.assertEqual(ticket.estimate_state, "sent")
        self.assertEqual(order.state, "sent", "e-mailed: Odoo marks it sent")
        self.assertTrue(order.require_signature)
        self.assertFalse(order.require_payment)
        line = order.order_line
        self.assertEqual(line.product_id, self.dev_product)
        self.assertEqual(line.product_uom_qty, 2.5, "2:15 rounds up to 2:30")
        self.assertEqual(line.price_unit, 60.0)
        self.assertEqual(ticket.estimate_hours, 2.5)
        self.assertEqual(order.amount_untaxed, 150.0)
        mail = self.env["mail.message"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn(order.name, mail.subject)
        self.assertIn(self.customer, mail.partner_ids)
        self.assertIn(
            self.contact,
            mail.notification_ids.res_partner_id,
            "the ticket's contact follows the quotation",
        )

    def test_mail_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket)
        mail = self.env["mail.message"].search(
            [("model", "=", "sale.order"), ("res_id", "=", order.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("Presupuesto", mail.subject)
        self.assertIn("presupuesto", mail.body)
        self.assertIn(self.customer, mail.notification_ids.res_partner_id)

    def test_minimum_half_hour(self):
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket, hours=0.1)
        self.assertEqual(order.order_line.product_uom_qty, 0.5)

    def test_hours_from_the_bank_are_not_charged(self):
        self.sell_pack(self.customer, 20)
        self.company.qubiq_estimate_from_bank = True
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket, hours=3)
        product_line = order.order_line.filtered("product_id")
        self.assertEqual(product_line.price_unit, 0.0)
        note = order.order_line.filtered(lambda l: l.display_type == "line_note")
        self.assertIn("hours bank", note.name)
        self.assertEqual(order.amount_total, 0.0)

    def test_no_sla_clock_for_the_quotation_flow(self):
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket)
        order.with_user(self.helpdesk_manager).sudo().action_confirm()
        self.assertFalse(ticket.sla_clock_ids)
        self.assertFalse(ticket.sla_deadline)

    def test_acceptance_moves_the_ticket_and_locks_low_priority(self):
        ticket = self.evolutivo_ticket()
        order = self.send_estimate(ticket)
        order.with_user(self.agent).sudo().action_confirm()
        self.assertEqual(ticket.estimate_state, "approved")
        self.assertEqual(ticket.priority, "0")
        self.assertEqual(ticket.stage_id, self.stage_approved)
        self.assertEqual(ticket.estimate_approved_order_id, order)
        self.assertEqual(ticket.estimate_approved_by_id, self.agent.partner_id)
        self.assertNotEqual(ticket.estimate_approved_by_id, self.contact)
        with self.assertRaisesRegex(UserError, "helpdesk manager"):
            ticket.with_user(self.agent).write({"priority": "3"})
        self.assertEqual(ticket.priority, "0")
        ticket.with_user(self.helpdesk_manager).write({"priority": "2"})
        self.assertEqual(ticket.priority, "2")

    def test_manual_approval_buttons_are_hidden(self):
        """The customer approves in the portal: the SLA module's buttons are gone,
        the estimate wizard replaces them."""
        arch = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        tree = etree.fromstring(arch)
        for name in (
            "action_estimate_send",
            "action_estimate_approve",
            "action_estimate_reject",
        ):
            button = tree.xpath(f"//button[@name='{name}']")
            self.assertTrue(button)
            self.assertEqual(button[0].get("invisible"), "1", name)
        self.assertTrue(tree.xpath("//button[@name='action_estimate_wizard']"))

    def test_agent_cannot_replace_an_accepted_estimate(self):
        ticket = self.evolutivo_ticket()
        self.send_estimate(ticket).sudo().action_confirm()
        with self.assertRaisesRegex(UserError, "already accepted"):
            self.send_estimate(ticket, hours=5)

    def test_new_estimate_supersedes_the_previous_one(self):
        ticket = self.evolutivo_ticket()
        first = self.send_estimate(ticket, hours=2)
        second = self.send_estimate(ticket, hours=4)
        self.assertEqual(first.state, "cancel")
        self.assertEqual(ticket.estimate_order_id, second)
        self.assertEqual(ticket.estimate_order_ids, first | second)
        self.assertEqual(ticket.estimate_hours, 4)
        # The customer accepting the old, cancelled quotation's link does nothing.
        self.assertFalse(first._has_to_be_signed())
        notes = self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertTrue(
            any(
                first.name in (m.body or "") and "supersedes" in (m.body or "")
                for m in notes
            )
        )

    def test_expired_quotation_reminds_the_agent_once(self):
        ticket = self.evolutivo_ticket()
        self.send_estimate(ticket)
        Activity = self.env["mail.activity"]
        expired_type = self.env.ref(
            "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_expired"
        )
        domain = [
            ("res_model", "=", "helpdesk.ticket"),
            ("res_id", "=", ticket.id),
            ("activity_type_id", "=", expired_type.id),
        ]
        self.env["sale.order"]._cron_estimate_expired()
        self.assertFalse(Activity.search(domain), "not expired yet")
        with freeze_time("2026-04-15 09:00:00"):
            self.env["sale.order"]._cron_estimate_expired()
            self.env["sale.order"]._cron_estimate_expired()
        activity = Activity.search(domain)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.consultant)


@tagged("post_install", "-at_install")
class TestEstimateTimesheets(EstimateCase):
    def approved(self):
        ticket = self.evolutivo_ticket()
        with freeze_time("2026-03-02 09:00:00"):
            self.send_estimate(ticket, hours=1.0)
            ticket.estimate_order_id.sudo().action_confirm()
        return ticket

    def test_timesheets_refused_before_approval(self):
        ticket = self.evolutivo_ticket()
        self.send_estimate(ticket, hours=1.0)
        with self.assertRaises(UserError) as error:
            self.log(ticket, 30)
        self.assertIn(ticket.display_name, str(error.exception))
        self.assertIn("accepted", str(error.exception))

    def test_analysis_time_before_approval_is_not_billed(self):
        self.company.qubiq_estimate_pre_approval = "analysis"
        ticket = self.evolutivo_ticket()
        line = self.log(ticket, 45)
        self.assertTrue(line.qubiq_estimate_analysis)
        self.assertEqual(line.hours_billing_reason, "type_never")
        self.assertFalse(line.hours_billable)

    def test_team_setting_overrides_company(self):
        self.company.qubiq_estimate_pre_approval = "analysis"
        self.team.estimate_pre_approval = "refuse"
        with self.assertRaises(UserError):
            self.log(self.evolutivo_ticket(), 30)

    def test_analysis_time_does_not_count_against_the_estimate(self):
        self.company.qubiq_estimate_pre_approval = "analysis"
        ticket = self.evolutivo_ticket()
        self.log(ticket, 50)
        with freeze_time("2026-03-02 09:00:00"):
            self.send_estimate(ticket, hours=1.0)
            ticket.estimate_order_id.sudo().action_confirm()
        self.log(ticket, 10)
        self.assertEqual(ticket.estimate_timesheet_hours, 10 / 60)
        self.assertEqual(ticket.estimate_warned_percent, 0)

    def test_timesheets_allowed_after_approval(self):
        ticket = self.approved()
        line = self.log(ticket, 30)
        self.assertFalse(line.qubiq_estimate_analysis)
        self.assertEqual(ticket.estimate_timesheet_hours, 0.5)

    def test_thresholds_warn_once_each(self):
        ticket = self.approved()
        consumed = self.env.ref(
            "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_consumed"
        )

        def warnings():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    ("activity_type_id", "=", consumed.id),
                ]
            )

        self.log(ticket, 47)
        self.assertFalse(warnings(), "47 of 60 minutes: below 80 %")
        self.log(ticket, 1)
        self.assertEqual(warnings().user_id, self.consultant | self.manager)
        self.assertEqual(len(warnings()), 2, "80 %: the agent and the account manager")
        self.log(ticket, 5)
        self.assertEqual(len(warnings()), 2, "80 % only once")
        self.log(ticket, 7)
        self.assertEqual(len(warnings()), 4, "100 %")
        self.log(ticket, 30)
        self.assertEqual(len(warnings()), 4, "100 % only once")
        self.assertEqual(ticket.estimate_warned_percent, 100)

    def test_dashboard_shows_estimate_against_time_spent(self):
        """The account manager's hours-bank dashboard lists each evolutivo of its
        customers with the estimate and the time logged since the acceptance, the
        ones over their estimate first; another customer's evolutivos stay out."""
        self.sell_pack(self.customer, 10)
        over = self.approved()  # 1 h estimated
        self.log(over, 75)
        pending = self.evolutivo_ticket(name="Exportar pedidos a Excel")
        self.send_estimate(pending, hours=3.0)
        to_estimate = self.evolutivo_ticket(name="Sin valorar todavía")
        bank = self.bank_of(self.customer)
        data = (
            self.env["qubiq.hours.dashboard"]
            .with_user(self.manager)
            .hours_dashboard(period="custom", date_from=False, bank_ids=bank.ids)
        )
        rows = {row["res_id"]: row for row in data["estimates"]}
        self.assertEqual(list(rows), [over.id, pending.id], "over its estimate first")
        self.assertEqual(
            (rows[over.id]["estimate"], rows[over.id]["actual"]), (1.0, 1.25)
        )
        self.assertEqual(rows[over.id]["percent"], 125)
        self.assertEqual(rows[over.id]["state"], "Approved")
        self.assertEqual(
            (rows[pending.id]["estimate"], rows[pending.id]["actual"]), (3.0, 0.0)
        )
        self.assertNotIn(to_estimate.id, rows)
        other_bank = self.sell_pack(self.other_customer, 5) and self.bank_of(
            self.other_customer
        )
        data = (
            self.env["qubiq.hours.dashboard"]
            .with_user(self.manager)
            .hours_dashboard(period="custom", date_from=False, bank_ids=other_bank.ids)
        )
        self.assertEqual(data["estimates"], [])

    def test_claim_is_won_once(self):
        ticket = self.approved()
        self.assertTrue(ticket._estimate_claim(80))
        self.assertFalse(ticket._estimate_claim(80))
        self.assertTrue(ticket._estimate_claim(100))
        self.assertFalse(ticket._estimate_claim(80))
