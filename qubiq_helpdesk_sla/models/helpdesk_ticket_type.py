# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketType(models.Model):
    _inherit = "helpdesk.ticket.type"

    sla_covered = fields.Boolean(
        string="Covered by contract and SLA",
        default=True,
        help="Tickets of this type are covered by the maintenance contract and get SLA "
        "clocks. New requirements (evolutivos) are not.",
    )
    requires_estimate = fields.Boolean(
        string="Estimate and approval",
        help="Tickets of this type are estimated, the estimate is sent to the customer "
        "and "
        "work starts, at low priority, only once the customer approves it.",
    )
    description = fields.Text(
        translate=True, help="Shown to agents and customers when they choose the type."
    )
