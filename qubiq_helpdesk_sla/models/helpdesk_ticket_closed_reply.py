# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models

from .bulk_write import touch_rows


# One flow per file (see ARCHITECTURE.md): the ticket's SLA fields and hooks stay in
# helpdesk_ticket.py, this flow lives here.
class HelpdeskTicket(models.Model):
    """Replies to tickets closed long ago: a message about an old ticket must reach
    the current staff, as a new follow-up ticket linked to it or by reopening it
    (the company chooses), instead of vanishing into a closed thread."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    origin_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Follows up on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The closed ticket the customer answered when this one was opened.",
    )
    followup_ticket_ids = fields.One2many(
        "helpdesk.ticket", "origin_ticket_id", string="Follow-up tickets"
    )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket opened by an e-mail to a team's alias comes through the e-mail
        channel (helpdesk_mgmt only sets it when the fetchmail cron runs, not for every
        gateway delivery)."""
        custom_values = dict(custom_values or {})
        if not custom_values.get("channel_id"):
            email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", False)
            if email:
                custom_values["channel_id"] = email.id
        origin_id = custom_values.get("origin_ticket_id")
        if origin_id:
            self.browse(origin_id)._sla_lock_for_followup()
        ticket = super().message_new(msg_dict, custom_values=custom_values)
        if ticket.origin_ticket_id:
            ticket._sla_notify_followup()
        return ticket

    def _sla_lock_for_followup(self):
        """Several workers: two mails answering one closed ticket at once must not
        open two follow-ups (each saw none in its snapshot). Opening a follow-up
        first writes the row of the ticket it follows up, a conflicting write: the
        second transaction waits for the first, then fails with a serialization
        error, whereas a bare SELECT ... FOR UPDATE would not show it the first
        one's follow-up under REPEATABLE READ. Odoo retries RPC deliveries
        (odoo-mailgate), and the retry joins the open follow-up; fetchmail is not
        retried: that mail fails and is logged (a POP mailbox keeps it for the next
        run)."""
        self.ensure_one()
        touch_rows(self)

    def message_update(self, msg_dict, update_vals=None):
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        from_customer = not author.user_ids.filtered(lambda user: not user.share)
        for ticket in self:
            if (
                from_customer
                and ticket._sla_closed_too_long()
                and ticket.company_id.qubiq_closed_reply_mode == "reopen"
            ):
                ticket._sla_reopen_for_reply()
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.model
    def _sla_reroute_closed(self, routes, message_dict, message=None):
        """The routes of an incoming e-mail, where a customer's reply to a ticket
        closed longer ago than the company allows goes to a follow-up ticket (mode
        "new"): the open follow-up an earlier late reply opened, else a new one.
        Automatic replies (out of office) and messages of the support team stay in
        the closed ticket. Mode "reopen" is applied by ``message_update``."""
        if message is not None and _is_automatic(message):
            return list(routes or ())
        author = self.env["res.partner"].browse(message_dict.get("author_id") or [])
        # sudo: the gateway routes e-mails before any user is known; only whether
        # the author is an employee is read.
        if author.sudo().user_ids.filtered(lambda user: not user.share):
            return list(routes or ())
        result = []
        for route in routes or ():
            model, thread_id, custom_values, user_id, alias = route
            if model == self._name and thread_id:
                # sudo: as above; only the stage, closing date, team, company and
                # follow-ups of the ticket are read here.
                ticket = self.sudo().browse(thread_id).exists()
                if (
                    ticket
                    and ticket._sla_closed_too_long()
                    and ticket.company_id.qubiq_closed_reply_mode == "new"
                ):
                    followup = ticket.followup_ticket_ids.filtered(
                        lambda t: not t.stage_id.closed
                    ).sorted("id")[:1]
                    if followup:
                        route = (model, followup.id, custom_values, user_id, alias)
                    else:
                        values = dict(
                            custom_values or {},
                            **ticket._sla_followup_values(message_dict),
                        )
                        route = (model, False, values, user_id, alias)
            result.append(route)
        return result

    def _sla_closed_too_long(self):
        self.ensure_one()
        if not self.stage_id.closed or not self.closed_date:
            return False
        days = self.company_id.qubiq_closed_reply_days
        return self.closed_date <= fields.Datetime.now() - timedelta(days=days)

    def _sla_followup_values(self, message_dict):
        """Values of the ticket that a late reply to this closed ticket opens."""
        self.ensure_one()
        return {
            "origin_ticket_id": self.id,
            "team_id": self.team_id.id,
            "user_id": False,
            "company_id": self.company_id.id,
            "partner_id": message_dict.get("author_id") or self.partner_id.id,
            "type_id": self.type_id.id,
            "category_id": self.category_id.id,
        }

    def _sla_team_partners(self):
        """Partners to tell about a ticket that needs someone: the team's active
        members and leader; the ticket's last agent only if still one of them."""
        self.ensure_one()
        users = (self.team_id.user_ids | self.team_id.user_id).filtered("active")
        return users.partner_id

    def _sla_notify_followup(self):
        """Link a follow-up ticket and its closed origin, and tell the current team."""
        for ticket in self:
            origin = ticket.origin_ticket_id
            origin.message_post(
                body=Markup("%s %s")
                % (
                    _("The customer answered this closed ticket; the message opened"),
                    ticket._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
            ticket.message_post(
                body=Markup("%s %s")
                % (
                    _("Follow-up of the closed ticket"),
                    origin._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket._sla_team_partners().ids,
            )

    def _sla_reopen_for_reply(self):
        """Reopen a ticket closed long ago that the customer answers (mode "reopen"):
        back to the team's first open stage, unassigned if its agent left the team."""
        for ticket in self:
            stages = ticket.team_id._get_applicable_stages().filtered(
                lambda stage: not stage.closed
            )
            values = {"stage_id": stages.sorted("sequence")[:1].id}
            if ticket.user_id and ticket.user_id not in ticket.team_id.user_ids:
                values["user_id"] = False
            ticket.write(values)
            ticket.message_post(
                body=_(
                    "The customer answered this ticket, closed for more than "
                    "%(days)s days: it is open again for the team.",
                    days=ticket.company_id.qubiq_closed_reply_days,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket._sla_team_partners().ids,
            )

    def action_open_followups(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Follow-ups of %s", self.display_name),
            "res_model": "helpdesk.ticket",
            "view_mode": "tree,form",
            "domain": [("origin_ticket_id", "=", self.id)],
            "context": {"create": False},
        }


# Headers by which mail servers mark messages nobody wrote (RFC 3834 and the usual
# vendor ones): they must not open a ticket for the team.
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond")


def _is_automatic(message):
    """Whether an e-mail (``email.message.Message``) was sent by a machine: an
    out-of-office answer, a list or bulk mailing."""
    if (message.get("Auto-Submitted") or "no").strip().lower() != "no":
        return True
    if (message.get("Precedence") or "").strip().lower() in (
        "auto_reply",
        "bulk",
        "junk",
        "list",
    ):
        return True
    return any(message.get(header) for header in AUTO_REPLY_HEADERS)
