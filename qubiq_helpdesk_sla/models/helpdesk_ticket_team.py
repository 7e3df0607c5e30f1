# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        help="Working time of the team, used for indicative targets. Contractual "
        "clocks "
        "use the calendar of the customer's contract or of its SLA policy.",
    )
