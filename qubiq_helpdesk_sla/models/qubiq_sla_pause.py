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

    def init(self):
        # Several workers: pauses are opened and closed by a change of the ticket's
        # stage, which writes the ticket's row first (_apply_stage_change), so two
        # transactions pausing one ticket conflict and Odoo retries the second
        # (HTTP; a cron or the mail gateway fails and runs again later). This
        # partial unique index makes "at most one open pause per ticket" a fact of
        # the database whatever the path; an older database may hold twins, which
        # end where the newest starts.
        self.env.cr.execute(
            """
            SELECT 1 FROM pg_indexes WHERE indexname = 'qubiq_sla_pause_open_uniq'
            """
        )
        if self.env.cr.fetchone():
            return
        self.env.cr.execute(
            """
            UPDATE qubiq_sla_pause pause
               SET date_end = newest.date_start
              FROM (
                    SELECT DISTINCT ON (ticket_id) id, ticket_id, date_start
                      FROM qubiq_sla_pause
                     WHERE date_end IS NULL
                  ORDER BY ticket_id, date_start DESC, id DESC
                   ) newest
             WHERE pause.ticket_id = newest.ticket_id
               AND pause.date_end IS NULL
               AND pause.id != newest.id;
            CREATE UNIQUE INDEX qubiq_sla_pause_open_uniq
                ON qubiq_sla_pause (ticket_id)
             WHERE date_end IS NULL;
            """
        )

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
        # Several workers: write the tickets' rows (their new stage, flushed now)
        # before opening pauses. Two transactions pausing one ticket then conflict
        # on the ticket, which Odoo retries, before the second could open a pause
        # against the unique index of open pauses (a violation Odoo does not retry).
        tickets.flush_recordset(["stage_id"])
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
        if new_pauses:
            # The pauses just ended reach the database before the new ones (the
            # unique index of open pauses checks each statement).
            self.flush_model(["date_end"])
            self.create(new_pauses)
        return changes
