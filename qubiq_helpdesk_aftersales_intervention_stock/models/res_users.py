# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    intervention_location_id = fields.Many2one(
        "stock.location",
        string="Van Location",
        domain="[('usage', '=', 'internal')]",
        help="Stock the technician carries to on-site interventions: the parts "
        "used in a signed intervention leave it.",
    )
