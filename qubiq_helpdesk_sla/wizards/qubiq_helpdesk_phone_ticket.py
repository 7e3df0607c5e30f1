# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.qubiq_sla_policy_line import PRIORITIES, PRIORITY_DESCRIPTIONS


class QubiqHelpdeskPhoneTicket(models.TransientModel):
    """Log an emergency call as a ticket in a few seconds: customer, contact, title,
    priority. Everything else (team, type, channel, SLA clocks) follows."""

    _name = "qubiq.helpdesk.phone.ticket"
    _description = "Ticket from a phone call"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Caller",
        domain="[('parent_id', '=', partner_id)]",
        help="The contact who called; empty: the customer company itself.",
    )
    name = fields.Char(string="Title", required=True)
    priority = fields.Selection(PRIORITIES, required=True, default="2")
    priority_description = fields.Char(compute="_compute_priority_description")
    description = fields.Html(string="Notes of the call")
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        required=True,
        default=lambda self: self._default_team(),
    )
    type_id = fields.Many2one(
        "helpdesk.ticket.type",
        default=lambda self: self.env.ref(
            "qubiq_helpdesk_sla.ticket_type_incidencia", raise_if_not_found=False
        ),
    )
    sla_covered = fields.Boolean(related="type_id.sla_covered")
    assign_to_me = fields.Boolean(
        string="I take it",
        default=True,
        help="Assign the ticket to yourself; otherwise it waits in the team's queue.",
    )

    @api.model
    def _default_team(self):
        Team = self.env["helpdesk.ticket.team"]
        return Team.search(
            [
                ("user_ids", "in", self.env.uid),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        ) or Team.search([("company_id", "in", [False, self.env.company.id])], limit=1)

    @api.depends("priority")
    def _compute_priority_description(self):
        for wizard in self:
            description = PRIORITY_DESCRIPTIONS.get(wizard.priority)
            wizard.priority_description = str(description) if description else False

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.parent_id != self.partner_id:
            self.contact_id = False

    def action_create(self):
        self.ensure_one()
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            raise UserError(
                _(
                    "Caller: %(contact)s is not a contact of %(customer)s. Choose one "
                    "of "
                    "its contacts or leave it empty.",
                    contact=self.contact_id.display_name,
                    customer=self.partner_id.display_name,
                )
            )
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": self.name,
                "description": self.description
                or Markup("<p>%s</p>")
                % _("Logged from a phone call by %s.", self.env.user.name),
                "partner_id": (self.contact_id or self.partner_id).id,
                "priority": self.priority,
                "team_id": self.team_id.id,
                "type_id": self.type_id.id,
                "channel_id": phone.id,
                "user_id": self.env.uid if self.assign_to_me else False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
            "target": "current",
        }
