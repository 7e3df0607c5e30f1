# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import hours_engine as engine
from .account_analytic_line import BILLING_REASONS
from .qubiq_hours_bank import BALANCE_STATES
from .warning_activity import warn_manager

# Changing one of these decides again whether the ticket's time is billable.
CLASSIFY_FIELDS = (
    "type_id",
    "partner_id",
    "company_id",
    "hours_repeated",
    "hours_provider_error",
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    hours_repeated = fields.Boolean(
        string="Repeated request",
        tracking=True,
        copy=False,
        help="The customer asked about the same topic again: its time is billed "
        "from the hours bank even when the contract would cover it.",
    )
    hours_provider_error = fields.Boolean(
        string="Provider's own error",
        tracking=True,
        copy=False,
        help="Caused by our own mistake: its time is never billed.",
    )
    hours_bank_id = fields.Many2one(
        "qubiq.hours.bank", string="Hours bank", compute="_compute_hours_figures"
    )
    hours_billed = fields.Float(string="Billed time", compute="_compute_hours_figures")
    hours_billable_real = fields.Float(
        string="Billable real time", compute="_compute_hours_figures"
    )
    hours_billable = fields.Boolean(
        string="Consumes the hours bank", compute="_compute_hours_decision"
    )
    hours_billing_reason = fields.Selection(
        BILLING_REASONS, string="Why", compute="_compute_hours_decision"
    )
    hours_bank_remaining = fields.Float(
        string="Left in the bank", compute="_compute_hours_figures"
    )
    hours_bank_state = fields.Selection(
        BALANCE_STATES, string="Bank status", compute="_compute_hours_figures"
    )
    hours_excess_notified = fields.Boolean(
        string="Excessive dedication warned", readonly=True, copy=False
    )

    @api.depends(*CLASSIFY_FIELDS, "type_id.hours_bank_policy")
    def _compute_hours_decision(self):
        """What a timesheet logged today on the ticket would be."""
        today = fields.Date.context_today(self)
        contracts = (
            self.env["qubiq.support.contract"]
            .sudo()
            ._find_active(
                {
                    (
                        ticket.commercial_partner_id.id,
                        ticket.company_id.id,
                        today,
                    )
                    for ticket in self
                    if ticket.partner_id
                },
                states=("active", "expired"),
            )
        )
        Allocation = self.env["qubiq.hours.allocation"]
        for ticket in self:
            _partner, billable, reason, _kind = Allocation._hours_decide_ticket(
                ticket, today, ticket.company_id, contracts
            )
            ticket.hours_billable = billable
            ticket.hours_billing_reason = reason

    def _compute_hours_figures(self):
        tickets = self.filtered("id")
        Line = self.env["account.analytic.line"].sudo()
        figures = {
            ticket.id: (real, billed)
            for ticket, real, billed in Line._read_group(
                [("ticket_id", "in", tickets.ids), ("hours_billable", "=", True)],
                ["ticket_id"],
                ["unit_amount:sum", "hours_billed:sum"],
            )
        }
        by_pair = self.env["qubiq.hours.bank"]._hours_find(
            {
                (t.commercial_partner_id.id, t.company_id.id)
                for t in self
                if t.partner_id
            }
        )
        banks = self.env["qubiq.hours.bank"].sudo().union(*by_pair.values())
        balances = banks._hours_balances()
        for ticket in self:
            real, billed = figures.get(ticket._origin.id, (0.0, 0.0))
            ticket.hours_billable_real = real
            ticket.hours_billed = billed
            bank = by_pair.get((ticket.commercial_partner_id.id, ticket.company_id.id))
            ticket.hours_bank_id = bank
            ticket.hours_bank_state = bank.balance_state if bank else False
            ticket.hours_bank_remaining = (
                engine.to_hours(balances[bank.id].remaining) if bank else 0.0
            )

    def write(self, vals):
        classify = [f for f in CLASSIFY_FIELDS if f in vals]
        if classify:
            self._hours_check_can_reclassify(vals, classify)
        res = super().write(vals)
        if classify:
            # The ticket decides what its time costs: consume it again.
            lines = self.timesheet_ids
            self.env["qubiq.hours.allocation"]._hours_consume(
                lines, lines._hours_positions()
            )
            lines.sudo().filtered("project_id").ticket_id._hours_check_excess()
        if "estimate_hours" in vals:
            self._hours_check_excess()
        return res

    def _hours_check_can_reclassify(self, vals, fnames):
        """Invoiced or locked time keeps its billing: refuse a change that would
        bill it differently."""
        changing = self.filtered(
            lambda t: any(
                t._fields[f].convert_to_cache(vals[f], t)
                != t._fields[f].convert_to_cache(t[f], t)
                for f in fnames
            )
        )
        frozen = self.env["qubiq.hours.allocation"]._hours_frozen(
            changing.sudo().timesheet_ids
        )
        if frozen:
            ticket = frozen[0].ticket_id
            raise UserError(
                _(
                    "%(fields)s: the ticket %(ticket)s has timesheets invoiced, on a "
                    "sales order or in a closed period of the hours bank; changing "
                    "this would bill them differently. Cancel that sales order or "
                    "ask the account manager to reopen the period first.",
                    fields=", ".join(
                        self._fields[f]._description_string(self.env) for f in fnames
                    ),
                    ticket=ticket.display_name,
                )
            )

    def _hours_check_excess(self, known_banks=None):
        """ "Dedicación excesiva": an activity for the account manager the first time
        a ticket's time passes its limit (its estimate, for an evolutivo); re-armed
        when the time falls back under it or the estimate grows.
        ``known_banks``: ``{(customer id, company id): bank}`` already found (the
        active banks of the timesheets just consumed): only the other pairs are
        searched."""
        tickets = self.sudo()
        if not tickets:
            return
        pairs = {
            (ticket.commercial_partner_id.id, ticket.company_id.id)
            for ticket in tickets
        }
        by_pair = {
            pair: bank for pair, bank in (known_banks or {}).items() if pair in pairs
        }
        missing = pairs - set(by_pair)
        if missing:
            by_pair.update(self.env["qubiq.hours.bank"]._hours_find(missing))
        to_warn, warned, rearmed = [], tickets.browse(), tickets.browse()
        for ticket in tickets:
            bank = by_pair.get(
                (ticket.commercial_partner_id.id, ticket.company_id.id),
                self.env["qubiq.hours.bank"],
            )
            limit = bank._hours_excess_limit_seconds(ticket)
            consumed = engine.to_seconds(ticket.total_hours)
            excessive = engine.is_excessive(consumed, limit)
            if excessive and not ticket.hours_excess_notified:
                warned |= ticket
                to_warn.append((ticket, consumed, limit))
            elif not excessive and ticket.hours_excess_notified:
                rearmed |= ticket
        warned.write({"hours_excess_notified": True})
        rearmed.write({"hours_excess_notified": False})
        for ticket, consumed, limit in to_warn:
            ticket._hours_warn_excess(consumed, limit)

    def _hours_warn_excess(self, consumed, limit):
        self.ensure_one()
        if self.requires_estimate and self.estimate_hours:
            note = _(
                "%(ticket)s has taken %(consumed)s h, more than its estimate of "
                "%(limit)s h. Tell the customer before going on.",
                ticket=self.display_name,
                consumed=engine.format_duration(consumed),
                limit=engine.format_duration(limit),
            )
        else:
            note = _(
                "%(ticket)s has taken %(consumed)s h, more than the %(limit)s h a "
                "request should take. Check it with the support team.",
                ticket=self.display_name,
                consumed=engine.format_duration(consumed),
                limit=engine.format_duration(limit),
            )
        manager = self._qubiq_account_manager()
        if not manager:
            self.message_post(body=note)
            return
        warn_manager(
            self,
            "qubiq_hours_bank.mail_activity_type_excess",
            manager,
            _("Excessive dedication"),
            note,
        )

    def action_view_hours_bank(self):
        self.ensure_one()
        if not self.hours_bank_id:
            raise UserError(
                _(
                    "Customer: %(customer)s has no hours bank yet; it is created "
                    "with the first pack sold or the first billable time.",
                    customer=self.partner_id.commercial_partner_id.display_name
                    or _("none"),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "qubiq.hours.bank",
            "res_id": self.hours_bank_id.id,
            "view_mode": "form",
        }
