# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .qubiq_worksheet_template_question import QUESTION_KINDS

# Taken from the question when the answer is created: the worksheet keeps the
# wording the technician answered and the customer signed, whatever the
# template becomes.
QUESTION_SNAPSHOT = ("name", "kind", "required", "sequence")


class QubiqWorksheetAnswer(models.Model):
    _name = "qubiq.worksheet.answer"
    _description = "Intervention Worksheet Answer"
    _order = "sequence, id"

    task_id = fields.Many2one(
        "project.task", required=True, ondelete="cascade", index=True
    )
    question_id = fields.Many2one(
        "qubiq.worksheet.template.question",
        string="Template Question",
        ondelete="set null",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Question", required=True)
    kind = fields.Selection(QUESTION_KINDS, required=True, default="checkbox")
    required = fields.Boolean()
    value_bool = fields.Boolean(string="Done")
    value_text = fields.Text(string="Answer")
    value_image = fields.Image(
        string="Photo", attachment=True, max_width=1920, max_height=1920
    )
    value_image_512 = fields.Image(
        string="Photo (512)",
        related="value_image",
        max_width=512,
        max_height=512,
        store=True,
    )
    answered = fields.Boolean(compute="_compute_answered", store=True)

    @api.depends("kind", "value_bool", "value_text", "value_image")
    def _compute_answered(self):
        for answer in self:
            if answer.kind == "checkbox":
                answer.answered = answer.value_bool
            elif answer.kind == "text":
                answer.answered = bool((answer.value_text or "").strip())
            else:
                answer.answered = bool(answer.value_image)

    @api.model_create_multi
    def create(self, vals_list):
        questions = self.env["qubiq.worksheet.template.question"].browse(
            {vals["question_id"] for vals in vals_list if vals.get("question_id")}
        )
        by_id = {question.id: question for question in questions}
        for vals in vals_list:
            question = by_id.get(vals.get("question_id"))
            if not question:
                continue
            for fname in QUESTION_SNAPSHOT:
                vals.setdefault(fname, question[fname])
        answers = super().create(vals_list)
        answers.task_id._intervention_check_unsigned()
        return answers

    def write(self, vals):
        self.task_id._intervention_check_unsigned()
        if "task_id" in vals:
            self.env["project.task"].browse(
                vals["task_id"]
            )._intervention_check_unsigned()
        return super().write(vals)

    def unlink(self):
        self.task_id._intervention_check_unsigned()
        return super().unlink()
