# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    use_aftersales_coupon = fields.Boolean(
        related="team_id.use_aftersales_coupon", string="Coupons Enabled"
    )
    coupon_ids = fields.One2many(
        "loyalty.card",
        "helpdesk_ticket_id",
        string="Coupon Cards",
        groups="sales_team.group_sale_salesman",
    )
    coupon_count = fields.Integer(
        string="Coupons",
        compute="_compute_coupon_count",
        groups="sales_team.group_sale_salesman",
    )

    @api.depends("coupon_ids")
    def _compute_coupon_count(self):
        counts = self._aftersales_counts("loyalty.card")
        for ticket in self:
            ticket.coupon_count = counts.get(ticket._origin, 0)

    def action_aftersales_coupon(self):
        self.ensure_one()
        self._aftersales_check_enabled("use_aftersales_coupon")
        self._aftersales_check_partner()
        return {
            "type": "ir.actions.act_window",
            "name": _("Generate a Coupon"),
            "res_model": "qubiq.helpdesk.coupon.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_view_aftersales_coupons(self):
        self.ensure_one()
        return self._aftersales_action_open(self.coupon_ids, _("Coupons"))
