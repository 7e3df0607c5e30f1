# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.qubiq_hours_bank import format_hours


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
            bank.id: bank.sudo()._hours_statement(date_from, date_to) for bank in banks
        }
        return {
            "doc_ids": banks.ids,
            "doc_model": "qubiq.hours.bank",
            "docs": banks,
            "statements": statements,
            "format_hours": format_hours,
            "today": fields.Date.context_today(self),
        }
