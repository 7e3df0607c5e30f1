# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import Command, api, fields, models


class ProjectTask(models.Model):
    """The intervention's worksheet: answers to the template's questions, parts
    used and the time logged on the task."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    worksheet_template_id = fields.Many2one(
        "qubiq.worksheet.template",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Its questions are copied onto the task when the template is set; "
        "changing it replaces the worksheet's questions.",
    )
    worksheet_answer_ids = fields.One2many(
        "qubiq.worksheet.answer", "task_id", string="Worksheet", copy=False
    )
    intervention_part_ids = fields.One2many(
        "qubiq.intervention.part", "task_id", string="Parts Used", copy=False
    )
    worksheet_missing_count = fields.Integer(
        string="Unanswered Required Questions",
        compute="_compute_worksheet_missing_count",
    )
    worksheet_technician_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        compute="_compute_worksheet_time",
        compute_sudo=True,
    )
    worksheet_start = fields.Datetime(
        string="Start", compute="_compute_worksheet_time", compute_sudo=True
    )
    worksheet_end = fields.Datetime(
        string="End", compute="_compute_worksheet_time", compute_sudo=True
    )
    worksheet_hours = fields.Float(
        string="Time Spent", compute="_compute_worksheet_time", compute_sudo=True
    )

    @api.depends("worksheet_answer_ids.answered", "worksheet_answer_ids.required")
    def _compute_worksheet_missing_count(self):
        for task in self:
            task.worksheet_missing_count = len(
                task.worksheet_answer_ids.filtered(
                    lambda answer: answer.required and not answer.answered
                )
            )

    @api.depends(
        "user_ids",
        "timesheet_ids.date_time",
        "timesheet_ids.date_time_end",
        "timesheet_ids.unit_amount",
        "timesheet_ids.user_id",
    )
    def _compute_worksheet_time(self):
        for task in self:
            lines = task._worksheet_timesheets()
            starts = [line.date_time for line in lines if line.date_time]
            ends = [
                line.date_time_end or line.date_time
                for line in lines
                if line.date_time_end or line.date_time
            ]
            task.worksheet_start = min(starts, default=False)
            task.worksheet_end = max(ends, default=False)
            task.worksheet_hours = sum(lines.mapped("unit_amount"))
            task.worksheet_technician_ids = task.user_ids or lines.user_id

    @api.model_create_multi
    def create(self, vals_list):
        projects = self.env["project.project"].browse(
            {vals["project_id"] for vals in vals_list if vals.get("project_id")}
        )
        template_by_project = {
            project.id: project.worksheet_template_id.id for project in projects
        }
        for vals in vals_list:
            # the field-service project's worksheet, unless the caller (the
            # intervention wizard: the team's template) chose one or none
            if "worksheet_template_id" not in vals and vals.get("project_id"):
                vals["worksheet_template_id"] = template_by_project.get(
                    vals["project_id"], False
                )
        tasks = super().create(vals_list)
        tasks.filtered(
            lambda task: task.worksheet_template_id and not task.worksheet_answer_ids
        )._worksheet_sync_questions()
        return tasks

    def write(self, vals):
        res = super().write(vals)
        if "worksheet_template_id" in vals:
            self._worksheet_sync_questions()
        return res

    def _worksheet_sync_questions(self):
        """Answers follow the template: one per question, in its order; answers
        of questions the template no longer has are dropped."""
        for task in self:
            questions = task.worksheet_template_id.question_ids
            answers = task.worksheet_answer_ids
            commands = [
                Command.unlink(answer.id)
                for answer in answers
                if answer.question_id not in questions
            ]
            kept = answers.question_id
            commands += [
                Command.create({"question_id": question.id})
                for question in questions
                if question not in kept
            ]
            if commands:
                task.worksheet_answer_ids = commands

    def _worksheet_timesheets(self):
        """The task's own time, in order, as the worksheet and its PDF list it
        (read with sudo: customers and project users without timesheet rights
        see the time of the intervention they sign or follow)."""
        self.ensure_one()
        return self.sudo().timesheet_ids.sorted(
            lambda line: (line.date_time or datetime.datetime.min, line.id)
        )
