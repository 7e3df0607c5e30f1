# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models

from . import sla_engine


class QubiqSlaPause(models.Model):
    """A span during which a ticket's clocks do not count: waiting for the customer,
    or solved. The clock model opens and closes them through the helpers below."""

    _name = "qubiq.sla.pause"
    _description = "SLA clock pause"
    _order = "date_start, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    date_start = fields.Datetime(string="From", required=True)
    date_end = fields.Datetime(string="Until", help="Empty while still paused.")
    reason = fields.Selection(
        [
            ("customer", "Waiting for the customer"),
            ("closed", "Ticket solved or closed"),
        ],
        required=True,
        default="customer",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)

    @api.model
    def _intervals(self, tickets):
        """{ticket id: sorted [(start_ts, end_ts or None)]} in one query, as
        :mod:`sla_engine` takes pauses."""
        # sudo: the pauses are read to measure the clocks of tickets the user may
        # read; they hold nothing but two instants.
        rows = self.sudo().search_read(
            [("ticket_id", "in", tickets.ids)],
            ["ticket_id", "date_start", "date_end"],
            order="date_start, id",
        )
        result = defaultdict(list)
        for row in rows:
            result[row["ticket_id"][0]].append(
                (
                    sla_engine.to_ts(row["date_start"]),
                    sla_engine.to_ts(row["date_end"]) if row["date_end"] else None,
                )
            )
        return result

    @api.model
    def _close(self, tickets, when, reason=None):
        """End the open pauses of ``tickets`` (only those of ``reason`` if given) at
        ``when``; return the tickets that had one."""
        pauses = tickets.with_env(self.env).sla_pause_ids.filtered(
            lambda p: not p.date_end and (not reason or p.reason == reason)
        )
        pauses.write({"date_end": when})
        return pauses.ticket_id

    @api.model
    def _apply_stage_change(self, tickets, before, when):
        """Open and close the pauses of tickets whose stage changed at ``when``
        (``before``: {ticket id: previous stage}).

        Returns the tickets by what happened to their clocks: ``closed`` (solved
        now: every clock is reached), ``reopen`` (back from a closed stage),
        ``pause`` (now waiting for the customer) and ``resume`` (no longer waiting).
        """
        Ticket = self.env["helpdesk.ticket"]
        changes = {
            key: Ticket.browse() for key in ("closed", "reopen", "pause", "resume")
        }
        new_pauses = []
        for ticket in tickets.with_env(self.env):
            old, new = before[ticket.id], ticket.stage_id
            if old == new:
                continue
            open_pauses = ticket.sla_pause_ids.filtered(lambda p: not p.date_end)
            if new.closed and not old.closed:
                open_pauses.write({"date_end": when})
                new_pauses.append(
                    {"ticket_id": ticket.id, "date_start": when, "reason": "closed"}
                )
                changes["closed"] |= ticket
            elif old.closed and not new.closed:
                open_pauses.write({"date_end": when})
                if new.sla_pause:
                    new_pauses.append({"ticket_id": ticket.id, "date_start": when})
                changes["reopen"] |= ticket
            elif new.sla_pause and not old.sla_pause:
                if not open_pauses:
                    new_pauses.append({"ticket_id": ticket.id, "date_start": when})
                    changes["pause"] |= ticket
            elif old.sla_pause and not new.sla_pause and open_pauses:
                open_pauses.write({"date_end": when})
                changes["resume"] |= ticket
        self.create(new_pauses)
        return changes
