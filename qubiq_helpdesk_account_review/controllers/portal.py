# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from werkzeug.exceptions import Forbidden

from odoo import _, fields, http
from odoo.http import request
from odoo.tools.misc import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.qubiq_helpdesk_portal.models import portal_checks
from odoo.addons.qubiq_hours_bank.models import hours_engine

from ..models import review_engine as engine
from ..models.qubiq_account_review_request import REASONS

MAX_MESSAGE_LENGTH = 20000
MONTHS_SHOWN = 12


class AccountReviewPortal(CustomerPortal):
    """The designated contact's view of the contract: its compliance month by
    month, as the monthly PDF shows it, a link to the hours bank, and "talk to the
    support manager". Ordinary contacts are refused (403)."""

    def _review_customer(self):
        """The portal user's company if the user is one of its designated contacts;
        403 otherwise. Figures are then read as superuser for this company only."""
        partner = request.env.user.partner_id
        if request.env.user._is_public() or not partner.helpdesk_designated_contact:
            raise Forbidden()
        return partner.commercial_partner_id

    def _review_months(self, customer):
        """[(key, label, met, breached, rate)] of the last months, newest first: one
        aggregate over the compliance report."""
        today = fields.Date.context_today(request.env.user)
        keys = []
        day = today.replace(day=1)
        for _index in range(MONTHS_SHOWN):
            keys.append(engine.month_key(day))
            day = (day - timedelta(days=1)).replace(day=1)
        Review = request.env["qubiq.account.review"].sudo()
        start, _end = Review._utc_bounds(keys[-1])
        _start, end = Review._utc_bounds(keys[0])
        totals = {}
        # sudo: after the designated-contact check, for this customer only; the
        # compliance report is internal.
        for stamp, met, breached in (
            request.env["qubiq.sla.report"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "=", customer.id),
                    ("indicative", "=", False),
                    ("start_date", ">=", start),
                    ("start_date", "<", end),
                ],
                ["start_date:month"],
                ["met_count:sum", "breached_count:sum"],
            )
        ):
            totals[engine.month_key(stamp)] = (met, breached)
        months = []
        for key in keys:
            met, breached = totals.get(key, (0, 0))
            first, _last = engine.month_bounds(key)
            label = format_date(request.env, first, date_format="MMMM y")
            months.append((key, label, met, breached, engine.met_rate(met, breached)))
        return months

    def _review_lines(self, customer, month):
        """The compliance summary of ``month`` (the monthly PDF's figures)."""
        first, last = engine.month_bounds(month)
        # sudo: after the designated-contact check; a transient wizard for this
        # customer only.
        wizard = (
            request.env["qubiq.sla.compliance"]
            .sudo()
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": request.env.company.id,
                    "date_from": first,
                    "date_to": last,
                    "group_by": "priority",
                }
            )
        )
        wizard.action_compute()
        return wizard

    @http.route(
        ["/my/compliance"], type="http", auth="user", methods=["GET"], website=True
    )
    def portal_my_compliance(self, month=None, **kw):
        customer = self._review_customer()
        months = self._review_months(customer)
        keys = [m[0] for m in months]
        if not month or not re.fullmatch(r"\d{4}-\d{2}", month) or month not in keys:
            month = keys[0]
        wizard = self._review_lines(customer, month)
        banks = request.env["qubiq.hours.bank"].search(
            [("partner_id", "=", customer.id)]
        )
        # Figures read as superuser once the user's access to the banks is checked
        # (search above, under the portal record rules).
        balances = banks.sudo()._hours_balances()
        hours_left = hours_engine.format_duration(
            sum(balance.remaining for balance in balances.values())
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "compliance",
                "customer": customer,
                "months": months,
                "month": month,
                "wizard": wizard,
                "banks": banks,
                "hours_left": hours_left,
                "reasons": self._review_reasons(),
            }
        )
        return request.render(
            "qubiq_helpdesk_account_review.portal_my_compliance", values
        )

    def _review_reasons(self):
        labels = dict(
            request.env["qubiq.account.review.request"]
            ._fields["reason"]
            ._description_selection(request.env)
        )
        return [(key, labels[key]) for key, _label in REASONS]

    @http.route(
        ["/my/compliance/support-manager"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_support_manager(self, sent=None, **kw):
        self._review_customer()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "support_manager",
                "reasons": self._review_reasons(),
                "errors": [],
                "form": {"reason": "delays", "message": ""},
                "sent": bool(sent),
            }
        )
        return request.render(
            "qubiq_helpdesk_account_review.portal_support_manager", values
        )

    @http.route(
        ["/my/compliance/support-manager/send"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_support_manager_send(self, reason=None, message="", **kw):
        self._review_customer()
        partner = request.env.user.partner_id
        company = request.env.company
        text = (message or "").strip()
        errors = []
        if reason not in dict(REASONS):
            errors.append(_("Reason: choose why you want to talk to us."))
        if not text:
            errors.append(
                _(
                    "Message: tell the support manager what happened and what you "
                    "expect."
                )
            )
        elif len(text) > MAX_MESSAGE_LENGTH:
            errors.append(
                _("Message: keep it under %(max)s characters.", max=MAX_MESSAGE_LENGTH)
            )
        Request = request.env["qubiq.account.review.request"].sudo()
        recent = Request.search_count(
            [
                ("partner_id", "=", partner.id),
                ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
            ]
        )
        if portal_checks.rate_limited(recent, company.qubiq_portal_ticket_rate_limit):
            errors.append(
                _(
                    "You have already sent %(count)s requests in the last hour. "
                    "Please wait before sending more.",
                    count=recent,
                )
            )
        if errors:
            values = self._prepare_portal_layout_values()
            values.update(
                {
                    "page_name": "support_manager",
                    "reasons": self._review_reasons(),
                    "errors": errors,
                    "form": {"reason": reason, "message": text},
                    "sent": False,
                }
            )
            return request.render(
                "qubiq_helpdesk_account_review.portal_support_manager",
                values,
                status=400,
            )
        # sudo: portal users cannot create internal records; checked above.
        Request.create(
            {
                "partner_id": partner.id,
                "reason": reason,
                "message": text,
                "company_id": company.id,
            }
        )
        return request.redirect("/my/compliance/support-manager?sent=1")
