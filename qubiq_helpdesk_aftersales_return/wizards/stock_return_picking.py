# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockReturnPicking(models.TransientModel):
    """Odoo's return wizard, opened from a helpdesk ticket.

    The ticket picks the delivery; Odoo's ``_create_returns`` makes the reverse
    transfer. "Return for exchange" also plans a replacement delivery.
    """

    _inherit = "stock.return.picking"

    helpdesk_ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    helpdesk_sale_order_id = fields.Many2one("sale.order", string="Sales Order")
    helpdesk_available_order_ids = fields.Many2many(
        "sale.order", compute="_compute_helpdesk_available_picking_ids"
    )
    helpdesk_available_picking_ids = fields.Many2many(
        "stock.picking", compute="_compute_helpdesk_available_picking_ids"
    )

    @api.depends("helpdesk_ticket_id", "helpdesk_sale_order_id")
    def _compute_helpdesk_available_picking_ids(self):
        for wizard in self:
            ticket = wizard.helpdesk_ticket_id
            if not ticket:
                wizard.helpdesk_available_picking_ids = False
                wizard.helpdesk_available_order_ids = False
                continue
            deliveries = ticket._aftersales_done_deliveries()
            wizard.helpdesk_available_order_ids = deliveries.sale_id
            if wizard.helpdesk_sale_order_id:
                deliveries = deliveries.filtered(
                    lambda picking, wiz=wizard: (
                        picking.sale_id == wiz.helpdesk_sale_order_id
                    )
                )
            wizard.helpdesk_available_picking_ids = deliveries

    @api.onchange("helpdesk_sale_order_id")
    def _onchange_helpdesk_sale_order_id(self):
        available = self.helpdesk_available_picking_ids._origin
        if self.helpdesk_ticket_id and self.picking_id not in available:
            self.picking_id = available[:1]

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") != "helpdesk.ticket":
            return res
        ticket = self.env["helpdesk.ticket"].browse(self.env.context.get("active_id"))
        ticket.ensure_one()
        ticket._aftersales_check_enabled("use_aftersales_return")
        delivery = (
            ticket._aftersales_done_deliveries(
                sale_order=ticket.sale_order_id, product=ticket.product_id
            )[:1]
            or ticket._aftersales_done_deliveries()[:1]
        )
        res.update(
            helpdesk_ticket_id=ticket.id,
            helpdesk_sale_order_id=delivery.sale_id.id,
            picking_id=delivery.id,
        )
        return res

    def _prepare_picking_default_values(self):
        vals = super()._prepare_picking_default_values()
        if self.helpdesk_ticket_id:
            vals["helpdesk_ticket_id"] = self.helpdesk_ticket_id.id
        return vals

    def _helpdesk_check(self):
        """Server-side rules for a return launched from a ticket."""
        self.ensure_one()
        ticket = self.helpdesk_ticket_id
        ticket._aftersales_check_enabled("use_aftersales_return")
        if self.picking_id not in ticket._aftersales_done_deliveries():
            raise UserError(
                _(
                    "%(picking)s is not a done delivery of %(customer)s.",
                    picking=self.picking_id.display_name,
                    customer=ticket.partner_id.display_name,
                )
            )
        for line in self.product_return_moves:
            if not line.move_id:
                continue
            returnable = self._prepare_stock_return_picking_line_vals_from_move(
                line.move_id
            )["quantity"]
            rounding = line.uom_id.rounding
            if (
                float_compare(line.quantity, returnable, precision_rounding=rounding)
                > 0
                or float_compare(line.quantity, 0.0, precision_rounding=rounding) < 0
            ):
                raise UserError(
                    _(
                        "You cannot return %(quantity)s %(uom)s of %(product)s: "
                        "enter a quantity between 0 and %(delivered)s %(uom)s "
                        "(delivered and not returned yet).",
                        quantity=line.quantity,
                        uom=line.uom_id.name,
                        product=line.product_id.display_name,
                        delivered=returnable,
                    )
                )

    def create_returns(self):
        if not self.helpdesk_ticket_id:
            return super().create_returns()
        self._helpdesk_check()
        action = super().create_returns()
        new_picking = self.env["stock.picking"].browse(action["res_id"])
        self.helpdesk_ticket_id._aftersales_log(new_picking, _("Return created"))
        return action

    def action_helpdesk_return_exchange(self):
        """Return the lines and plan the delivery of a replacement."""
        self.ensure_one()
        self._helpdesk_check()
        # The goods are replaced, not refunded: the sales order keeps its
        # delivered quantities.
        self.product_return_moves.write({"to_refund": False})
        action = self.create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        exchange = self._helpdesk_create_exchange(returned)
        self.helpdesk_ticket_id._aftersales_log(
            exchange, _("Replacement delivery created")
        )
        return action

    def _helpdesk_create_exchange(self, returned):
        """Plan the replacement of the goods of ``returned`` (this wizard's return).

        The replacement belongs to the sales order as Odoo's own deliveries do:
        the order's procurement group (so the order's Delivery button lists it)
        and, on each move, the order line it replaces. Each move is the return
        of the return move (``origin_returned_move_id``) and does not update the
        order (``to_refund`` off): the order's delivered quantity stays what the
        customer bought, as the return for exchange did not lower it either.
        """
        delivery = self.picking_id
        moves = []
        for line in self.product_return_moves.filtered("quantity"):
            origin = line.move_id
            return_move = returned.move_ids.filtered(
                lambda move, origin=origin: move.origin_returned_move_id == origin
            )[:1]
            sale_line = origin.sale_line_id.filtered(
                lambda sol, product=line.product_id: sol.product_id == product
            )
            moves.append(
                Command.create(
                    {
                        "name": line.product_id.display_name,
                        "product_id": line.product_id.id,
                        "product_uom": line.uom_id.id,
                        "product_uom_qty": line.quantity,
                        "location_id": delivery.location_id.id,
                        "location_dest_id": delivery.location_dest_id.id,
                        "partner_id": delivery.partner_id.id,
                        "group_id": delivery.group_id.id,
                        "sale_line_id": sale_line.id,
                        "origin_returned_move_id": return_move.id,
                        "to_refund": False,
                    }
                )
            )
        exchange = self.env["stock.picking"].create(
            {
                "picking_type_id": delivery.picking_type_id.id,
                "partner_id": delivery.partner_id.id,
                "location_id": delivery.location_id.id,
                "location_dest_id": delivery.location_dest_id.id,
                "origin": _("Exchange of %s", delivery.name),
                "group_id": delivery.group_id.id,
                "helpdesk_ticket_id": self.helpdesk_ticket_id.id,
                "move_ids": moves,
            }
        )
        exchange.action_confirm()
        exchange.action_assign()
        return exchange
