# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_warranty_months = fields.Integer(
        related="company_id.qubiq_warranty_months", readonly=False
    )
