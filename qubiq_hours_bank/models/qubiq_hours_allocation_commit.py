# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from psycopg2 import OperationalError, errorcodes

from odoo import api, models

from .qubiq_hours_allocation_consume import _position

_logger = logging.getLogger(__name__)

# Where a transaction keeps the banks to consume again once it has committed
# (``cr.postcommit.data``), and how often that pass tries again on a deadlock.
COMMITTED_REBALANCE = "qubiq_hours_bank.rebalance"
COMMITTED_TRIES = 3


class QubiqHoursAllocation(models.Model):
    """The consumption of a bank done once more after commit, when another worker
    consumed the same bank meanwhile (see :meth:`_hours_rebalance_after_commit`)."""

    _inherit = "qubiq.hours.allocation"

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
