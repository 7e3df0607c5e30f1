# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_users import SUPPORT_LEVELS


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        help="Working time of the team, used for indicative targets. Contractual "
        "clocks "
        "use the calendar of the customer's contract or of its SLA policy.",
    )
    support_level = fields.Selection(
        SUPPORT_LEVELS,
        string="Entry support level",
        default="1",
        required=True,
        help="The support level new tickets of this team start at; escalation raises "
        "it.",
    )
    acknowledge_tickets = fields.Boolean(
        string="Acknowledge e-mail and phone tickets",
        default=True,
        help="Send the customer an acknowledgement of each ticket received by e-mail "
        "or phone: its number, its portal link and the expected response time.",
    )
