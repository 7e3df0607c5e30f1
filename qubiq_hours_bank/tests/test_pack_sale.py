# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
class TestPackSale(HoursBankCase):
    def test_confirming_a_pack_sale_credits_the_bank(self):
        self.assertFalse(self.bank_of(self.other_customer))
        order = self.sell_pack(self.other_contact, 20, day="2026-03-02")
        bank = self.bank_of(self.other_customer)
        self.assertEqual(len(bank), 1, "the bank is the customer company's")
        pack = bank.pack_ids
        self.assertEqual(len(pack), 1)
        self.assertEqual(pack.state, "active")
        self.assertEqual(pack.hours, 20.0)
        self.assertEqual(pack.sale_line_id, order.order_line)
        self.assertEqual(pack.date_start, date(2026, 3, 2))
        self.assertEqual(pack.date_end, date(2027, 3, 1), "12 months of validity")
        self.assertEqual(pack.price_total, 1100.0)
        self.assertEqual(order.hours_pack_count, 1)
        with freeze_time("2026-03-10"):
            figures = self.balance(bank)
        self.assertEqual(figures["contracted"], 20 * 60)
        self.assertEqual(figures["remaining"], 20 * 60)
        self.assertEqual(figures["paid_available"], 0, "nothing invoiced nor paid")

    def test_a_quotation_credits_nothing(self):
        self.env["sale.order"].create(
            {
                "partner_id": self.other_customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.pack_product.id, "product_uom_qty": 10}
                    )
                ],
            }
        )
        self.assertFalse(self.bank_of(self.other_customer))

    def test_pack_sold_in_units(self):
        """A "Bolsa 20 h" product sold in units credits 20 h per unit."""
        template = self.env["product.template"].create(
            {
                "name": "Bolsa 20 h",
                "detailed_type": "service",
                "invoice_policy": "order",
                "hours_pack": True,
                "hours_pack_hours": 20.0,
                "list_price": 1000.0,
            }
        )
        with freeze_time("2026-03-02 10:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.other_customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": template.product_variant_id.id,
                                "product_uom_qty": 2,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        pack = self.bank_of(self.other_customer).pack_ids
        self.assertEqual(pack.hours, 40.0)
        self.assertFalse(pack.date_end, "no validity months: no expiry")

    def test_pack_product_needs_hours(self):
        with self.assertRaisesRegex(ValidationError, "Hours per unit"):
            self.env["product.template"].create(
                {
                    "name": "Bolsa sin horas",
                    "detailed_type": "service",
                    "hours_pack": True,
                }
            )
        with self.assertRaisesRegex(ValidationError, "must be a service"):
            self.env["product.template"].create(
                {
                    "name": "Bolsa física",
                    "detailed_type": "consu",
                    "hours_pack": True,
                    "hours_pack_hours": 10,
                }
            )

    def test_product_form_onchange_makes_it_prepaid(self):
        form = Form(self.env["product.template"])
        form.name = "Bolsa 10 h"
        form.detailed_type = "consu"
        form.detailed_type = "service"
        form.hours_pack = True
        self.assertEqual(form.service_policy, "ordered_prepaid")

    def test_cancel_and_reconfirm_order(self):
        order = self.sell_pack(self.other_contact, 10)
        pack = order.hours_pack_ids
        order._action_cancel()
        self.assertEqual(pack.state, "cancelled")
        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.hours_pack_ids, pack, "the same pack, back in force")
        self.assertEqual(pack.state, "active")

    def test_quantity_change_updates_the_pack(self):
        order = self.sell_pack(self.other_contact, 10)
        order.order_line.product_uom_qty = 15
        self.assertEqual(order.hours_pack_ids.hours, 15.0)

    def test_sale_line_delivered_is_the_bank_consumption(self):
        """sale_timesheet's prepaid "remaining hours" on the order line shows what
        the bank consumed from the pack."""
        order = self.sell_pack(self.other_contact, 10)
        ticket = self.ticket_for(self.other_contact)
        self.log(ticket, 40)  # billed 1:00
        line = order.order_line
        self.assertAlmostEqual(line.qty_delivered, 1.0)
        self.assertAlmostEqual(line.remaining_hours, 9.0)

    def test_paid_hours_follow_the_invoice_payment(self):
        order = self.sell_pack(self.other_contact, 20)
        invoice = order._create_invoices()
        invoice.action_post()
        bank = self.bank_of(self.other_customer)
        with freeze_time("2026-03-10"):
            self.assertEqual(self.balance(bank)["paid_available"], 0)
            # Half the invoice paid: 10 of the 20 hours are paid.
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": invoice.amount_total / 2}).action_create_payments()
            self.assertEqual(self.balance(bank)["paid_available"], 10 * 60)
            ticket = self.ticket_for(self.other_contact)
            self.log(ticket, 120, day="2026-03-09")
            figures = self.balance(bank)
        self.assertEqual(figures["remaining"], 18 * 60)
        self.assertEqual(figures["paid_available"], 8 * 60)
