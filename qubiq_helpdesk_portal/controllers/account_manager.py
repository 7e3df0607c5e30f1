# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, fields, http
from odoo.http import request

from ..models import portal_checks
from ..models.qubiq_satisfaction_followup import TOPICS
from .portal import MAX_MESSAGE_LENGTH, QubiqHelpdeskPortal


class QubiqAccountManagerPortal(QubiqHelpdeskPortal):
    """ "Contact my account manager": a customer tells their account manager what
    went wrong (a follow-up the manager handles), about one of their tickets or
    none; rate-limited like new tickets."""

    def _qubiq_account_manager_values(self, **extra):
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        # sudo: the customer may see who their account manager is (name and
        # contact details), not read internal users.
        manager = partner.sudo()._qubiq_account_manager()
        topic_labels = dict(
            request.env["qubiq.satisfaction.followup"]
            ._fields["topic"]
            ._description_selection(request.env)
        )
        tickets = request.env["helpdesk.ticket"].search(
            [], order="create_date desc", limit=50
        )
        values.update(
            {
                "page_name": "account_manager",
                "qubiq_manager": manager,
                "qubiq_topics": [(key, topic_labels[key]) for key, _label in TOPICS],
                "qubiq_tickets": tickets,
                "qubiq_errors": [],
                "qubiq_form": {"topic": "dissatisfaction", "message": ""},
                "qubiq_sent": False,
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/account-manager"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_account_manager(self, sent=None, ticket_id=None, **kw):
        values = self._qubiq_account_manager_values(qubiq_sent=bool(sent))
        if ticket_id and str(ticket_id).isdigit():
            values["qubiq_form"]["ticket_id"] = str(ticket_id)
        return request.render("qubiq_helpdesk_portal.portal_account_manager", values)

    @http.route(
        ["/my/account-manager/send"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_account_manager_send(self, topic=None, message="", ticket_id=None, **kw):
        partner = request.env.user.partner_id
        company = request.env.company
        text = (message or "").strip()
        errors = []
        if topic not in dict(TOPICS):
            errors.append(_("Subject: choose what you want to talk about."))
        if not text:
            errors.append(
                _(
                    "Message: tell your account manager what happened; they will "
                    "get back to you."
                )
            )
        elif len(text) > MAX_MESSAGE_LENGTH:
            errors.append(
                _("Message: keep it under %(max)s characters.", max=MAX_MESSAGE_LENGTH)
            )
        ticket = request.env["helpdesk.ticket"]
        if ticket_id:
            ticket_sudo = (
                self._qubiq_customer_ticket(int(ticket_id))
                if str(ticket_id).isdigit()
                else None
            )
            if ticket_sudo is None:
                errors.append(_("Ticket: choose one of your tickets, or none."))
            else:
                ticket = ticket_sudo
        Followup = request.env["qubiq.satisfaction.followup"].sudo()
        recent = Followup.search_count(
            [
                ("partner_id", "=", partner.id),
                ("origin", "=", "portal"),
                ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
            ]
        )
        if portal_checks.rate_limited(recent, company.qubiq_portal_ticket_rate_limit):
            errors.append(
                _(
                    "You have already sent %(count)s messages in the last hour: your "
                    "account manager has them. Please wait before sending more.",
                    count=recent,
                )
            )
        if errors:
            values = self._qubiq_account_manager_values(
                qubiq_errors=errors,
                qubiq_form={
                    "topic": topic,
                    "message": message or "",
                    "ticket_id": str(ticket_id or ""),
                },
            )
            return request.render(
                "qubiq_helpdesk_portal.portal_account_manager", values, status=400
            )
        # sudo: follow-ups are internal records; the input is validated and the
        # ticket, if any, is one the user may read.
        Followup._qubiq_create_from_portal(partner, topic, text, ticket or None)
        return request.redirect("/my/account-manager?sent=1")
