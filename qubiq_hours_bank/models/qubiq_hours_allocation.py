# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import OperationalError, errorcodes

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero

from . import hours_engine as engine

_logger = logging.getLogger(__name__)

# Where a transaction keeps the banks to consume again once it has committed
# (``cr.postcommit.data``), and how often that pass tries again on a deadlock.
COMMITTED_REBALANCE = "qubiq_hours_bank.rebalance"
COMMITTED_TRIES = 3

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
# What billing and allocating read of a timesheet line, fetched with its search.
LINE_FIELDS = [
    "date",
    "ticket_id",
    "task_id",
    "unit_amount",
    "hours_bank_id",
    "hours_billable",
    "hours_billed",
    "hours_work_kind",
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
    def _hours_consume(self, lines, previous=()):
        """The entry point of a timesheet's consumption: classify ``lines`` (just
        created or changed), bill them and the lines they share a rounding group
        with, and allocate the affected banks again from the earliest line touched
        (a new line: from itself, the lines before it keep their consumption).
        ``previous``: ``[(bank, date, group)]`` where the lines were before the
        change (the lines left behind in a group are billed again, the bank they
        left is allocated again from that day), then refresh the status of those
        banks.

        Runs as superuser: the consultant logging time has no right on the bank's
        consumption records, which only this model writes.
        """
        Allocation = self.sudo()
        lines = lines.sudo().filtered("project_id")
        Allocation._hours_classify(lines)
        starts = {}
        groups = defaultdict(set)
        for bank, day, group in previous:
            starts[bank] = min(starts.get(bank, (day, 0)), (day, 0))
            groups[bank].add(group)
        for line in lines.filtered("hours_bank_id"):
            bank = line.hours_bank_id
            here = (line.date, line.id)
            starts[bank] = min(starts.get(bank, here), here)
            groups[bank].add(_group_of(line))
        banks = Allocation._hours_rebalance(
            {bank: (start, groups[bank]) for bank, start in starts.items()}
        )
        banks._hours_update_status()

    @api.model
    def _hours_rebalance(self, todo):
        """Bill and allocate banks again. ``todo``: ``{bank: (start, groups)}``:
        consume again, oldest-first (by day, then id), the billed time from
        ``start``: a date, or a ``(date, line id)`` position (the lines before it
        keep their consumption), None: everything; after billing again the lines
        of ``groups`` (rounding groups, ``True``: every line). One search of each
        bank's lines serves both steps: from a position, only the lines from there
        on and those of ``groups`` (a bank's day may hold hundreds of lines; a new
        one needs none of the others). Returns the banks, whose status the caller
        refreshes."""
        Allocation = self.sudo()
        banks = Allocation.env["qubiq.hours.bank"]
        Allocation._hours_rebalance_after_commit(todo)
        for bank, (start, groups) in todo.items():
            bank = bank.sudo()
            banks |= bank
            start = _position(start)
            if groups is True:
                # Billed again from scratch: every line of the bank.
                start_read = None
            else:
                start_read = start
            lines = Allocation._hours_lines(bank, start_read, groups)
            # The lines' consumption rows, read once: which are invoiced (frozen
            # lines) and which to keep, move or drop (_hours_apply).
            existing = Allocation.search_fetch(
                [("timesheet_id", "in", lines.ids)], ALLOCATION_FIELDS
            )
            frozen = Allocation._hours_frozen(lines, existing)
            if groups:
                to_bill = lines
                if groups is not True:
                    to_bill = lines.filtered(
                        lambda line, groups=groups: _group_of(line) in groups
                    )
                rebilled = Allocation._hours_bill(bank, to_bill, frozen)
                # A line whose billed time changed (its rounding group grew or
                # shrank) is consumed again from its own position.
                if start and rebilled:
                    moved = min((line.date, line.id) for line in rebilled)
                    if moved < start:
                        start = moved
                        if start_read:
                            # Also the lines between there and the first start.
                            lines = Allocation._hours_lines(bank, start, groups)
                            existing = Allocation.search_fetch(
                                [("timesheet_id", "in", lines.ids)],
                                ALLOCATION_FIELDS,
                            )
                            frozen = Allocation._hours_frozen(lines, existing)
            # Lines in the locked period keep their consumption.
            if bank.lock_date and (not start or start[0] <= bank.lock_date):
                start = (bank.lock_date + timedelta(days=1), 0)
            if start:
                lines = lines.filtered(
                    lambda line, start=start: (line.date, line.id) >= start
                )
            Allocation._hours_allocate(bank, lines, frozen & lines, start, existing)
        return banks

    @api.model
    def _hours_lines(self, bank, start, groups):
        """The timesheet lines of ``bank`` a consumption reads, by day then id:
        those from the ``(date, line id)`` position ``start`` on (None: all), and
        every line of the rounding ``groups`` (billed together)."""
        domain = [("hours_bank_id", "=", bank.id)]
        if start:
            day, line_id = start
            wanted = [[("date", ">", day)]]
            wanted.append(
                [("date", "=", day), ("id", ">=", line_id)]
                if line_id
                else [("date", "=", day)]
            )
            # Billed line by line, a line's billed time depends on no other line:
            # only the lines from the position are read.
            if bank.rounding_scope == "line":
                groups = ()
            for kind, record_id, group_day in groups or ():
                if kind == "line":
                    wanted.append([("id", "=", record_id)])
                elif kind == "ticket":
                    wanted.append(
                        [("ticket_id", "=", record_id), ("date", "=", group_day)]
                    )
                else:
                    wanted.append(
                        [
                            ("ticket_id", "=", False),
                            ("task_id", "=", record_id),
                            ("date", "=", group_day),
                        ]
                    )
            domain = expression.AND([domain, expression.OR(wanted)])
        return self.env["account.analytic.line"].search_fetch(
            domain, LINE_FIELDS, order="date, id"
        )

    @api.model
    def _hours_rebalance_after_commit(self, todo):
        """Consume ``todo`` (as :meth:`_hours_rebalance`) once more right after this
        transaction commits, on the latest committed data, one transaction at a
        time per bank, if anything was consumed meanwhile.

        Several workers: two requests may consume one bank at once, each from its
        own REPEATABLE READ snapshot, which misses the other's timesheet; alone,
        each may fill the last hours of the same pack. Rather than making the
        second one fail and wait for Odoo's retry (up to seconds for the agent),
        both commit what they computed, then each runs a pass in a new READ
        COMMITTED transaction that first locks the banks' rows: the lock puts the
        passes of one bank in a row, and each reads what the others committed.

        Every pass adds one to the bank's ``consumption_version``. A pass that
        finds the count the transaction read in its snapshot has nothing to do:
        whatever was committed since that snapshot has its own pass still to come,
        which will find the count changed and consume the bank again from its date
        with everything committed, then refresh the status and warnings. So the
        stored allocations end equal to a consumption of all the committed time
        (no pack over its size), and an uncontended timesheet costs two queries
        more. Crons and the mail gateway commit too, so their consumption gets the
        same pass; a rolled-back transaction has none (Odoo drops the post-commit
        hooks on rollback)."""
        if self.env.context.get("hours_bank_committed"):
            return
        postcommit = self.env.cr.postcommit
        pending = postcommit.data.get(COMMITTED_REBALANCE)
        if pending is None:
            pending = postcommit.data[COMMITTED_REBALANCE] = {}
            # Today and the warnings' language as the user's; not the rest of
            # the context (a form's defaults must not reach the pass's writes).
            registry, uid = self.env.registry, self.env.uid
            context = {
                key: self.env.context[key]
                for key in ("lang", "tz")
                if key in self.env.context
            }
            postcommit.add(
                lambda: self._hours_rebalance_committed(registry, uid, context, pending)
            )
        for bank, (start, groups) in todo.items():
            start = _position(start)
            # groups: True (every line) or rounding groups (none: falsy).
            groups = True if groups is True else set(groups or ())
            version = bank.sudo().consumption_version
            if bank.id in pending:
                old_start, old_groups, version = pending[bank.id]
                start = min(start, old_start) if start and old_start else None
                groups = True if True in (groups, old_groups) else groups | old_groups
            pending[bank.id] = (start, groups, version)

    @api.model
    def _hours_rebalance_committed(self, registry, uid, context, pending):
        """The pass of :meth:`_hours_rebalance_after_commit` (``pending``: ``{bank
        id: (date_from, groups, version read)}``). The transaction has committed
        already: a failure here is logged, never raised to the user whose work is
        saved; the bank's *Recompute* button consumes it again. Runs as superuser
        for ``uid`` (the user whose work was consumed, who authors any warning),
        as the consumption in the transaction does."""
        context = dict(context, hours_bank_committed=True)
        for attempt in range(1, COMMITTED_TRIES + 1):
            try:
                with registry.cursor() as cr:
                    # The first statement of the transaction: every later one
                    # reads what was committed before it (not one snapshot).
                    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    # Lock the banks' rows (ids in order, so that two passes on the
                    # same banks cannot deadlock) and count this pass. NO KEY
                    # UPDATE, as the UPDATE itself: a pass does not wait for the
                    # transactions that only reference the bank (their new
                    # timesheets and allocations), only for another pass or a
                    # change of the bank. Plain SQL: an untracked counter that
                    # nothing computes from.
                    cr.execute(
                        """
                        UPDATE qubiq_hours_bank bank
                           SET consumption_version = bank.consumption_version + 1
                          FROM (SELECT id FROM qubiq_hours_bank
                                 WHERE id IN %s ORDER BY id FOR NO KEY UPDATE) locked
                         WHERE bank.id = locked.id
                     RETURNING bank.id, bank.consumption_version - 1
                        """,
                        [tuple(sorted(pending))],
                    )
                    stale = sorted(
                        bank_id
                        for bank_id, version in cr.fetchall()
                        if version != pending[bank_id][2]
                    )
                    if stale:
                        env = api.Environment(cr, uid, context, su=True)
                        banks = env["qubiq.hours.bank"].browse(stale)
                        env["qubiq.hours.allocation"]._hours_rebalance(
                            {bank: pending[bank.id][:2] for bank in banks}
                        )._hours_update_status()
                return
            except OperationalError as error:
                # A deadlock with a REPEATABLE READ consumer writing the same
                # lines: that one is retried by Odoo, this one here.
                if (
                    error.pgcode
                    not in (
                        errorcodes.DEADLOCK_DETECTED,
                        errorcodes.SERIALIZATION_FAILURE,
                    )
                    or attempt == COMMITTED_TRIES
                ):
                    _logger.exception(
                        "Hours banks %s: consumption after commit failed",
                        sorted(pending),
                    )
                    return
            except Exception:
                _logger.exception(
                    "Hours banks %s: consumption after commit failed", sorted(pending)
                )
                return

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
    def _hours_classify(self, lines):
        """Bank, billable flag, reason and kind of each line, from its ticket (type,
        marks, the customer's contract on the line's date) or task (project)."""
        lines -= self._hours_frozen(lines)
        if not lines:
            return
        contracts = (
            self.env["qubiq.support.contract"]
            .sudo()
            ._find_active(
                {
                    (
                        line.ticket_id.partner_id.commercial_partner_id.id,
                        line.company_id.id,
                        line.date,
                    )
                    for line in lines
                    if line.ticket_id.partner_id
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
        for items, ids in updates.items():
            lines.browse(ids).with_context(hours_bank_sync=True).write(dict(items))
        # Lines leaving every bank lose their consumption.
        lines.filtered(
            lambda line: not line.hours_bank_id
        ).hours_allocation_ids.unlink()

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
        partner = ticket.partner_id.commercial_partner_id
        ticket_type = ticket.type_id
        kind = ticket_type.hours_work_kind or "incident"
        if not partner:
            return partner, False, False, kind
        if ticket.hours_provider_error:
            return partner, False, "provider_error", kind
        if ticket.hours_repeated:
            return partner, True, "repeated", kind
        policy = ticket_type.hours_bank_policy or "contract"
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
    def _hours_bill(self, bank, lines, frozen):
        """Billed time of ``lines`` (of ``bank``, whole rounding groups) by the
        bank's rule: blocks with a minimum, per line or per ticket (or task) and
        day; ``frozen`` lines keep theirs. Returns the lines whose billed time
        changed."""
        if not lines:
            return lines
        block = (bank.block_minutes or 0) * engine.MINUTE
        minimum = (bank.minimum_minutes or 0) * engine.MINUTE
        per_line = bank.rounding_scope == "line"
        items = [
            engine.TimeLine(
                key=line.id,
                group=("line", line.id) if per_line else _group_of(line),
                order=(line.id,),
                real=engine.to_seconds(line.unit_amount) if line.hours_billable else 0,
                frozen=engine.to_seconds(line.hours_billed) if line in frozen else None,
            )
            for line in lines
        ]
        updates = defaultdict(list)
        for line_id, seconds in engine.bill_lines(items, block, minimum).items():
            hours = engine.to_hours(seconds)
            if abs(lines.browse(line_id).hours_billed - hours) > 1e-9:
                updates[hours].append(line_id)
        for hours, ids in updates.items():
            lines.browse(ids).with_context(hours_bank_sync=True).write(
                {"hours_billed": hours}
            )
        return lines.browse([line_id for ids in updates.values() for line_id in ids])

    @api.model
    def _hours_allocate(self, bank, lines, frozen, start, existing):
        """Consume the packs of ``bank`` oldest-first with the billed time of
        ``lines`` (the bank's lines from the ``(date, line id)`` position ``start``,
        None: all), around the capacity used before ``start`` and by the ``frozen``
        lines. ``existing``: the consumption rows of (at least) ``lines``, as read
        by :meth:`_hours_rebalance`."""
        Allocation = self.sudo()
        movable = lines - frozen
        packs = self.env["qubiq.hours.pack"].search_fetch(
            [("bank_id", "=", bank.id), ("state", "in", ("active", "expired"))],
            ["hours", "date_start", "date_end", "sequence"],
        )
        # Capacity already used: the consumption before the start's position, and
        # that of the frozen lines (from it on).
        used_domain = [("bank_id", "=", bank.id), ("pack_id", "!=", False)]
        before = [[("timesheet_id", "in", frozen.ids)]]
        if start:
            day, line_id = start
            before.append([("date", "<", day)])
            if line_id:
                before.append([("date", "=", day), ("timesheet_id", "<", line_id)])
        used_domain = expression.AND([used_domain, expression.OR(before)])
        used = defaultdict(
            int,
            {
                pack.id: engine.to_seconds(hours)
                for pack, hours in Allocation._read_group(
                    used_domain, ["pack_id"], ["hours:sum"]
                )
            },
        )
        direct_kinds = (
            {"development"} if bank.development_policy == "invoice" else set()
        )
        demands = [
            engine.Demand(
                key=line.id,
                day=line.date,
                seconds=engine.to_seconds(line.hours_billed),
                order=(line.id,),
                direct=line.hours_work_kind in direct_kinds,
            )
            for line in movable.filtered("hours_billable")
        ]
        wanted = engine.allocate(
            [
                engine.Pack(
                    p.id,
                    engine.to_seconds(p.hours),
                    p.date_start,
                    p.date_end or None,
                    p.sequence,
                )
                for p in packs
            ],
            demands,
            used,
        )
        Allocation._hours_apply(bank, movable, wanted, existing)

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


def _position(start):
    """``start`` of a consumption as a ``(date, line id)`` position: a date is its
    day's first position; None stays None (everything)."""
    if not start or isinstance(start, tuple):
        return start or None
    return (start, 0)


def _group_of(line):
    """The rounding group of a timesheet line: its ticket (or task) and day."""
    return engine.rounding_group(line.ticket_id.id, line.task_id.id, line.id, line.date)
