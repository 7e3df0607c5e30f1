# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ReviewCase


@tagged("post_install", "-at_install")
class TestWarnings(ReviewCase):
    def warnings(self, kind):
        return self.Warning.search(
            [
                ("kind", "=", kind),
                ("partner_id", "in", (self.customer | self.other_customer).ids),
            ]
        )

    def activities(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("user_id", "=", self.manager.id),
            ]
        )

    def test_pack_expiring_with_unused_hours_once(self):
        # Sold on 2 March 2026 for 12 months: ends 1 March 2027.
        self.run_warnings("2027-01-15 08:00:00")
        self.assertFalse(self.warnings("expiry"))
        self.run_warnings("2027-02-10 08:00:00")
        warnings = self.warnings("expiry")
        self.assertEqual(warnings.partner_id, self.customer | self.other_customer)
        self.assertEqual(len(self.activities(self.customer)), 1)
        self.run_warnings("2027-02-11 08:00:00")
        self.assertEqual(self.warnings("expiry"), warnings)
        self.assertEqual(len(self.activities(self.customer)), 1)

    def test_bank_running_out_at_current_pace_once_a_month(self):
        self.manager.lang = "es_ES"
        ticket = self.ticket_for(self.other_contact)
        # 2 h a week over the last 4 weeks: 10 - 8 = 2 h left, one week to go.
        for day in ("2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"):
            self.log(ticket, 120, day=day)
        self.run_warnings("2026-04-01 08:00:00")
        runout = self.warnings("runout")
        self.assertEqual(runout.partner_id, self.other_customer)
        self.assertEqual(runout.period, "2026-04")
        # In the account manager's language (Spanish here).
        self.assertIn("las 2.00 h restantes se agotarán en 1.0 semanas", runout.note)
        self.assertEqual(
            self.activities(self.other_customer).mapped("summary"),
            ["Bolsa que se agota al ritmo actual"],
        )
        self.run_warnings("2026-04-02 08:00:00")
        self.assertEqual(self.warnings("runout"), runout)

    def test_compliance_below_target_once(self):
        with freeze_time("2026-03-02 09:00:00"):
            ticket = self.new_ticket(priority="3")
        # Two working hours to answer: answered days later, breached.
        with freeze_time("2026-03-06 09:00:00"):
            ticket.with_user(self.agent).message_post(
                body="Respuesta",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.run_warnings("2026-03-06 10:00:00")
        warning = self.warnings("compliance")
        self.assertEqual(warning.partner_id, self.customer)
        self.assertEqual(len(self.activities(self.customer)), 1)
        self.run_warnings("2026-03-07 10:00:00")
        self.assertEqual(self.warnings("compliance"), warning)

    def test_two_bad_ratings_in_a_month_once(self):
        for name in ("Uno", "Dos"):
            with freeze_time("2026-03-05 09:00:00"):
                ticket = self.ticket_for(self.contact, name=name)
                token = ticket.sudo()._rating_get_access_token(self.contact)
                ticket.sudo().rating_apply(1, token=token)
        # The rating's date is its write date, stamped by the database clock that
        # freezegun does not move: date them in March.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE rating_rating SET write_date = '2026-03-05 09:00:00' "
            "WHERE res_model = 'helpdesk.ticket' AND partner_id = %s",
            [self.contact.id],
        )
        self.run_warnings("2026-03-06 08:00:00")
        warning = self.warnings("ratings")
        self.assertEqual(warning.partner_id, self.customer)
        self.run_warnings("2026-03-07 08:00:00")
        self.assertEqual(self.warnings("ratings"), warning)


@tagged("post_install", "-at_install")
class TestRenewal(ReviewCase):
    def test_low_threshold_prepares_one_draft_quotation(self):
        ticket = self.ticket_for(self.other_contact)
        orders_before = self.env["sale.order"].search([])
        # 10 h pack, warning at 20 %: 8.5 h used leaves 1.5 h.
        self.log(ticket, 510, day="2026-03-10")
        renewal = self.env["sale.order"].search([]) - orders_before
        self.assertEqual(len(renewal), 1)
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.partner_id, self.other_customer)
        self.assertEqual(renewal.order_line.product_id, self.pack_product)
        self.assertEqual(renewal.order_line.product_uom_qty, 10)
        self.assertEqual(renewal.activity_ids.user_id, self.manager)
        # Still below the level: no second quotation.
        self.log(ticket, 30, day="2026-03-11")
        self.assertEqual(self.env["sale.order"].search([]) - orders_before, renewal)
