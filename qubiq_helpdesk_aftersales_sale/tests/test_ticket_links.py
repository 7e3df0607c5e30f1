# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import AftersalesSaleCommon


@tagged("post_install", "-at_install")
class TestTicketLinks(AftersalesSaleCommon):
    def test_fixture_delivery_done(self):
        self.assertEqual(self.delivery.state, "done")
        self.assertEqual(self.delivery.move_line_ids.lot_id, self.lot)
        self.assertEqual(self.invoice.state, "posted")

    def test_sale_order_sets_customer(self):
        form = Form(self.env["helpdesk.ticket"])
        form.name = "Toner"
        form.description = "<p>Smudges</p>"
        form.sale_order_id = self.order
        self.assertEqual(form.partner_id, self.customer)

    def test_product_change_clears_foreign_lot(self):
        form = Form(self.ticket)
        form.product_id = self.product_serial
        form.lot_id = self.lot
        form.product_id = self.product
        self.assertFalse(form.lot_id)

    def test_done_deliveries_filters(self):
        ticket = self.ticket
        self.assertEqual(ticket._aftersales_done_deliveries(), self.delivery)
        self.assertEqual(
            ticket._aftersales_done_deliveries(lot=self.lot), self.delivery
        )
        other_product = self.env["product.product"].create({"name": "Cable"})
        self.assertFalse(ticket._aftersales_done_deliveries(product=other_product))
        ticket.partner_id = self.other_customer
        self.assertFalse(ticket._aftersales_done_deliveries())
