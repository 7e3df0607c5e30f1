# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from . import hours_engine as engine


class QubiqHoursDashboard(models.AbstractModel):
    """The account manager's dashboard (client action ``qubiq_hours_bank.dashboard``)
    and the time per ticket or task that the statement lists too. No table: it reads
    the banks' balances and groups their timesheets."""

    _name = "qubiq.hours.dashboard"
    _description = "Hours bank dashboard"

    @api.model
    def hours_dashboard(
        self,
        period="this_year",
        date_from=None,
        date_to=None,
        bank_ids=None,
        mine=False,
    ):
        """Figures of the account manager's dashboard (client action
        ``qubiq_hours_bank.dashboard``): totals, per customer, per ticket/task, per
        month and development vs incidents, for a named period or explicit dates.
        Query count does not depend on the number of timesheet lines."""
        today = fields.Date.context_today(self)
        if period and period != "custom":
            date_from, date_to = engine.period_bounds(period, today)
        else:
            date_from = fields.Date.to_date(date_from) if date_from else None
            date_to = fields.Date.to_date(date_to) if date_to else today
        if date_from and date_to and date_from > date_to:
            raise UserError(
                _(
                    "Period: the start (%(start)s) is after the end (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        Bank = self.env["qubiq.hours.bank"]
        domain = []
        if bank_ids:
            domain.append(("id", "in", bank_ids))
        if mine:
            domain = expression.AND([domain, self._hours_mine_domain()])
        banks = Bank.search(domain)
        balances = banks._hours_balances(date_from, date_to)
        totals = dict.fromkeys(engine.BALANCE_KEYS, 0)
        customers = []
        for bank in banks:
            balance = balances[bank.id]
            for key in engine.BALANCE_KEYS:
                totals[key] += engine.balance_value(balance, key)
            customers.append(
                {
                    "id": bank.id,
                    "name": bank.partner_id.display_name,
                    "state": bank.balance_state,
                    **engine.balance_dict(balance),
                }
            )
        customers.sort(key=lambda c: (-c["consumed_billed"], c["name"]))
        lines_domain = [("hours_bank_id", "in", banks.ids), ("date", "<=", date_to)]
        if date_from:
            lines_domain.append(("date", ">=", date_from))
        state_labels = dict(
            Bank._fields["balance_state"]._description_selection(self.env)
        )
        return {
            "date_from": fields.Date.to_string(date_from) if date_from else False,
            "date_to": fields.Date.to_string(date_to),
            "period": period or "custom",
            "totals": {k: engine.to_hours(v) for k, v in totals.items()},
            "customers": customers,
            "states": state_labels,
            # The period choices with their translated labels, for the selector.
            "periods": self.env["qubiq.hours.statement.wizard"]
            ._fields["period"]
            ._description_selection(self.env),
            "works": self._hours_by_work(lines_domain),
            "months": self._hours_by_month(lines_domain),
            "bank_ids": banks.ids,
        }

    @api.model
    def _hours_mine_domain(self):
        uid = self.env.uid
        return [
            "|",
            ("partner_id.account_manager_id", "=", uid),
            "&",
            ("partner_id.account_manager_id", "=", False),
            ("partner_id.user_id", "=", uid),
        ]

    @api.model
    def _hours_by_work(self, lines_domain, limit=20):
        """Hours per ticket or task (the ``limit`` biggest, then "others")."""
        Line = self.env["account.analytic.line"].sudo()
        rows = []
        for ticket, task, real, billed in Line._read_group(
            lines_domain,
            ["ticket_id", "task_id"],
            ["unit_amount:sum", "hours_billed:sum"],
        ):
            if ticket:
                label, model, res_id = ticket.display_name, "helpdesk.ticket", ticket.id
                kind = ticket.type_id.name or ""
            elif task:
                label, model, res_id = task.display_name, "project.task", task.id
                kind = _("Task")
            else:
                continue
            rows.append(
                {
                    "name": label,
                    "model": model,
                    "res_id": res_id,
                    "kind": kind,
                    "real": real,
                    "billed": billed,
                }
            )
        # A ticket linked to a task is one work: merge its rows.
        merged = {}
        for row in rows:
            key = (row["model"], row["res_id"])
            if key in merged:
                merged[key]["real"] += row["real"]
                merged[key]["billed"] += row["billed"]
            else:
                merged[key] = row
        rows = sorted(merged.values(), key=lambda r: (-r["billed"], r["name"]))
        if len(rows) > limit:
            rest = rows[limit:]
            rows = rows[:limit] + [
                {
                    "name": _("%(count)s more", count=len(rest)),
                    "model": False,
                    "res_id": False,
                    "kind": "",
                    "real": sum(r["real"] for r in rest),
                    "billed": sum(r["billed"] for r in rest),
                }
            ]
        return rows

    @api.model
    def _hours_by_month(self, lines_domain):
        Line = self.env["account.analytic.line"].sudo()
        months = defaultdict(lambda: {"development": 0.0, "incident": 0.0})
        for month, kind, billed in Line._read_group(
            expression.AND([lines_domain, [("hours_billable", "=", True)]]),
            ["date:month", "hours_work_kind"],
            ["hours_billed:sum"],
        ):
            months[month][kind or "incident"] += billed
        if not months:
            return []
        # Every month between the first and the last, so the bars keep the time
        # scale (a month without time shows as an empty bar).
        first, last = min(months), max(months)
        result = []
        month = first
        while month <= last:
            values = months.get(month, {"development": 0.0, "incident": 0.0})
            result.append({"month": fields.Date.to_string(month), **values})
            month = (month + timedelta(days=32)).replace(day=1)
        return result
