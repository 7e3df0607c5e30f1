# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

QUESTION_KINDS = [
    ("checkbox", "Checklist Item"),
    ("text", "Free Text"),
    ("photo", "Photo"),
]


class QubiqWorksheetTemplateQuestion(models.Model):
    _name = "qubiq.worksheet.template.question"
    _description = "Intervention Worksheet Question"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "qubiq.worksheet.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Question", required=True)
    kind = fields.Selection(QUESTION_KINDS, required=True, default="checkbox")
    required = fields.Boolean(
        help="The report cannot go to the customer's signature until this "
        "question is answered (a checklist item: ticked).",
    )
