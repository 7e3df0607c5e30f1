# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AccountMoveReversal(models.TransientModel):
    """The ticket's sales order, product and lot/serial narrow the invoices to
    refund, when Sales and Inventory are installed (the refund add-on itself
    needs Invoicing only).

    The filters follow the agent's rights: an agent who may not read deliveries
    (no Inventory rights) gets no lot filter, rather than an access error."""

    _inherit = "account.move.reversal"

    helpdesk_sale_order_id = fields.Many2one("sale.order", string="Sales Order")
    helpdesk_tracking = fields.Selection(related="helpdesk_product_id.tracking")
    helpdesk_lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number")
    helpdesk_available_order_ids = fields.Many2many(
        "sale.order", compute="_compute_helpdesk_available_order_ids"
    )

    def _helpdesk_may_read(self, model_name):
        return self.env[model_name].check_access_rights("read", raise_exception=False)

    @api.depends("helpdesk_ticket_id", "helpdesk_product_id")
    def _compute_helpdesk_available_order_ids(self):
        may_read = self._helpdesk_may_read("sale.order")
        for wizard in self:
            ticket = wizard.helpdesk_ticket_id
            if not ticket.partner_id or not may_read:
                wizard.helpdesk_available_order_ids = False
                continue
            domain = [("state", "=", "sale"), *ticket._aftersales_customer_domain()]
            if wizard.helpdesk_product_id:
                domain.append(
                    ("order_line.product_id", "=", wizard.helpdesk_product_id.id)
                )
            wizard.helpdesk_available_order_ids = self.env["sale.order"].search(domain)

    @api.depends(
        "helpdesk_ticket_id",
        "helpdesk_sale_order_id",
        "helpdesk_product_id",
        "helpdesk_lot_id",
    )
    def _compute_helpdesk_available_move_ids(self):
        return super()._compute_helpdesk_available_move_ids()

    @api.onchange("helpdesk_product_id")
    def _onchange_helpdesk_product_id(self):
        # sudo: compares the lot's product only, for an agent who may not read
        # lots (no Inventory rights) and has none set
        lot = self.helpdesk_lot_id
        if lot and lot.sudo().product_id != self.helpdesk_product_id:
            self.helpdesk_lot_id = False
        if (
            self.helpdesk_product_id
            and self.helpdesk_sale_order_id
            and self.helpdesk_product_id
            not in self.helpdesk_sale_order_id.order_line.product_id
        ):
            self.helpdesk_sale_order_id = False

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") != "helpdesk.ticket":
            return res
        ticket = self.env["helpdesk.ticket"].browse(self.env.context.get("active_id"))
        res["helpdesk_product_id"] = ticket.product_id.id
        if self._helpdesk_may_read("sale.order"):
            res["helpdesk_sale_order_id"] = ticket.sale_order_id.id
        if self._helpdesk_may_read("stock.picking"):
            res["helpdesk_lot_id"] = ticket.lot_id.id
        return res

    def _helpdesk_invoice_domain(self):
        domain = super()._helpdesk_invoice_domain()
        if self.helpdesk_sale_order_id and self._helpdesk_may_read("sale.order"):
            domain.append(("id", "in", self.helpdesk_sale_order_id.invoice_ids.ids))
        if self.helpdesk_lot_id and self._helpdesk_may_read("stock.picking"):
            deliveries = self.helpdesk_ticket_id._aftersales_done_deliveries(
                lot=self.helpdesk_lot_id
            )
            domain.append(("id", "in", deliveries.sale_id.invoice_ids.ids))
        return domain
