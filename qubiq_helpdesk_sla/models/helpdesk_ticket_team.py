# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models

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

    def write(self, vals):
        res = super().write(vals)
        if "resource_calendar_id" in vals:
            # Indicative targets are counted in the team's working hours.
            Clock = self.env["qubiq.sla.clock"]
            for team in self:
                Clock._retarget_where(
                    [("ticket_id.team_id", "=", team.id), ("indicative", "=", True)],
                    _("Working hours of the team %s changed", team.display_name),
                )
        return res
