# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    hours_bank_consume = fields.Boolean(
        string="Consumes the hours bank",
        help="The time logged on this project's tasks (not on tickets) is "
        "development billed from the customer's hours bank.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"hours_bank_consume", "partner_id"} & set(vals):
            lines = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("project_id", "in", self.ids), ("ticket_id", "=", False)])
            )
            lines._hours_resync()
        return res
