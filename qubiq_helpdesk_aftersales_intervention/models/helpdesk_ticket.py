# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    use_aftersales_intervention = fields.Boolean(
        related="team_id.use_aftersales_intervention",
        string="On-site Interventions Enabled",
    )
    intervention_task_ids = fields.One2many(
        "project.task",
        "helpdesk_ticket_id",
        string="Intervention Tasks",
        groups="project.group_project_user",
    )
    intervention_task_count = fields.Integer(
        string="Tasks",
        compute="_compute_intervention_task_count",
        groups="project.group_project_user",
    )

    @api.depends("intervention_task_ids")
    def _compute_intervention_task_count(self):
        counts = self._aftersales_counts("project.task")
        for ticket in self:
            ticket.intervention_task_count = counts.get(ticket._origin, 0)

    def action_aftersales_intervention(self):
        self.ensure_one()
        self._aftersales_check_enabled("use_aftersales_intervention")
        self._aftersales_check_partner()
        return {
            "type": "ir.actions.act_window",
            "name": _("Plan an Intervention"),
            "res_model": "qubiq.helpdesk.intervention.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_view_aftersales_interventions(self):
        self.ensure_one()
        return self._aftersales_action_open(self.intervention_task_ids, _("Tasks"))

    # Worksheets (issue 15): time on site
    @api.constrains("project_id")
    def _constrains_project_timesheets(self):
        """helpdesk_mgmt_timesheet moves every timesheet of a ticket to the
        ticket's project when that changes; the time logged on the ticket's
        interventions stays on its field-service task and project."""
        for ticket in self:
            ticket.timesheet_ids.filtered(
                lambda line, ticket=ticket: line.task_id.helpdesk_ticket_id != ticket
            ).update({"project_id": ticket.project_id.id})
