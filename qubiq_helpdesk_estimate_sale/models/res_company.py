# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

PRE_APPROVAL_TIMESHEETS = [
    ("refuse", "Refused until the customer accepts"),
    ("analysis", "Logged as non-billable analysis time"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_estimate_product_id = fields.Many2one(
        "product.product",
        string="Development product",
        domain=[("type", "=", "service")],
        help="Service product, sold in hours, that prices the estimates of new "
        "requirements (evolutivos) when the team sets none.",
    )
    qubiq_estimate_from_bank = fields.Boolean(
        string="Estimates consume the hours bank",
        help="When the customer has an hours bank, the estimate states that its "
        "hours come from the bank (price 0) instead of charging them.",
    )
    qubiq_estimate_pre_approval = fields.Selection(
        PRE_APPROVAL_TIMESHEETS,
        string="Time before the customer accepts",
        default="refuse",
        required=True,
    )
