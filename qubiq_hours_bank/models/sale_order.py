# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    hours_pack_ids = fields.One2many(
        "qubiq.hours.pack", "sale_order_id", string="Hours packs"
    )
    hours_pack_count = fields.Integer(compute="_compute_hours_pack_count")

    def _compute_hours_pack_count(self):
        for order in self:
            order.hours_pack_count = len(order.hours_pack_ids)

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._hours_credit_packs()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.hours_pack_ids.filtered(lambda p: p.state != "cancelled").write(
            {"state": "cancelled"}
        )
        return res

    def action_view_hours_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_hours_bank.qubiq_hours_pack_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
