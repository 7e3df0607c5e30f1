# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    hours_billed = fields.Float(string="Billed time", compute="_compute_hours_billed")

    def _compute_hours_billed(self):
        billed = dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("task_id", "in", self.ids),
                    ("ticket_id", "=", False),
                    ("hours_billable", "=", True),
                ],
                ["task_id"],
                ["hours_billed:sum"],
            )
        )
        for task in self:
            task.hours_billed = billed.get(task._origin, 0.0)

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            lines = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("task_id", "in", self.ids), ("ticket_id", "=", False)])
            )
            lines._hours_resync()
        return res
