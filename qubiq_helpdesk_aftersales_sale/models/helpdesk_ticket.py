# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        domain="[('state', '=', 'sale')] + "
        "([('partner_id', 'child_of', commercial_partner_id)] "
        "if commercial_partner_id else [])",
        help="Order the ticket is about; the after-sales wizards start from it.",
    )
    product_id = fields.Many2one(
        "product.product",
        domain="[('type', 'in', ('consu', 'product'))]",
        help="Product the ticket is about; it filters orders, deliveries and "
        "invoices in the after-sales wizards.",
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
    )

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        if self.sale_order_id and not self.partner_id:
            self.partner_id = self.sale_order_id.partner_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    def _aftersales_done_deliveries(self, product=None, sale_order=None, lot=None):
        """Done customer deliveries of the ticket's customer.

        Optionally restricted to those containing ``product`` or ``lot`` or
        belonging to ``sale_order``.
        """
        self.ensure_one()
        if not self.partner_id:
            return self.env["stock.picking"]
        domain = [
            ("state", "=", "done"),
            ("picking_type_code", "=", "outgoing"),
            *self._aftersales_customer_domain(),
        ]
        if sale_order:
            domain.append(("sale_id", "=", sale_order.id))
        if product:
            domain.append(("move_ids.product_id", "=", product.id))
        if lot:
            domain.append(("move_line_ids.lot_id", "=", lot.id))
        return self.env["stock.picking"].search(domain, order="date_done desc, id desc")
