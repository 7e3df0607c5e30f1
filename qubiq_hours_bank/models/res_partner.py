# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    hours_bank_ids = fields.One2many(
        "qubiq.hours.bank", "partner_id", string="Hours banks"
    )
    hours_bank_count = fields.Integer(compute="_compute_hours_bank_count")

    def _compute_hours_bank_count(self):
        counts = dict(
            self.env["qubiq.hours.bank"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.hours_bank_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_hours_banks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_hours_bank.qubiq_hours_bank_action"
        )
        banks = self.env["qubiq.hours.bank"].search(
            [("partner_id", "=", self.commercial_partner_id.id)]
        )
        action["domain"] = [("id", "in", banks.ids)]
        if len(banks) == 1:
            action.update(
                {"views": [(False, "form")], "view_mode": "form", "res_id": banks.id}
            )
        return action
