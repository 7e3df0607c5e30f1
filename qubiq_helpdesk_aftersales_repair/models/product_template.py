# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    qubiq_warranty_months = fields.Integer(
        string="Warranty (months)",
        default=lambda self: self.env.company.qubiq_warranty_months,
        help="Warranty period counted from the delivery to the customer; "
        "0 means no warranty. A repair of the product is under warranty until "
        "the delivery date plus this period.",
    )
