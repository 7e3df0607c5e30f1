# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_estimate_product_id = fields.Many2one(
        related="company_id.qubiq_estimate_product_id", readonly=False
    )
    qubiq_estimate_from_bank = fields.Boolean(
        related="company_id.qubiq_estimate_from_bank", readonly=False
    )
    qubiq_estimate_pre_approval = fields.Selection(
        related="company_id.qubiq_estimate_pre_approval", readonly=False
    )
