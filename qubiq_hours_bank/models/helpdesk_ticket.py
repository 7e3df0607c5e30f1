# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import hours_engine as engine
from .account_analytic_line import BILLING_REASONS
from .qubiq_hours_bank import BALANCE_STATES

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
        "from the hours bank even when the contract would cover it (seed 003).",
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
        contracts = self.env["account.analytic.line"]._hours_contracts_of(
            self.partner_id.commercial_partner_id
        )
        for ticket in self:
            _partner, billable, reason, _kind = ticket._hours_decide_ticket(
                today, ticket.company_id, contracts
            )
            ticket.hours_billable = billable
            ticket.hours_billing_reason = reason

    def _hours_decide_ticket(self, day, company, contracts):
        """``(customer, billable, reason, kind)`` of time spent on the ticket on
        ``day``: the provider's own error is never billed, a repeated request
        always is, then the type decides (evolutivo: always), then the customer's
        maintenance contract in force that day (none: billed)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        ticket_type = self.type_id
        kind = ticket_type.hours_work_kind or "incident"
        if not partner:
            return partner, False, False, kind
        if self.hours_provider_error:
            return partner, False, "provider_error", kind
        if self.hours_repeated:
            return partner, True, "repeated", kind
        policy = ticket_type.hours_bank_policy or "contract"
        if policy == "always":
            return partner, True, "type_always", kind
        if policy == "never":
            return partner, False, "type_never", kind
        contract = next(
            (
                c
                for c in contracts.get((partner.id, company.id), ())
                if c.date_start <= day and (not c.date_end or day <= c.date_end)
            ),
            None,
        )
        if not contract:
            return partner, True, "no_contract", kind
        if ticket_type in contract.hours_bank_type_ids:
            return partner, True, "contract_type", kind
        return partner, False, "contract", kind

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
        pairs = {
            (t.partner_id.commercial_partner_id.id, t.company_id.id)
            for t in self
            if t.partner_id
        }
        banks = (
            self.env["qubiq.hours.bank"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", [p for p, _c in pairs]),
                    ("company_id", "in", [c for _p, c in pairs]),
                ]
            )
        )
        by_pair = {(b.partner_id.id, b.company_id.id): b for b in banks}
        balances = banks._hours_balances()
        for ticket in self:
            real, billed = figures.get(ticket._origin.id, (0.0, 0.0))
            ticket.hours_billable_real = real
            ticket.hours_billed = billed
            bank = by_pair.get(
                (ticket.partner_id.commercial_partner_id.id, ticket.company_id.id)
            )
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
            self.timesheet_ids._hours_resync()
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
        frozen = changing.sudo().timesheet_ids._hours_frozen()
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

    def _hours_check_excess(self):
        """ "Dedicación excesiva": an activity for the account manager the first time
        a ticket's time passes its limit (its estimate, for an evolutivo); re-armed
        when the time falls back under it or the estimate grows."""
        tickets = self.sudo().exists()
        if not tickets:
            return
        banks = (
            self.env["qubiq.hours.bank"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", tickets.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", tickets.company_id.ids),
                ]
            )
        )
        by_pair = {(b.partner_id.id, b.company_id.id): b for b in banks}
        for ticket in tickets:
            bank = by_pair.get(
                (ticket.partner_id.commercial_partner_id.id, ticket.company_id.id),
                banks.browse(),
            )
            limit = bank._hours_excess_limit_seconds(ticket)
            consumed = engine.to_seconds(ticket.total_hours)
            excessive = engine.is_excessive(consumed, limit)
            if excessive and not ticket.hours_excess_notified:
                ticket.hours_excess_notified = True
                ticket._hours_warn_excess(consumed, limit)
            elif not excessive and ticket.hours_excess_notified:
                ticket.hours_excess_notified = False

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
        if manager:
            self.activity_schedule(
                "qubiq_hours_bank.mail_activity_type_excess",
                user_id=manager.id,
                summary=_("Excessive dedication"),
                note=note,
            )
        else:
            self.message_post(body=note)

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
