# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models import hours_engine as engine


class HoursBankPortal(CustomerPortal):
    """ "Mi bolsa de horas": the figures of the customer's own hours bank, the same
    as the account manager sees, with the time per ticket and the statement."""

    def _hours_banks(self):
        """The banks of the portal user's own company (the record rules allow no
        other; the explicit domain keeps internal users to theirs too)."""
        Bank = request.env["qubiq.hours.bank"]
        if not Bank.check_access_rights("read", raise_exception=False):
            return Bank
        commercial = request.env.user.partner_id.commercial_partner_id
        return Bank.search([("partner_id", "=", commercial.id)])

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "hours_bank_count" in counters:
            banks = self._hours_banks()
            if banks:
                # Figures read as superuser once the user's access to the bank is
                # checked (search above, under the portal record rules).
                balances = banks.sudo()._hours_balances()
                left = sum(balance.remaining for balance in balances.values())
                values["hours_bank_count"] = _(
                    "%(hours)s h", hours=engine.format_duration(left)
                )
            else:
                values["hours_bank_count"] = 0
        return values

    def _hours_period(self, period, date_from, date_to):
        today = fields.Date.context_today(request.env.user)
        if period not in dict(engine.PERIODS):
            period = "this_year"
        if period != "custom":
            return period, *engine.period_bounds(period, today)
        try:
            start = fields.Date.to_date(date_from) if date_from else None
            end = fields.Date.to_date(date_to) if date_to else today
        except ValueError:
            return "this_year", *engine.period_bounds("this_year", today)
        if start and end and start > end:
            start, end = end, start
        return period, start, end

    def _hours_statement_of(self, bank_sudo, start, end):
        """What the statement shows for the bank and period (the report owns it)."""
        return request.env[
            "report.qubiq_hours_bank.report_hours_statement"
        ]._hours_statement(bank_sudo, start, end)

    def _hours_statement_tickets(self, statement):
        """Ids of the tickets a statement names (time per ticket and lines)."""
        tickets = set(statement["lines"].ticket_id.ids)
        tickets.update(
            work["res_id"]
            for work in statement["works"]
            if work["model"] == "helpdesk.ticket"
        )
        return tickets

    def _hours_hidden_tickets(self, statement):
        """Ids of the statement's tickets the user may not open (record rules)."""
        tickets = self._hours_statement_tickets(statement)
        visible = request.env["helpdesk.ticket"].search([("id", "in", list(tickets))])
        return tickets - set(visible.ids)

    def _hours_works(self, works, hidden):
        """The "time per ticket" rows with the tickets in ``hidden`` summed up in
        one anonymous row."""
        shown = [
            work
            for work in works
            if not (work["model"] == "helpdesk.ticket" and work["res_id"] in hidden)
        ]
        others = [work for work in works if work not in shown]
        if others:
            shown.append(
                {
                    "name": _("Other contacts' tickets (%(count)s)", count=len(others)),
                    "model": False,
                    "res_id": False,
                    "kind": "",
                    "real": sum(work["real"] for work in others),
                    "billed": sum(work["billed"] for work in others),
                }
            )
        return shown

    def _hours_bank(self, bank_id):
        banks = self._hours_banks()
        if bank_id:
            banks = banks.filtered(lambda b: b.id == bank_id)
        return banks[:1]

    @http.route(
        ["/my/hours", "/my/hours/<int:bank_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_hours(
        self, bank_id=None, period="all", date_from=None, date_to=None, **kw
    ):
        bank = self._hours_bank(bank_id)
        if bank_id and not bank:
            # A bank the user may not see answers like any such record.
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {"page_name": "hours_bank", "bank": bank, "banks": self._hours_banks()}
        )
        if not bank:
            return request.render("qubiq_hours_bank.portal_my_hours", values)
        period, start, end = self._hours_period(period, date_from, date_to)
        bank_sudo = bank.sudo()
        statement = self._hours_statement_of(bank_sudo, start, end)
        # Show only the tickets this user may open (the portal's record rules: a
        # designated contact opens the whole company's, an ordinary contact their
        # own and followed ones): the others' titles and the agents' timesheet
        # descriptions stay hidden, their hours count in the totals.
        hidden = self._hours_hidden_tickets(statement)
        values.update(
            {
                "statement": statement,
                "works": self._hours_works(statement["works"], hidden),
                "hidden_ticket_ids": hidden,
                # The statement lists every line: only for who may open them all.
                "statement_allowed": not hidden,
                "balance": statement["balance"],
                "period": period,
                "periods": request.env["qubiq.hours.statement.wizard"]
                ._fields["period"]
                ._description_selection(request.env),
                "date_from": start,
                "date_to": end,
                "visible_ticket_ids": self._hours_statement_tickets(statement) - hidden,
                "format_hours": engine.format_hours,
                "lines": statement["lines"][-100:][::-1],
                "line_count": len(statement["lines"]),
            }
        )
        return request.render("qubiq_hours_bank.portal_my_hours", values)

    @http.route(
        ["/my/hours/statement", "/my/hours/<int:bank_id>/statement"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_hours_statement(
        self, bank_id=None, period="all", date_from=None, date_to=None, **kw
    ):
        bank = self._hours_bank(bank_id)
        if bank_id and not bank:
            raise request.not_found()
        if not bank:
            return request.redirect("/my")
        period, start, end = self._hours_period(period, date_from, date_to)
        # The statement lists every ticket and timesheet description of the
        # period: only for a user who may open all those tickets.
        if self._hours_hidden_tickets(
            self._hours_statement_of(bank.sudo(), start, end)
        ):
            return request.redirect(f"/my/hours/{bank.id}")
        data = {
            "bank_ids": bank.ids,
            "date_from": fields.Date.to_string(start) if start else False,
            "date_to": fields.Date.to_string(end),
        }
        # The user may read this bank (checked above): render as superuser, the
        # statement reads timesheets a portal user has no access to.
        report_sudo = request.env["ir.actions.report"].sudo()
        content, kind = report_sudo.with_context(
            lang=bank.partner_id.lang or request.env.lang
        )._render_qweb_pdf(
            "qubiq_hours_bank.action_report_hours_statement", bank.ids, data=data
        )
        filename = _(
            "Hours bank statement %(customer)s %(date)s",
            customer=bank.partner_id.name,
            date=end,
        )
        mimetype = "application/pdf" if kind == "pdf" else "text/html"
        extension = "pdf" if kind == "pdf" else "html"
        headers = [
            ("Content-Type", mimetype),
            ("Content-Length", len(content)),
            (
                "Content-Disposition",
                http.content_disposition(f"{filename}.{extension}"),
            ),
        ]
        return request.make_response(content, headers=headers)
