# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    waiting_reminder_days = fields.Integer(
        string="Remind the customer after (working days)",
        help="Working days, in the team's working hours, that a ticket may wait for "
        "the customer before they get one reminder per wait. 0: no reminder.",
    )
    waiting_close_days = fields.Integer(
        string="Close after waiting (working days)",
        help="Working days a ticket may wait for the customer before it is closed "
        "automatically, telling the customer why and how to reopen it. 0: never.",
    )

    @api.constrains("waiting_reminder_days", "waiting_close_days")
    def _check_waiting_days(self):
        for team in self:
            if team.waiting_reminder_days < 0 or team.waiting_close_days < 0:
                raise ValidationError(
                    _("%s: the waiting days cannot be negative.", team.name)
                )
            if (
                team.waiting_reminder_days
                and team.waiting_close_days
                and team.waiting_close_days <= team.waiting_reminder_days
            ):
                raise ValidationError(
                    _(
                        "%s: the automatic close must come after the reminder.",
                        team.name,
                    )
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
