# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

from . import hours_engine as engine

ALLOCATION_KINDS = [
    ("pack", "From a pack"),
    ("overage", "Overage"),
    ("direct", "Invoiced apart"),
]
BILLING_STATES = [
    ("prepaid", "Prepaid"),
    ("pending", "To invoice"),
    ("ordered", "On a sales order"),
    ("invoiced", "Invoiced"),
]
# What frozen checks and _hours_apply read of a consumption row.
ALLOCATION_FIELDS = [
    "timesheet_id",
    "pack_id",
    "kind",
    "hours",
    "date",
    "billing_state",
]


class QubiqHoursAllocation(models.Model):
    """Where the billed time of a timesheet line went: a pack (oldest-first), or
    overage / development invoiced apart, with its invoicing state.

    This model owns the consumption of timesheets: :meth:`_hours_consume` (called by
    the timesheets' create, write and unlink) classifies the lines, bills them by
    the bank's rule and allocates the banks again; :meth:`_hours_rebalance` (called
    by packs and banks) bills and allocates banks again. They write the lines'
    billing fields and these rows; the consumption of timesheets then refreshes
    the banks' status, while packs and banks refresh their own, so that no model
    is called back by the one it called.
    A line spanning the end of one pack and the start of the next has two rows.

    Two files: here the rows, their invoicing state, which lines may no longer
    change (:meth:`_hours_frozen`), who pays for a line (:meth:`_hours_classify`)
    and the writing of the rows (:meth:`_hours_apply`); billing and allocating a
    bank, and the same again after commit when another worker consumed it
    meanwhile, in ``qubiq_hours_allocation_consume.py``.
    """

    _name = "qubiq.hours.allocation"
    _description = "Hours bank consumption"
    _order = "date desc, id desc"
    # The timesheet's description, through the related field (computed as
    # superuser): the bank's readers see every agent's consumption but may not
    # read other agents' timesheets, or any without timesheet rights.
    _rec_name = "name"

    timesheet_id = fields.Many2one(
        "account.analytic.line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    bank_id = fields.Many2one(
        "qubiq.hours.bank",
        string="Hours bank",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="bank_id.partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="bank_id.company_id", store=True)
    pack_id = fields.Many2one(
        "qubiq.hours.pack", index="btree_not_null", ondelete="cascade", readonly=True
    )
    kind = fields.Selection(ALLOCATION_KINDS, required=True, readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    hours = fields.Float(readonly=True)
    ticket_id = fields.Many2one(related="timesheet_id.ticket_id")
    task_id = fields.Many2one(related="timesheet_id.task_id")
    employee_id = fields.Many2one(related="timesheet_id.employee_id")
    name = fields.Char(related="timesheet_id.name", string="Description")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales order line",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
        help="The line invoicing this overage or development time.",
    )
    billing_state = fields.Selection(
        BILLING_STATES,
        compute="_compute_billing_state",
        store=True,
        index=True,
        string="Invoicing",
    )

    @api.depends(
        "kind",
        "sale_line_id.state",
        "sale_line_id.qty_invoiced",
        "sale_line_id.product_uom_qty",
    )
    def _compute_billing_state(self):
        for allocation in self:
            line = allocation.sale_line_id
            if allocation.kind == "pack":
                state = "prepaid"
            elif not line or line.state == "cancel":
                state = "pending"
            elif float_compare(
                line.qty_invoiced,
                line.product_uom_qty,
                precision_rounding=line.product_uom.rounding or 0.01,
            ) >= 0 and not float_is_zero(line.qty_invoiced, precision_digits=4):
                state = "invoiced"
            else:
                state = "ordered"
            allocation.billing_state = state

    # ------------------------------------------------------------------ consumption

    @api.model
    def _hours_frozen(self, lines, allocations=None):
        """The lines whose billing may not change: their overage is on a sales order
        or invoiced, or they are dated in a bank's locked period. ``allocations``:
        every consumption row of ``lines``, when the caller has read them."""
        # Only a line in a bank has consumption rows or a lock date: a new line
        # (not classified yet) costs no query.
        lines = lines.filtered(lambda line: line.id and line.hours_bank_id)
        if not lines:
            return lines
        if allocations is None:
            allocations = self.sudo().search_fetch(
                [
                    ("timesheet_id", "in", lines.ids),
                    ("billing_state", "in", ("ordered", "invoiced")),
                ],
                ["timesheet_id", "billing_state"],
            )
        on_order = allocations.filtered(
            lambda allocation: allocation.billing_state in ("ordered", "invoiced")
        ).timesheet_id
        locked = lines.filtered(
            lambda line: (
                line.hours_bank_id.lock_date
                and line.date <= line.hours_bank_id.lock_date
            )
        )
        return (on_order | locked) & lines

    @api.model
    def _hours_classify(self, lines, deferred=False):
        """Bank, billable flag, reason and kind of each line, from its ticket (type,
        marks, the customer's contract on the line's date) or task (project).

        ``deferred`` (lines just created, which have no consumption yet): nothing
        is written; returns ``{values: line ids}``, which the caller writes with
        :meth:`_hours_write_classes` once it has searched the banks' lines (a
        search on the lines' bank would first flush the new lines' bank in an
        UPDATE of their own; written after it, the bank joins the columns the
        end of the transaction updates anyway)."""
        lines -= self._hours_frozen(lines)
        if not lines:
            return {}
        contracts = (
            self.env["qubiq.support.contract"]
            .sudo()
            ._find_active(
                {
                    # helpdesk_mgmt stores the ticket's commercial partner: no
                    # read of the contact for it.
                    (
                        line.ticket_id.commercial_partner_id.id,
                        line.company_id.id,
                        line.date,
                    )
                    for line in lines
                    if line.ticket_id.commercial_partner_id
                },
                states=("active", "expired"),
            )
        )
        decisions = {line.id: self._hours_decide(line, contracts) for line in lines}
        pairs, billable_pairs = set(), set()
        for line in lines:
            partner, billable = decisions[line.id][:2]
            if partner:
                pairs.add((partner.id, line.company_id.id))
                if billable:
                    billable_pairs.add((partner.id, line.company_id.id))
        # Billable time creates the customer's bank (or goes to its archived one).
        banks = self.env["qubiq.hours.bank"]._hours_find(pairs, create=billable_pairs)
        updates = defaultdict(list)
        for line in lines:
            partner, billable, reason, kind = decisions[line.id]
            bank = banks.get((partner.id, line.company_id.id)) if partner else None
            values = {
                "hours_bank_id": bank.id if bank else False,
                "hours_billable": bool(bank and billable),
                "hours_billing_reason": reason or False,
                "hours_work_kind": kind or False,
            }
            if not bank:
                values["hours_billed"] = 0.0
            current = {
                "hours_bank_id": line.hours_bank_id.id,
                "hours_billable": line.hours_billable,
                "hours_billing_reason": line.hours_billing_reason,
                "hours_work_kind": line.hours_work_kind,
                "hours_billed": line.hours_billed,
            }
            changed = {k: v for k, v in values.items() if current[k] != v}
            if changed:
                updates[tuple(sorted(changed.items()))].append(line.id)
        if deferred:
            return updates
        self._hours_write_classes(lines, updates)
        # Lines leaving every bank lose their consumption.
        lines.filtered(
            lambda line: not line.hours_bank_id
        ).hours_allocation_ids.unlink()
        return updates

    @api.model
    def _hours_write_classes(self, lines, updates):
        """Write the classification ``updates`` (``{values: line ids}``, from
        :meth:`_hours_classify`) on ``lines``: one write per set of values."""
        for items, ids in updates.items():
            lines.browse(ids).with_context(hours_bank_sync=True).write(dict(items))

    @api.model
    def _hours_decide(self, line, contracts):
        """``(customer, billable, reason, kind)`` of one line: its ticket decides
        (:meth:`_hours_decide_ticket`), else its project, when it consumes the
        customer's bank (development)."""
        if line.ticket_id:
            partner, billable, reason, kind = self._hours_decide_ticket(
                line.ticket_id, line.date, line.company_id, contracts
            )
            if partner and billable and line.unit_amount <= 0:
                return partner, False, "no_time", kind
            return partner, billable, reason, kind
        project = line.project_id
        if not project.hours_bank_consume:
            return self.env["res.partner"], False, False, False
        partner = (line.task_id.partner_id or project.partner_id).commercial_partner_id
        if not partner:
            return partner, False, False, "development"
        if line.unit_amount <= 0:
            return partner, False, "no_time", "development"
        return partner, True, "task", "development"

    @api.model
    def _hours_decide_ticket(self, ticket, day, company, contracts):
        """``(customer, billable, reason, kind)`` of time spent on ``ticket`` on
        ``day``: the provider's own error is never billed, a repeated request
        always is, then the type decides (evolutivo: always), then the customer's
        maintenance contract in force that day (none: billed). ``contracts``: the
        answer of ``qubiq.support.contract._find_active`` for ``(customer, company,
        day)``."""
        partner = ticket.commercial_partner_id
        ticket_type = ticket.type_id
        policy, kind = self.env["helpdesk.ticket.type"]._hours_rule(
            ticket_type._origin.id
        )
        if not partner:
            return partner, False, False, kind
        if ticket.hours_provider_error:
            return partner, False, "provider_error", kind
        if ticket.hours_repeated:
            return partner, True, "repeated", kind
        if policy == "always":
            return partner, True, "type_always", kind
        if policy == "never":
            return partner, False, "type_never", kind
        contract = contracts.get((partner.id, company.id, day))
        if not contract:
            return partner, True, "no_contract", kind
        if ticket_type in contract.hours_bank_type_ids:
            return partner, True, "contract_type", kind
        return partner, False, "contract", kind

    @api.model
    def _hours_apply(self, bank, lines, wanted, existing=None):
        """Make the allocations of ``lines`` match ``wanted`` (``{line id: [(pack id
        or None, seconds)]}``, from :func:`hours_engine.allocate`), touching only
        what differs. Lines missing from ``wanted`` lose their allocations.
        ``existing``: the consumption rows of (at least) ``lines``, when already
        read (nothing changed them since)."""
        if existing is None:
            existing = self.search_fetch(
                [("timesheet_id", "in", lines.ids)], ALLOCATION_FIELDS
            )
        else:
            ids = set(lines.ids)
            existing = existing.filtered(
                lambda allocation: allocation.timesheet_id.id in ids
            )
        by_line = defaultdict(list)
        for allocation in existing:
            by_line[allocation.timesheet_id.id].append(allocation)
        direct = "direct" if bank.development_policy == "invoice" else "overage"
        to_create, to_unlink = [], []
        to_write = defaultdict(list)
        for line in lines:
            extra = direct if line.hours_work_kind == "development" else "overage"
            target = {
                (pack_id or False, "pack" if pack_id else extra): engine.to_hours(
                    seconds
                )
                for pack_id, seconds in wanted.get(line.id, [])
            }
            kept_keys = set()
            for allocation in by_line.get(line.id, ()):
                key = (allocation.pack_id.id, allocation.kind)
                if key not in target or key in kept_keys:
                    to_unlink.append(allocation.id)
                    continue
                values = {}
                if float_compare(allocation.hours, target[key], precision_digits=6):
                    values["hours"] = target[key]
                if allocation.date != line.date:
                    values["date"] = line.date
                if values:
                    to_write[tuple(sorted(values.items()))].append(allocation.id)
                kept_keys.add(key)
            for (pack_id, kind), hours in target.items():
                if (pack_id, kind) in kept_keys:
                    continue
                to_create.append(
                    {
                        "timesheet_id": line.id,
                        "bank_id": bank.id,
                        "pack_id": pack_id,
                        "kind": kind,
                        "date": line.date,
                        "hours": hours,
                        # What the related and computed columns would be, in the
                        # INSERT instead of one UPDATE each at the next flush: the
                        # bank's customer and company, and the invoicing state of a
                        # row no sales order line invoices yet.
                        "partner_id": bank.partner_id.id,
                        "company_id": bank.company_id.id,
                        "billing_state": "prepaid" if kind == "pack" else "pending",
                    }
                )
        # One write per set of new values: a re-consumption moves many rows by the
        # same hours or to the same day.
        for items, ids in to_write.items():
            self.browse(ids).write(dict(items))
        self.browse(to_unlink).unlink()
        if to_create:
            self.create(to_create)
