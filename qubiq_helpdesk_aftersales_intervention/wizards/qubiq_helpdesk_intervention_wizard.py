# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class QubiqHelpdeskInterventionWizard(models.TransientModel):
    _name = "qubiq.helpdesk.intervention.wizard"
    _description = "Plan an On-site Intervention from a Helpdesk Ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    name = fields.Char(
        string="Title",
        compute="_compute_name",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    project_id = fields.Many2one(
        "project.project",
        compute="_compute_project_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    date_deadline = fields.Datetime(string="Planned Date")
    user_ids = fields.Many2many(
        "res.users",
        string="Assignees",
        compute="_compute_user_ids",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('share', '=', False)]",
    )
    sign_required = fields.Boolean(
        string="Customer Signs the Report",
        default=True,
        help="The technician writes an intervention report on the task and the "
        "customer signs it in the portal.",
    )
    # Scheduling: the slot and the technician (project_task_schedule.py)
    planned_start = fields.Datetime()
    planned_end = fields.Datetime(
        compute="_compute_planned_end", store=True, readonly=False
    )
    technician_id = fields.Many2one(
        "res.users",
        compute="_compute_technician_id",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('share', '=', False)]",
    )
    conflict_count = fields.Integer(
        string="Overlapping Interventions",
        compute="_compute_conflict_count",
        help="Interventions of the technician overlapping the slot.",
    )

    # Worksheets (issue 15)
    worksheet_template_id = fields.Many2one(
        "qubiq.worksheet.template",
        compute="_compute_worksheet_template_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Questions, checklist and photos the technician fills on the task: "
        "the team's template, else the project's.",
    )
    project_privacy_visibility = fields.Selection(
        related="project_id.privacy_visibility",
        string="Project Visibility",
        help="Only projects shared on the portal let customers follow and sign "
        "their interventions.",
    )

    @api.depends("ticket_id")
    def _compute_name(self):
        for wizard in self:
            wizard.name = wizard.ticket_id.name

    @api.depends("ticket_id")
    def _compute_project_id(self):
        for wizard in self:
            wizard.project_id = wizard.ticket_id.team_id.intervention_project_id

    @api.depends("ticket_id", "project_id")
    def _compute_worksheet_template_id(self):
        for wizard in self:
            wizard.worksheet_template_id = (
                wizard.ticket_id.team_id.intervention_worksheet_template_id
                or wizard.project_id.worksheet_template_id
            )

    @api.depends("ticket_id")
    def _compute_user_ids(self):
        for wizard in self:
            wizard.user_ids = wizard.ticket_id.user_id

    @api.depends("planned_start")
    def _compute_planned_end(self):
        """Keep an end after the start: one hour by default."""
        for wizard in self:
            start = wizard.planned_start
            if start and (not wizard.planned_end or wizard.planned_end <= start):
                wizard.planned_end = start + timedelta(hours=1)

    @api.depends("user_ids")
    def _compute_technician_id(self):
        for wizard in self:
            # _origin: user_ids are new records while the wizard is precomputed
            if wizard.technician_id._origin not in wizard.user_ids._origin:
                wizard.technician_id = wizard.user_ids._origin[:1]

    @api.depends("technician_id", "planned_start", "planned_end")
    def _compute_conflict_count(self):
        for wizard in self:
            # the task to be, not saved: the task's own conflict detection
            task = self.env["project.task"].new(
                {
                    "intervention_technician_id": wizard.technician_id._origin.id,
                    "intervention_planned_start": wizard.planned_start,
                    "intervention_planned_end": wizard.planned_end,
                }
            )
            wizard.conflict_count = task.intervention_conflict_count

    @api.constrains("planned_start", "planned_end")
    def _check_planned_slot(self):
        now = fields.Datetime.now()
        for wizard in self:
            start, end = wizard.planned_start, wizard.planned_end
            if start and start < now:
                raise ValidationError(
                    _(
                        "The planned date of the intervention (%(date)s) is in "
                        "the past: choose a later date or leave it empty.",
                        date=fields.Datetime.context_timestamp(wizard, start).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                    )
                )
            if start and end and end <= start:
                raise ValidationError(
                    _(
                        "The Planned End of the intervention must be after its "
                        "Planned Start: move the end later or the start earlier."
                    )
                )

    @api.constrains("date_deadline")
    def _check_date_deadline(self):
        now = fields.Datetime.now()
        for wizard in self:
            if wizard.date_deadline and wizard.date_deadline < now:
                raise ValidationError(
                    _(
                        "The planned date of the intervention (%(date)s) is in "
                        "the past: choose a later date or leave it empty.",
                        date=fields.Datetime.context_timestamp(
                            wizard, wizard.date_deadline
                        ).strftime("%Y-%m-%d %H:%M"),
                    )
                )

    def _create_task(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket._aftersales_check_enabled("use_aftersales_intervention")
        ticket._aftersales_check_partner()
        self._check_date_deadline()
        self._check_planned_slot()
        task = self.env["project.task"].create(
            {
                "name": self.name,
                "project_id": self.project_id.id,
                "partner_id": ticket.partner_id.id,
                "date_deadline": self.date_deadline or self.planned_end,
                "user_ids": [Command.set((self.user_ids | self.technician_id).ids)],
                "intervention_technician_id": self.technician_id.id,
                "intervention_planned_start": self.planned_start,
                "intervention_planned_end": self.planned_start and self.planned_end,
                "helpdesk_ticket_id": ticket.id,
                "description": ticket.description,
                "intervention_sign_required": self.sign_required,
                "worksheet_template_id": self.worksheet_template_id.id,
            }
        )
        # The customer follows the task like the ticket: project's portal rule
        # shows tasks of portal projects to their followers.
        task.message_subscribe(partner_ids=ticket.partner_id.ids)
        ticket._aftersales_log(task, _("On-site intervention planned"))
        return task

    def action_create_task(self):
        self._create_task()
        return {"type": "ir.actions.act_window_close"}

    def action_create_and_view_task(self):
        task = self._create_task()
        # Project's own action (its menu and views) on the new task
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "project.action_view_all_task"
        )
        action.update(
            res_id=task.id,
            view_mode="form",
            views=[(False, "form")],
            target="current",
            context={},
        )
        return action
