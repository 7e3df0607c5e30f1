# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_sla_indicative_policy_id = fields.Many2one(
        related="company_id.qubiq_sla_indicative_policy_id", readonly=False
    )
    qubiq_sla_indicative_factor = fields.Float(
        related="company_id.qubiq_sla_indicative_factor", readonly=False
    )
