# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    use_aftersales_repair = fields.Boolean(
        related="team_id.use_aftersales_repair", string="Repairs Enabled"
    )
    repair_ids = fields.One2many(
        "repair.order", "helpdesk_ticket_id", string="Repair Orders"
    )
    repair_count = fields.Integer(string="Repairs", compute="_compute_repair_count")
    aftersales_warranty_end = fields.Date(
        string="Warranty End",
        compute="_compute_aftersales_warranty",
        help="Delivery of the ticket's product (and lot/serial) to the customer, on "
        "the ticket's sales order when there is one, plus the product's warranty "
        "period.",
    )
    aftersales_under_warranty = fields.Boolean(
        string="Under Warranty", compute="_compute_aftersales_warranty"
    )

    @api.depends("partner_id", "product_id", "lot_id", "sale_order_id", "company_id")
    @api.depends_context("tz")
    def _compute_aftersales_warranty(self):
        Repair = self.env["repair.order"]
        for ticket in self:
            __, end = Repair._helpdesk_warranty_dates(
                ticket.partner_id,
                ticket.product_id,
                lot=ticket.lot_id,
                sale_order=ticket.sale_order_id,
                company=ticket.company_id,
            )
            ticket.aftersales_warranty_end = end
            ticket.aftersales_under_warranty = bool(
                end and fields.Date.context_today(ticket) <= end
            )

    @api.depends("repair_ids")
    def _compute_repair_count(self):
        # No sudo: helpdesk users read the repairs of tickets through the
        # access rule of this module (security/repair_order_security.xml).
        # "Personal/Team tickets" agents have no access to repairs: 0 for them,
        # and the form hides the smart button from them (groups).
        counts = self._aftersales_counts("repair.order")
        for ticket in self:
            ticket.repair_count = counts.get(ticket._origin, 0)

    def _aftersales_repair_return(self):
        """Latest return of the ticket's product received from its customer."""
        self.ensure_one()
        if not self.partner_id or not self.product_id:
            return self.env["stock.picking"]
        domain = [
            ("return_id", "!=", False),
            ("picking_type_code", "=", "incoming"),
            ("state", "!=", "cancel"),
            ("move_ids.product_id", "=", self.product_id.id),
            *self._aftersales_customer_domain(),
        ]
        return self.env["stock.picking"].search(domain, order="id desc", limit=1)

    def _aftersales_repair_tags(self):
        """Existing repair tags named as the ticket's tags."""
        self.ensure_one()
        names = self.tag_ids.mapped("name")
        return self.env["repair.tags"].search([("name", "in", names)])

    def action_aftersales_repair(self):
        """Open a new repair order prefilled from the ticket."""
        self.ensure_one()
        self._aftersales_check_enabled("use_aftersales_repair")
        self._aftersales_check_partner()
        # Repair's own action (its menu, its views), on a new prefilled form
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repair.action_repair_order_tree"
        )
        action.update(
            name=_("Repair"),
            view_mode="form",
            views=[(False, "form")],
            target="current",
            context=self._aftersales_repair_context(),
        )
        action.pop("res_id", None)
        return action

    def _aftersales_repair_context(self):
        self.ensure_one()
        return {
            "default_helpdesk_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_repair_picking_id": self._aftersales_repair_return().id,
            # under warranty (zero-priced parts) is computed by the repair from
            # the delivery on the ticket's order and the product's warranty
            "default_schedule_date": fields.Datetime.to_string(fields.Datetime.now()),
            "default_user_id": (self.user_id or self.env.user).id,
            "default_tag_ids": [Command.set(self._aftersales_repair_tags().ids)],
            "default_internal_notes": self.description,
        }

    def action_view_aftersales_repairs(self):
        # Helpdesk users without Repair rights get the read-only views of this
        # module (repair.order.get_view), as when they follow the chatter link.
        self.ensure_one()
        return self._aftersales_action_open(self.repair_ids, _("Repairs"))
