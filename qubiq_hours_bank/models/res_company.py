# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .qubiq_hours_bank import ROUNDING_SCOPES


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_hours_block_minutes = fields.Integer(
        string="Default billing block (minutes)", default=30
    )
    qubiq_hours_minimum_minutes = fields.Integer(
        string="Default minimum billed (minutes)", default=30
    )
    qubiq_hours_rounding_scope = fields.Selection(
        ROUNDING_SCOPES, string="Default rounding", default="line"
    )
    qubiq_hours_threshold_kind = fields.Selection(
        [("percent", "% of the hours in force"), ("hours", "Hours left")],
        string="Default warning",
        default="percent",
    )
    qubiq_hours_threshold_value = fields.Float(
        string="Default warning level", default=20.0
    )
    qubiq_hours_excess_hours = fields.Float(
        string="Excessive dedication after (hours)",
        default=8.0,
        help="A ticket taking more than this time (an evolutivo: more than its "
        "estimate) alerts the customer's account manager. 0: never.",
    )
    qubiq_hours_extra_product_id = fields.Many2one(
        "product.product",
        string="Product for extra hours",
        help="Service product invoicing overage and development time billed apart.",
    )
