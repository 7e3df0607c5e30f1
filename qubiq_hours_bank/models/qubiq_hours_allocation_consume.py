# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import OperationalError, errorcodes

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from . import hours_engine as engine
from .qubiq_hours_allocation import ALLOCATION_FIELDS

_logger = logging.getLogger(__name__)

# Where a transaction keeps the banks to consume again once it has committed
# (``cr.postcommit.data``), and how often that pass tries again on a deadlock.
COMMITTED_REBALANCE = "qubiq_hours_bank.rebalance"
COMMITTED_TRIES = 3

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


class QubiqHoursAllocation(models.Model):
    """Billing and allocating: a bank's lines billed by its rule (blocks and a
    minimum, per line or per ticket and day) and their billed time consumed from
    its packs, oldest-first, by :mod:`hours_engine`, the rows written by
    :meth:`_hours_apply`; then the same once more after commit, when another worker
    consumed the bank meanwhile (:meth:`_hours_rebalance_after_commit`)."""

    _inherit = "qubiq.hours.allocation"

    @api.model
    def _hours_consume(self, lines, previous=(), created=False):
        """The entry point of a timesheet's consumption: classify ``lines`` (just
        created or changed), bill them and the lines they share a rounding group
        with, and allocate the affected banks again from the earliest line touched
        (the lines before it keep their consumption). ``previous``: ``[(bank,
        date, group, line id)]`` where the lines were before the change (the lines
        left behind in a group are billed again, the bank they left is allocated
        again from that position), then refresh the status of those banks.
        ``created``: ``lines`` were just created (they have no consumption rows to
        read yet).

        Runs as superuser: the consultant logging time has no right on the bank's
        consumption records, which only this model writes.
        """
        Allocation = self.sudo()
        lines = lines.sudo().filtered("project_id")
        classes = Allocation._hours_classify(lines, deferred=created)
        starts = {}
        groups = defaultdict(set)
        # Packs are consumed oldest-first (day, then id) and billing is cumulative
        # in id order within a rounding group: what a line changes starts at its
        # position, where it was and where it is; the lines before it keep theirs.
        for bank, day, group, line_id in previous:
            here = (day, line_id)
            starts[bank] = min(starts.get(bank, here), here)
            groups[bank].add(group)
        bank_of = {line: line.hours_bank_id for line in lines}
        if created:
            # Not written yet: the bank each new line goes to.
            Bank = Allocation.env["qubiq.hours.bank"]
            for items, ids in classes.items():
                bank_id = dict(items).get("hours_bank_id")
                if bank_id is not None:
                    bank_of.update(
                        dict.fromkeys(lines.browse(ids), Bank.browse(bank_id))
                    )
        for line, bank in bank_of.items():
            if not bank:
                continue
            here = (line.date, line.id)
            starts[bank] = min(starts.get(bank, here), here)
            groups[bank].add(_group_of(line))
        todo = {bank: (start, groups[bank]) for bank, start in starts.items()}
        read = None
        if created:
            # The banks' lines, read before the new lines are written in them
            # (they are not found: their bank is still empty in the database),
            # then the new lines added.
            read = {
                bank: Allocation._hours_lines(bank, _position(start), its_groups)
                for bank, (start, its_groups) in todo.items()
            }
            Allocation._hours_write_classes(lines, classes)
            for bank in read:
                read[bank] = (
                    read[bank] | lines.filtered(lambda line, b=bank: bank_of[line] == b)
                ).sorted(lambda line: (line.date, line.id))
        banks = Allocation._hours_rebalance(
            todo, created=set(lines.ids) if created else (), read=read
        )
        banks._hours_update_status()

    @api.model
    def _hours_rebalance(self, todo, created=(), read=None):
        """Bill and allocate banks again. ``todo``: ``{bank: (start, groups)}``:
        consume again, oldest-first (by day, then id), the billed time from
        ``start``: a date, or a ``(date, line id)`` position (the lines before it
        keep their consumption), None: everything; after billing again the lines
        of ``groups`` (rounding groups, ``True``: every line). One search of each
        bank's lines serves both steps: from a position, only the lines from there
        on and those of ``groups`` (a bank's day may hold hundreds of lines; a new
        one needs none of the others). ``created``: ids of lines created in this
        transaction, which have no consumption rows yet; ``read``: ``{bank:
        lines}`` the caller already read for ``todo`` (by :meth:`_hours_lines`,
        with its new lines), instead of the first search. Returns the banks, whose
        status the caller refreshes (with, in their context, the packs read here,
        which the status reads too)."""
        Allocation = self.sudo()
        banks = Allocation.env["qubiq.hours.bank"]
        packs = []
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
            if read is not None and bank in read:
                lines = read[bank]
            else:
                lines = Allocation._hours_lines(bank, start_read, groups)
            existing = Allocation._hours_rows(lines, created)
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
                            existing = Allocation._hours_rows(lines, created)
                            frozen = Allocation._hours_frozen(lines, existing)
            # Lines in the locked period keep their consumption.
            if bank.lock_date and (not start or start[0] <= bank.lock_date):
                start = (bank.lock_date + timedelta(days=1), 0)
            if start:
                lines = lines.filtered(
                    lambda line, start=start: (line.date, line.id) >= start
                )
            packs += Allocation._hours_allocate(
                bank, lines, frozen & lines, start, existing
            )
        return banks.with_context(hours_packs_read=(tuple(banks.ids), tuple(packs)))

    @api.model
    def _hours_rows(self, lines, created=()):
        """The consumption rows of ``lines``, read once for the frozen check and
        :meth:`_hours_apply` (which rows to keep, move or drop); none to read when
        every line was created in this transaction (``created``: their ids)."""
        if not set(lines.ids) - set(created):
            return self.browse()
        return self.search_fetch([("timesheet_id", "in", lines.ids)], ALLOCATION_FIELDS)

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
        (no pack over its size), and an uncontended timesheet costs one round
        trip more. Crons and the mail gateway commit too, so their consumption gets
        the same pass; a rolled-back transaction has none (Odoo drops the
        post-commit hooks on rollback)."""
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
        saved; the daily cron (:meth:`_hours_recheck_recent`) or the bank's
        *Recompute* button consumes it again. Runs as superuser
        for ``uid`` (the user whose work was consumed, who authors any warning),
        as the consumption in the transaction does."""
        context = dict(context, hours_bank_committed=True)
        for attempt in range(1, COMMITTED_TRIES + 1):
            try:
                with registry.cursor() as cr:
                    # Lock the banks' rows (ids in order, so that two passes on the
                    # same banks cannot deadlock) and count this pass. NO KEY
                    # UPDATE, as the UPDATE itself: a pass does not wait for the
                    # transactions that only reference the bank (their new
                    # timesheets and allocations), only for another pass or a
                    # change of the bank. Plain SQL: an untracked counter that
                    # nothing computes from. SET TRANSACTION first, in the same
                    # round trip: every later statement reads what was committed
                    # before it, not one snapshot.
                    cr.execute(
                        """
                        SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
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
    def _hours_recheck_recent(self, since):
        """Consume again what changed since ``since`` (a datetime): each bank whose
        timesheets or consumption rows were written since then, from the earliest
        day among them, after billing again those timesheets' rounding groups.
        Returns the banks, whose status the caller refreshes.

        The daily cron's safety net for the pass after commit: a worker that dies
        between its commit and its pass, or a pass that fails (logged), can leave
        a bank consumed from a stale view; a bank's *Recompute* button fixes it by
        hand, this within a day. It costs what a timesheet's consumption costs,
        once a day per bank that changed."""
        Allocation = self.sudo()
        Line = Allocation.env["account.analytic.line"]
        todo = {}
        for line in Line.search_fetch(
            [("hours_bank_id", "!=", False), ("write_date", ">=", since)],
            ["hours_bank_id", "date", "ticket_id", "task_id"],
        ):
            start, groups = todo.get(line.hours_bank_id, (line.date, set()))
            groups.add(_group_of(line))
            todo[line.hours_bank_id] = (min(start, line.date), groups)
        for bank, day in Allocation._read_group(
            [("write_date", ">=", since)], ["bank_id"], ["date:min"]
        ):
            start, groups = todo.get(bank, (day, set()))
            todo[bank] = (min(start, day), groups)
        if not todo:
            return Allocation.env["qubiq.hours.bank"]
        return Allocation._hours_rebalance(todo)

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
        by :meth:`_hours_rebalance`. Returns the bank's packs in force or expired,
        as the status reads them: ``(id, bank id, hours, date_start, date_end)``."""
        Allocation = self.sudo()
        movable = lines - frozen
        # The packs and the capacity already used of each: the consumption before
        # the start's position, and that of the frozen lines (from it on). Plain
        # SQL, one statement for both, as it runs for every timesheet logged.
        Allocation.flush_model(["bank_id", "pack_id", "hours", "date", "timesheet_id"])
        self.env["qubiq.hours.pack"].flush_model(
            ["bank_id", "state", "hours", "date_start", "date_end", "sequence"]
        )
        before = [SQL("a.timesheet_id = ANY(%s)", frozen.ids)]
        if start:
            day, line_id = start
            before.append(SQL("a.date < %s", day))
            if line_id:
                before.append(
                    SQL("(a.date = %s AND a.timesheet_id < %s)", day, line_id)
                )
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.hours, p.date_start, p.date_end, p.sequence,
                       COALESCE((SELECT SUM(a.hours)
                                   FROM qubiq_hours_allocation a
                                  WHERE a.pack_id = p.id AND a.bank_id = %s
                                    AND (%s)), 0)
                  FROM qubiq_hours_pack p
                 WHERE p.bank_id = %s AND p.state IN ('active', 'expired')
                 ORDER BY p.date_start, p.sequence, p.id
                """,
                bank.id,
                SQL(" OR ").join(before),
                bank.id,
            )
        )
        packs = self.env.cr.fetchall()
        used = {pack_id: engine.to_seconds(hours) for pack_id, *_x, hours in packs}
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
                    pack_id, engine.to_seconds(hours), date_start, date_end, sequence
                )
                for pack_id, hours, date_start, date_end, sequence, _used in packs
            ],
            demands,
            used,
        )
        Allocation._hours_apply(bank, movable, wanted, existing)
        # As the status reads them (qubiq.hours.bank._hours_status_read), dates
        # as strings: they travel in the context.
        return [
            (
                pack_id,
                bank.id,
                hours,
                fields.Date.to_string(date_start),
                fields.Date.to_string(date_end),
            )
            for pack_id, hours, date_start, date_end, _sequence, _used in packs
        ]


def _position(start):
    """``start`` of a consumption as a ``(date, line id)`` position: a date is its
    day's first position; None stays None (everything)."""
    if not start or isinstance(start, tuple):
        return start or None
    return (start, 0)


def _group_of(line):
    """The rounding group of a timesheet line: its ticket (or task) and day."""
    return engine.rounding_group(line.ticket_id.id, line.task_id.id, line.id, line.date)
