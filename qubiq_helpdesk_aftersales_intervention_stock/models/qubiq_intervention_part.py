# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QubiqInterventionPart(models.Model):
    _inherit = "qubiq.intervention.part"

    move_id = fields.Many2one(
        "stock.move", string="Stock Move", readonly=True, copy=False
    )
