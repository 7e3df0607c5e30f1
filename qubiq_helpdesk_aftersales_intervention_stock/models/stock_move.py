# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    intervention_task_id = fields.Many2one(
        "project.task", string="Intervention", index="btree_not_null", copy=False
    )
