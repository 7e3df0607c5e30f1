# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    worksheet_template_id = fields.Many2one(
        "qubiq.worksheet.template",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Checklist, questions and photos the technician fills on each "
        "intervention task of this project (a helpdesk team may choose another "
        "one for its interventions).",
    )

    is_intervention_project = fields.Boolean(
        string="Field Service Project",
        compute="_compute_is_intervention_project",
        help="A helpdesk team plans its on-site interventions in this project.",
    )

    def _compute_is_intervention_project(self):
        # one search for the batch; a team the user may not read still counts
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("intervention_project_id", "in", self._origin.ids)])
        )
        projects = teams.intervention_project_id
        for project in self:
            project.is_intervention_project = project._origin in projects

    def action_view_intervention_planning(self):
        """The intervention planning of this project."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qubiq_helpdesk_aftersales_intervention.project_task_schedule_action"
        )
        action["name"] = _("Intervention planning: %(project)s", project=self.name)
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {
            "default_project_id": self.id,
            "search_default_open": 1,
        }
        return action
