# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_review_expiry_days = fields.Integer(
        related="company_id.qubiq_review_expiry_days", readonly=False
    )
    qubiq_review_runout_weeks = fields.Integer(
        related="company_id.qubiq_review_runout_weeks", readonly=False
    )
    qubiq_review_pace_weeks = fields.Integer(
        related="company_id.qubiq_review_pace_weeks", readonly=False
    )
    qubiq_review_compliance_target = fields.Float(
        related="company_id.qubiq_review_compliance_target", readonly=False
    )
    qubiq_review_batch_size = fields.Integer(
        related="company_id.qubiq_review_batch_size", readonly=False
    )
