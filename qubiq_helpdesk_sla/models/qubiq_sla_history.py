# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.tools.misc import format_datetime

from .qubiq_sla_clock import CLOCK_KINDS


class QubiqSlaHistory(models.Model):
    """Why a ticket's deadline is what it is: one line per change of a clock."""

    _name = "qubiq.sla.history"
    _description = "SLA deadline history"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    kind = fields.Selection(CLOCK_KINDS, string="Clock")
    reason = fields.Selection(
        [
            ("start", "Ticket opened"),
            ("retarget", "Targets changed"),
            ("pause", "Paused"),
            ("resume", "Resumed"),
            ("reached", "Reached"),
            ("reopen", "Reopened"),
            ("cancel", "No longer under SLA"),
        ],
        required=True,
    )
    description = fields.Char(string="What changed")
    old_deadline = fields.Datetime(string="Previous deadline")
    new_deadline = fields.Datetime(string="New deadline")
    paused_minutes = fields.Float(string="Paused so far (working minutes)")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    @api.model
    def _log(self, lines, post=False):
        """Record ``lines`` (values of history lines) and, with ``post``, explain
        each ticket's moved deadlines in one internal note (someone changed
        something: the agents following the ticket see why its deadline moved)."""
        if not lines:
            return
        # sudo: the history is written by the clocks on behalf of whoever caused
        # the change (an agent, a customer's reply, a cron); nobody edits it.
        self.sudo().create(lines)
        if post:
            self._post(lines)

    @api.model
    def _post(self, lines):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        reasons = dict(self._fields["reason"]._description_selection(self.env))
        tz = self.env.user.tz or "Europe/Madrid"
        by_ticket = defaultdict(list)
        for line in lines:
            by_ticket[line["ticket_id"]].append(line)
        bodies = {}
        for ticket_id, ticket_lines in by_ticket.items():
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    labels.get(line["kind"], ""),
                    format_datetime(self.env, line["old_deadline"], tz=tz)
                    if line["old_deadline"]
                    else _("none"),
                    format_datetime(self.env, line["new_deadline"], tz=tz)
                    if line["new_deadline"]
                    else _("paused"),
                )
                for line in ticket_lines
            )
            header = escape(reasons.get(ticket_lines[0]["reason"], ""))
            if ticket_lines[0].get("description"):
                header += Markup(" — ") + escape(ticket_lines[0]["description"])
            bodies[ticket_id] = Markup("<p><b>%s</b> %s</p><ul>%s</ul>") % (
                _("SLA deadlines updated."),
                header,
                items,
            )
        # One internal note per ticket, all in one insert, written as the user whose
        # change moved the deadlines (a customer may cause it without the right to
        # post notes: the log is the system's explanation, notifying nobody).
        self.env["helpdesk.ticket"].browse(list(bodies))._message_log_batch(
            bodies=bodies, author_id=self.env.user.partner_id.id
        )
