# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-04 12:00:00")
class TestInvoicing(HoursBankCase):
    """Billed time no pack covers, and development billed apart, go through the
    usual sale flow (quotation, order, invoice), never twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.sell_pack(cls.other_contact, 1, day="2026-04-01")
        cls.bank = cls.order.hours_pack_ids.bank_id
        cls.ticket = cls.ticket_for(cls.other_contact)

    def invoice_wizard(self, banks=None, **values):
        form = Form(
            self.env["qubiq.hours.invoice.wizard"]
            .with_user(self.manager)
            .with_context(default_bank_ids=(banks or self.bank).ids)
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_overage_invoiced_once(self):
        self.log(self.ticket, 60, day="2026-04-10")  # the pack
        over = self.log(self.ticket, 70, day="2026-04-20")  # 1:30 overage
        self.assertEqual(self.balance(self.bank)["not_invoiced"], 90)
        wizard = self.invoice_wizard()
        self.assertIn("1:30", wizard.summary)
        action = wizard.action_create_orders()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.other_customer)
        self.assertEqual(order.state, "draft", "a quotation, the usual flow")
        self.assertEqual(order.order_line.product_id, self.extra_product)
        self.assertEqual(self.minutes(order.order_line.product_uom_qty), 90)
        self.assertEqual(order.user_id, self.manager)
        self.assertEqual(over.hours_allocation_ids.sale_line_id, order.order_line)
        self.assertEqual(over.hours_allocation_ids.billing_state, "ordered")
        self.assertTrue(over.hours_locked)
        self.assertEqual(
            self.balance(self.bank)["not_invoiced"], 90, "not yet invoiced"
        )
        # Never twice: nothing left to put on another quotation.
        with self.assertRaisesRegex(UserError, "Nothing to invoice"):
            self.invoice_wizard().action_create_orders()
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(self.minutes(invoice.invoice_line_ids.quantity), 90)
        self.assertEqual(over.hours_allocation_ids.billing_state, "invoiced")
        self.assertEqual(self.balance(self.bank)["not_invoiced"], 0)
        self.assertEqual(self.balance(self.bank)["overage"], 90)
        # The invoiced line cannot change silently...
        with self.assertRaisesRegex(UserError, "locked in the hours bank"):
            over.unit_amount = 0.5
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            over.unlink()
        # ...nor can the pack shrink under it, nor the ticket be billed otherwise.
        with self.assertRaisesRegex(UserError, "bill them differently"):
            self.ticket.type_id = self.evolutivo
        # A new pack does not swallow invoiced overage.
        self.sell_pack(self.other_contact, 10, day="2026-04-01")
        self.assertEqual(over.hours_allocation_ids.kind, "overage")
        # More overage later goes on a new quotation, alone.
        later = self.log(self.ticket, 30, day="2026-05-02")
        self.assertEqual(later.hours_allocation_ids.kind, "pack")
        self.assertEqual(self.balance(self.bank)["not_invoiced"], 0)

    def test_cancelled_quotation_frees_the_hours(self):
        self.log(self.ticket, 60, day="2026-04-10")  # the pack
        over = self.log(self.ticket, 90, day="2026-04-20")
        action = self.invoice_wizard().action_create_orders()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertTrue(over.hours_locked)
        order._action_cancel()
        self.assertEqual(over.hours_allocation_ids.billing_state, "pending")
        self.assertFalse(over.hours_locked)
        over.unit_amount = 100 / 60  # allowed again: 2:00 billed
        action = self.invoice_wizard().action_create_orders()
        second = self.env["sale.order"].browse(action["res_id"])
        self.assertNotEqual(second, order)
        self.assertEqual(self.minutes(second.order_line.product_uom_qty), 120)
        self.assertEqual(over.hours_allocation_ids.sale_line_id.order_id, second)

    def test_deleting_the_quotation_frees_the_hours(self):
        self.log(self.ticket, 60, day="2026-04-10")  # the pack
        over = self.log(self.ticket, 90, day="2026-04-20")
        action = self.invoice_wizard().action_create_orders()
        self.env["sale.order"].browse(action["res_id"]).unlink()
        self.assertEqual(over.hours_allocation_ids.billing_state, "pending")
        self.assertEqual(self.balance(self.bank)["not_invoiced"], 90)

    def test_cut_off_date(self):
        self.log(self.ticket, 60, day="2026-04-10")
        april = self.log(self.ticket, 30, day="2026-04-28")
        may = self.log(self.ticket, 30, day="2026-05-02")
        wizard = self.invoice_wizard(date_to="2026-04-30")
        order = self.env["sale.order"].browse(wizard.action_create_orders()["res_id"])
        self.assertEqual(self.minutes(order.order_line.product_uom_qty), 30)
        self.assertEqual(april.hours_allocation_ids.billing_state, "ordered")
        self.assertEqual(may.hours_allocation_ids.billing_state, "pending")

    def test_development_invoiced_apart(self):
        """A bank whose development is invoiced apart: evolutivos and tasks do not
        eat the prepaid hours, each evolutivo gets its own order line."""
        self.bank.development_policy = "invoice"
        evolutivo = self.ticket_for(
            self.other_contact, ticket_type=self.evolutivo, name="Informe de lotes"
        )
        developed = self.log(evolutivo, 100, day="2026-04-12")
        support = self.log(self.ticket, 30, day="2026-04-12")
        self.assertEqual(developed.hours_allocation_ids.kind, "direct")
        self.assertEqual(support.hours_allocation_ids.kind, "pack")
        figures = self.balance(self.bank)
        self.assertEqual(figures["direct"], 120)
        self.assertEqual(figures["remaining"], 30)
        self.assertEqual(figures["not_invoiced"], 120)
        order = self.env["sale.order"].browse(
            self.invoice_wizard().action_create_orders()["res_id"]
        )
        self.assertEqual(len(order.order_line), 1)
        self.assertIn("Informe de lotes", order.order_line.name)
        self.assertEqual(self.minutes(order.order_line.product_uom_qty), 120)

    def test_product_must_be_sold_in_hours(self):
        self.log(self.ticket, 90, day="2026-04-20")
        unit_product = self.env["product.product"].create(
            {"name": "Servicio por unidades", "detailed_type": "service"}
        )
        with self.assertRaisesRegex(UserError, "sold in hours"):
            self.invoice_wizard(product_id=unit_product).action_create_orders()

    def test_invoiced_pack_cannot_shrink_below_locked_time(self):
        line = self.log(self.ticket, 60, day="2026-04-10")
        self.bank.lock_date = "2026-04-30"
        self.assertTrue(line.hours_locked)
        with self.assertRaisesRegex(ValidationError, "cannot offer less"):
            self.order.order_line.product_uom_qty = 0.5
