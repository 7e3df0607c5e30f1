# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import hours_engine as engine


class ReportHoursStatement(models.AbstractModel):
    """The customer's hours-bank statement for a period (PDF, Spanish for Spanish
    customers): the same figures as the bank's form, its packs, the time per ticket
    or task and every timesheet line with its real and billed time."""

    _name = "report.qubiq_hours_bank.report_hours_statement"
    _description = "Hours bank statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        banks = self.env["qubiq.hours.bank"].browse(docids or data.get("bank_ids"))
        banks.check_access_rights("read")
        banks.check_access_rule("read")
        date_from = fields.Date.to_date(data.get("date_from")) or None
        date_to = fields.Date.to_date(data.get("date_to")) or None
        if date_from and date_to and date_from > date_to:
            raise UserError(
                _(
                    "Period: the start (%(start)s) is after the end (%(end)s).",
                    start=date_from,
                    end=date_to,
                )
            )
        statements = {
            bank.id: self._hours_statement(bank.sudo(), date_from, date_to)
            for bank in banks
        }
        return {
            "doc_ids": banks.ids,
            "doc_model": "qubiq.hours.bank",
            "docs": banks,
            "statements": statements,
            "format_hours": engine.format_hours,
            "today": fields.Date.context_today(self),
        }

    @api.model
    def _hours_statement(self, bank, date_from=None, date_to=None):
        """What the statement (PDF and portal) shows for one bank and period: its
        figures, its packs, the time per ticket or task and every timesheet line."""
        bank.ensure_one()
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(date_from) if date_from else None
        date_to = fields.Date.to_date(date_to) if date_to else today
        balance = bank._hours_balances(date_from, date_to)[bank.id]
        lines_domain = [("hours_bank_id", "=", bank.id), ("date", "<=", date_to)]
        if date_from:
            lines_domain.append(("date", ">=", date_from))
        packs = (
            bank.env["qubiq.hours.pack"]
            .sudo()
            .search(
                [
                    ("bank_id", "=", bank.id),
                    ("state", "in", ("active", "expired")),
                    ("date_start", "<=", date_to),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", date_from or date_to.replace(year=1900)),
                ]
            )
        )
        positions = {
            p.key: p for p in bank._hours_pack_positions(date_to).get(bank.id, ())
        }
        pack_rows = []
        for pack in packs:
            position = positions.get(pack.id)
            pack_rows.append(
                {
                    "pack": pack,
                    "hours": pack.hours,
                    "consumed": engine.to_hours(position.consumed if position else 0),
                    "remaining": engine.to_hours(
                        position.remaining(date_to) if position else 0
                    ),
                    "expired": engine.to_hours(
                        position.expired(date_to) if position else 0
                    ),
                }
            )
        lines = (
            bank.env["account.analytic.line"]
            .sudo()
            .search(lines_domain, order="date, id")
        )
        return {
            "bank": bank,
            "date_from": date_from,
            "date_to": date_to,
            "balance": engine.balance_dict(balance),
            "packs": pack_rows,
            "works": bank.env["qubiq.hours.dashboard"]._hours_by_work(
                lines_domain, limit=1000
            ),
            "lines": lines,
        }
