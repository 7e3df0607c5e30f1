# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    qubiq_estimate_analysis = fields.Boolean(
        string="Estimate analysis",
        readonly=True,
        copy=False,
        help="Logged on a new requirement before the customer accepted its "
        "estimate: analysis time, never billed nor counted against the estimate.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = self.env["helpdesk.ticket"].browse(
            {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        )
        analysis = self._estimate_pre_approval(tickets)
        for vals in vals_list:
            if vals.get("ticket_id") in analysis:
                vals["qubiq_estimate_analysis"] = True
        lines = super().create(vals_list)
        lines._estimate_tickets()._estimate_check_consumption()
        return lines

    def write(self, vals):
        if vals.get("ticket_id"):
            ticket = self.env["helpdesk.ticket"].browse(vals["ticket_id"])
            vals = dict(
                vals,
                qubiq_estimate_analysis=bool(self._estimate_pre_approval(ticket)),
            )
        if not {"ticket_id", "unit_amount", "project_id"} & set(vals):
            return super().write(vals)
        tickets = self._estimate_tickets()
        res = super().write(vals)
        (tickets | self._estimate_tickets())._estimate_check_consumption()
        return res

    # No unlink hook: removing time never reaches a new warning level.

    def _estimate_tickets(self):
        """Their tickets whose time is compared with an accepted estimate."""
        # sudo: only the type's flag and the estimate state are read, to skip the
        # other tickets without record-rule queries.
        tickets = self.sudo().ticket_id.filtered(
            lambda t: t.requires_estimate and t.estimate_state == "approved"
        )
        return tickets.with_env(self.env)

    @api.model
    def _estimate_pre_approval(self, tickets):
        """Ids of ``tickets`` where time is logged as analysis; raises on those
        (new requirements not accepted yet) whose setting refuses time."""
        analysis = set()
        # sudo: the rule reads the ticket's team and company settings, which the
        # person logging time may not read.
        for ticket in tickets.sudo():
            if not ticket.requires_estimate or ticket.estimate_state == "approved":
                continue
            mode = (
                ticket.team_id.estimate_pre_approval
                or ticket.company_id.qubiq_estimate_pre_approval
                or "refuse"
            )
            if mode == "analysis":
                analysis.add(ticket.id)
                continue
            raise UserError(
                _(
                    "Timesheets: %(ticket)s is a new requirement whose estimate the "
                    "customer has not accepted yet; time can be logged once the "
                    "estimate is accepted.",
                    ticket=ticket.display_name,
                )
            )
        return analysis
