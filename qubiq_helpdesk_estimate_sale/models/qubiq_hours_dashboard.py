# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class QubiqHoursDashboard(models.AbstractModel):
    """The hours-bank dashboard also lists the evolutivos of its customers with an
    accepted or pending estimate: the estimated hours against the time logged since
    the customer accepted (analysis time excluded), so the account manager sees
    which improvement runs over its estimate before the 100% warning."""

    _inherit = "qubiq.hours.dashboard"

    @api.model
    def hours_dashboard(self, *args, **kwargs):
        data = super().hours_dashboard(*args, **kwargs)
        partners = self.env["qubiq.hours.bank"].browse(data["bank_ids"]).partner_id
        data["estimates"] = self._hours_estimates(partners)
        return data

    @api.model
    def _hours_estimates(self, partners, limit=20):
        """The evolutivos of ``partners`` with an estimate sent or accepted, the
        ones furthest over their estimate first."""
        # sudo: an account manager without helpdesk rights on every ticket reads
        # the estimates of the customers on the dashboard, whose banks they read.
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partners.ids),
                    ("estimate_hours", ">", 0),
                    ("estimate_state", "in", ("sent", "approved")),
                ]
            )
            if partners
            else self.env["helpdesk.ticket"]
        )
        states = dict(
            tickets._fields["estimate_state"]._description_selection(self.env)
        )
        rows = [
            {
                "name": ticket.display_name,
                "customer": ticket.partner_id.commercial_partner_id.display_name,
                "model": "helpdesk.ticket",
                "res_id": ticket.id,
                "state": states.get(ticket.estimate_state, ""),
                "estimate": ticket.estimate_hours,
                "actual": ticket.estimate_timesheet_hours,
                "percent": round(
                    100 * ticket.estimate_timesheet_hours / ticket.estimate_hours
                ),
            }
            for ticket in tickets
        ]
        rows.sort(key=lambda r: (-r["percent"], r["name"]))
        return rows[:limit]
