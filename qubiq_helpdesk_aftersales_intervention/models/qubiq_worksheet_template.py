# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class QubiqWorksheetTemplate(models.Model):
    _name = "qubiq.worksheet.template"
    _description = "Intervention Worksheet Template"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the template between companies.",
    )
    question_ids = fields.One2many(
        "qubiq.worksheet.template.question",
        "template_id",
        string="Questions",
        copy=True,
    )
    question_count = fields.Integer(
        string="Questions Count", compute="_compute_question_count"
    )
    project_ids = fields.One2many(
        "project.project",
        "worksheet_template_id",
        string="Projects",
        help="Field-service projects whose interventions use this template.",
    )

    @api.depends("question_ids")
    def _compute_question_count(self):
        for template in self:
            template.question_count = len(template.question_ids)
