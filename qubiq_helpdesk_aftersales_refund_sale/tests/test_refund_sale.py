# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)

WIZARD_VIEW = "qubiq_helpdesk_aftersales_refund.account_move_reversal_view_form"


@tagged("post_install", "-at_install")
class TestRefundSale(AftersalesSaleCommon):
    """The ticket's sales order, product and lot narrow the invoices to refund."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.groups_id = [
            Command.link(cls.env.ref("account.group_account_invoice").id),
            Command.link(cls.env.ref("stock.group_stock_user").id),
        ]
        cls.team.use_aftersales_refund = True

    def _wizard_form(self, user=None):
        ticket = self.ticket.with_user(user or self.agent)
        action = ticket.action_aftersales_refund()
        wizard_model = self.env[action["res_model"]].with_user(user or self.agent)
        return Form(wizard_model.with_context(**action["context"]), view=WIZARD_VIEW)

    def test_wizard_prefilled_from_ticket(self):
        self.ticket.write({"product_id": self.product_serial.id, "lot_id": self.lot.id})
        form = self._wizard_form()
        self.assertEqual(form.helpdesk_sale_order_id, self.order)
        self.assertEqual(form.helpdesk_product_id, self.product_serial)
        self.assertEqual(form.helpdesk_lot_id, self.lot)
        self.assertEqual(form.move_ids[:], self.invoice)

    def test_product_filters_invoices_and_orders(self):
        second = self._create_order(self.customer, [(self.product_serial, 1.0)])
        toner_order = self._create_order(self.customer, [(self.product, 1.0)])
        toner_invoice = self._invoice(toner_order)
        form = self._wizard_form()
        form.helpdesk_sale_order_id = self.env["sale.order"]
        form.helpdesk_product_id = self.product
        self.assertEqual(
            set(form.helpdesk_available_move_ids.ids),
            {self.invoice.id, toner_invoice.id},
        )
        self.assertNotIn(second, form.helpdesk_available_order_ids)
        self.assertIn(toner_order, form.helpdesk_available_order_ids)
        form.helpdesk_sale_order_id = toner_order
        self.assertEqual(form.helpdesk_available_move_ids[:], toner_invoice)
        self.assertEqual(form.move_ids[:], toner_invoice)

    def test_order_filter_then_product_of_another_order_clears_it(self):
        toner_order = self._create_order(self.customer, [(self.product, 1.0)])
        self._invoice(toner_order)
        form = self._wizard_form()
        form.helpdesk_sale_order_id = toner_order
        form.helpdesk_product_id = self.product_serial
        self.assertFalse(form.helpdesk_sale_order_id)

    def test_lot_filters_invoices(self):
        toner_order = self._create_order(self.customer, [(self.product, 1.0)])
        self._invoice(toner_order)
        form = self._wizard_form()
        form.helpdesk_sale_order_id = self.env["sale.order"]
        form.helpdesk_product_id = self.product_serial
        form.helpdesk_lot_id = self.lot
        self.assertEqual(form.helpdesk_available_move_ids[:], self.invoice)

    def test_invoicing_only_agent_gets_no_lot_filter(self):
        """An agent without Inventory rights: the order filters, the lot (which
        reads deliveries) is neither shown nor applied, nothing fails."""
        billing = new_test_user(
            self.env,
            login="refund_sale_billing",
            groups="helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
        )
        self.assertFalse(billing.has_group("stock.group_stock_user"))
        self.assertFalse(billing.has_group("sales_team.group_sale_salesman"))
        self.team.user_ids = [Command.link(billing.id)]
        self.ticket.write({"product_id": self.product_serial.id, "lot_id": self.lot.id})
        ticket = self.ticket.with_user(billing)
        spec = {
            name: {}
            for name in ticket.get_views([(False, "form")])["models"]["helpdesk.ticket"]
        }
        self.assertEqual(ticket.web_read(spec)[0]["id"], self.ticket.id)
        form = self._wizard_form(user=billing)
        self.assertEqual(form.helpdesk_sale_order_id, self.order)
        self.assertNotIn("helpdesk_lot_id", form._view["fields"])
        self.assertEqual(form.move_ids[:], self.invoice)
        form.save().refund_moves()
        self.assertEqual(self.ticket.refund_count, 1)

    def test_bridge_installed_with_its_dependencies(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "qubiq_helpdesk_aftersales_refund_sale")]
        )
        self.assertTrue(module.auto_install)
        self.assertEqual(
            set(module.dependencies_id.mapped("name")),
            {"qubiq_helpdesk_aftersales_refund", "qubiq_helpdesk_aftersales_sale"},
        )
