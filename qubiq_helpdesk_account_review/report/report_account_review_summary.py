# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models import review_engine as engine


class ReportAccountReviewSummary(models.AbstractModel):
    """The account manager's one-page summary of the month: per customer, contract
    compliance, bad ratings, hours left and forecast, and the early warnings."""

    _name = "report.qubiq_helpdesk_account_review.report_review_summary"
    _description = "Account review summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        managers = self.env["res.users"].browse(docids)
        month = data.get("month") or engine.previous_month(
            fields.Date.context_today(self)
        )
        company = self.env["res.company"].browse(
            data.get("company_id") or self.env.company.id
        )
        Review = self.env["qubiq.account.review"].with_company(company)
        _contracts, _banks, partners = Review._candidates(month, company)
        # Only the customers of these managers: one figure computation for them all.
        partners = partners.filtered(lambda p: p._qubiq_account_manager() in managers)
        _first, last = engine.month_bounds(month)
        figures = Review._figures(partners, month, last)
        events = Review._warnings(figures, month, company)
        Warning = self.env["qubiq.account.review.warning"]
        rows = {}
        for manager in managers:
            mine = partners.filtered(
                lambda p, m=manager: p._qubiq_account_manager() == m
            ).sorted("name")
            rows[manager.id] = [
                {
                    "partner": partner,
                    "figures": figures[partner.id],
                    "warnings": [
                        Warning.new(
                            {
                                "partner_id": partner.id,
                                "kind": kind,
                                "period": period,
                                "company_id": company.id,
                            }
                        )._describe(values)
                        for kind, period, values in events.get(partner.id, [])
                    ],
                }
                for partner in mine
            ]
        return {
            "doc_ids": managers.ids,
            "doc_model": "res.users",
            "docs": managers,
            "rows": rows,
            "month": month,
            "company": company,
        }
