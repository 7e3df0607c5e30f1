# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qubiq_hours_block_minutes = fields.Integer(
        related="company_id.qubiq_hours_block_minutes", readonly=False
    )
    qubiq_hours_minimum_minutes = fields.Integer(
        related="company_id.qubiq_hours_minimum_minutes", readonly=False
    )
    qubiq_hours_rounding_scope = fields.Selection(
        related="company_id.qubiq_hours_rounding_scope", readonly=False
    )
    qubiq_hours_threshold_kind = fields.Selection(
        related="company_id.qubiq_hours_threshold_kind", readonly=False
    )
    qubiq_hours_threshold_value = fields.Float(
        related="company_id.qubiq_hours_threshold_value", readonly=False
    )
    qubiq_hours_excess_hours = fields.Float(
        related="company_id.qubiq_hours_excess_hours", readonly=False
    )
    qubiq_hours_extra_product_id = fields.Many2one(
        related="company_id.qubiq_hours_extra_product_id", readonly=False
    )
