# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    use_aftersales_return = fields.Boolean(
        related="team_id.use_aftersales_return", string="Returns Enabled"
    )
    return_picking_ids = fields.One2many(
        "stock.picking",
        "helpdesk_ticket_id",
        string="Returns and Exchanges",
        groups="stock.group_stock_user",
    )
    # Each smart button counts exactly what it opens: returns received from the
    # customer on one, replacement deliveries sent to them on the other.
    return_count = fields.Integer(
        string="Returns",
        compute="_compute_return_count",
        groups="stock.group_stock_user",
    )
    exchange_count = fields.Integer(
        string="Exchanges",
        compute="_compute_return_count",
        groups="stock.group_stock_user",
    )
    aftersales_has_delivery = fields.Boolean(
        string="Customer Has a Delivery",
        compute="_compute_aftersales_has_delivery",
        groups="stock.group_stock_user",
    )

    @api.depends("return_picking_ids.picking_type_code")
    def _compute_return_count(self):
        returns = self._aftersales_counts(
            "stock.picking", [("picking_type_code", "=", "incoming")]
        )
        exchanges = self._aftersales_counts(
            "stock.picking", [("picking_type_code", "=", "outgoing")]
        )
        for ticket in self:
            ticket.return_count = returns.get(ticket._origin, 0)
            ticket.exchange_count = exchanges.get(ticket._origin, 0)

    @api.depends("commercial_partner_id")
    def _compute_aftersales_has_delivery(self):
        partners = self.commercial_partner_id
        delivered = self.env["res.partner"]
        if partners:
            groups = self.env["stock.picking"]._read_group(
                [
                    ("state", "=", "done"),
                    ("picking_type_code", "=", "outgoing"),
                    ("partner_id", "child_of", partners.ids),
                ],
                ["partner_id"],
            )
            for (partner,) in groups:
                delivered |= partner.commercial_partner_id
        for ticket in self:
            ticket.aftersales_has_delivery = (
                bool(ticket.commercial_partner_id)
                and ticket.commercial_partner_id in delivered
            )

    def action_aftersales_return(self):
        self.ensure_one()
        self._aftersales_check_enabled("use_aftersales_return")
        self._aftersales_check_partner()
        if not self._aftersales_done_deliveries():
            raise UserError(
                _(
                    "%(customer)s has no done delivery to return.",
                    customer=self.partner_id.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Return"),
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "qubiq_helpdesk_aftersales_return.stock_return_picking_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "active_model": "helpdesk.ticket",
                "active_id": self.id,
                "active_ids": self.ids,
            },
        }

    def _aftersales_portal_pickings(self):
        """Returns received and replacement deliveries the customer may follow."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return self.return_picking_ids.filtered(
            lambda picking: (
                picking.partner_id.commercial_partner_id == customer
                and (
                    (
                        picking.picking_type_code == "incoming"
                        and picking.state == "done"
                    )
                    or (
                        picking.picking_type_code == "outgoing"
                        and picking.state != "cancel"
                    )
                )
            )
        ).sorted(lambda picking: picking.date_done or picking.scheduled_date)

    def _aftersales_portal_slip_url(self, picking, access_token=None):
        """Delivery slip of ``picking`` through this ticket's portal route, with
        the ticket's token when the page was opened with it. Never the sale
        order's token (showing it would give the order away; creating it during
        a GET would write)."""
        self.ensure_one()
        if picking.state != "done":
            return False
        url = f"/my/ticket/{self.id}/slip/{picking.id}"
        return f"{url}?access_token={access_token}" if access_token else url

    def action_view_aftersales_returns(self):
        """The returns received (what ``return_count`` counts)."""
        self.ensure_one()
        returns = self.return_picking_ids.filtered(
            lambda picking: picking.picking_type_code == "incoming"
        )
        return self._aftersales_action_open(returns, _("Returns"))

    def action_view_aftersales_exchanges(self):
        """The replacement deliveries (what ``exchange_count`` counts)."""
        self.ensure_one()
        exchanges = self.return_picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
        )
        return self._aftersales_action_open(exchanges, _("Exchanges"))
