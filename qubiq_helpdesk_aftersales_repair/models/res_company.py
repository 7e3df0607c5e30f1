# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Spain's consumer law: 24 months of legal warranty for new goods sold to
    # consumers; each product may say otherwise (qubiq_warranty_months).
    qubiq_warranty_months = fields.Integer(
        string="Default Warranty (months)",
        default=24,
        help="Warranty period proposed for new products, counted from their "
        "delivery to the customer.",
    )
