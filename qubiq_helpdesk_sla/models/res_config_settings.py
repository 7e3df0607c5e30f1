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
    qubiq_sla_risk_threshold = fields.Float(
        related="company_id.qubiq_sla_risk_threshold", readonly=False
    )
    qubiq_sla_unassign_on_breach = fields.Boolean(
        related="company_id.qubiq_sla_unassign_on_breach", readonly=False
    )
    qubiq_support_manager_id = fields.Many2one(
        related="company_id.qubiq_support_manager_id", readonly=False
    )
    qubiq_closed_reply_days = fields.Integer(
        related="company_id.qubiq_closed_reply_days", readonly=False
    )
    qubiq_closed_reply_mode = fields.Selection(
        related="company_id.qubiq_closed_reply_mode", readonly=False
    )
