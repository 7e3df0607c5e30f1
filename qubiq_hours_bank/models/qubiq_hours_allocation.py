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

    One file a step: the rows and their invoicing state (here, with
    :meth:`_hours_apply`, which writes them, and :meth:`_hours_frozen`, which reads
    them); who pays for a line (``qubiq_hours_allocation_classify.py``); billing and
    allocating a bank (``qubiq_hours_allocation_consume.py``); the pass after
    commit (``qubiq_hours_allocation_commit.py``).
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
