# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    worksheet_template_id = fields.Many2one(
        "qubiq.worksheet.template",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Checklist, questions and photos the technician fills on each "
        "intervention task of this project (a helpdesk team may choose another "
        "one for its interventions).",
    )
