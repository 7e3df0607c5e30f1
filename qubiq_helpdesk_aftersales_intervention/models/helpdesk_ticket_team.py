# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    intervention_project_id = fields.Many2one(
        "project.project",
        string="Field Service Project",
        help="Default project of the intervention tasks planned from this team's "
        "tickets. Share it on the portal so that customers follow their tasks.",
    )
    intervention_project_privacy = fields.Selection(
        related="intervention_project_id.privacy_visibility",
        string="Field Service Project Visibility",
        help="Only projects shared on the portal let customers follow and sign "
        "their interventions.",
    )
    # Worksheets (issue 15)
    intervention_worksheet_template_id = fields.Many2one(
        "qubiq.worksheet.template",
        string="Worksheet Template",
        help="Worksheet of the interventions planned from this team's tickets; "
        "empty: the field-service project's template.",
    )
