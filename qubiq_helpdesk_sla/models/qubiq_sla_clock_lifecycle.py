# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from . import sla_engine
from .bulk_write import bulk_write

ACTIVE_STATES = sla_engine.ACTIVE_STATES
# Open tickets re-targeted per batch after a change of contract, working hours,
# holidays or policy: bounded memory and one set of queries per batch.
RETARGET_BATCH = 1000


def _rounded(timestamp):
    """Naive UTC datetime of an engine timestamp, to the second; None stays None."""
    return sla_engine.from_ts(round(timestamp)) if timestamp is not None else None


class QubiqSlaClock(models.Model):
    """The life of the clocks through their ticket's events: started with the
    ticket, re-targeted when what decides their targets changes, paused while the
    ticket waits for the customer or is solved, reached by the first answer or the
    solution. Each entry point works on a batch of tickets and ends by writing the
    tickets' summary back."""

    _inherit = "qubiq.sla.clock"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _start(self, tickets):
        """Start the clocks of new tickets (or of the open tickets when the module is
        installed), honouring a waiting or closed stage they are already in."""
        self._sync(tickets, "start")
        special = tickets.filtered(lambda t: t.stage_id.closed or t.stage_id.sla_pause)
        if special:
            empty = self.env["helpdesk.ticket.stage"]
            self._on_stage_change(special, dict.fromkeys(special.ids, empty))

    @api.model
    def _sync(self, tickets, reason, description=None):
        """Give each ticket the clocks its contract, policy and targets call for
        (:meth:`qubiq.support.contract._clock_specs`), then recompute their deadlines.
        Clocks that already stopped keep their result.

        ``description`` (one text, or one per ticket id) says what changed, for the
        history and the chatter."""
        if not tickets:
            return
        Clock = self.sudo()
        specs = self.env["qubiq.support.contract"]._clock_specs(tickets)
        to_create, history, retargeted = [], [], {}
        for ticket in tickets:
            current = {
                c.kind: c for c in ticket.sla_clock_ids if c.state != "cancelled"
            }
            # Response and resolution clocks start with the ticket; next-reply
            # clocks only with a customer message (_start_reply), and follow here.
            pairs = [
                (kind, specs[ticket.id].get(kind), current.get(kind))
                for kind in ("response", "resolution")
            ] + [
                ("reply", specs[ticket.id].get("reply"), clock)
                for clock in ticket.sla_clock_ids
                if clock.kind == "reply" and clock.state in ACTIVE_STATES
            ]
            for kind, spec, clock in pairs:
                if spec and not clock:
                    to_create.append(
                        dict(
                            spec,
                            ticket_id=ticket.id,
                            kind=kind,
                            start_date=ticket.sla_start_date,
                            state="running",
                        )
                    )
                elif clock and not spec and clock.state in ACTIVE_STATES:
                    history.append(
                        {
                            "ticket_id": ticket.id,
                            "kind": kind,
                            "reason": "cancel",
                            "description": _describe(description, ticket.id),
                            "old_deadline": clock.deadline,
                        }
                    )
                    clock.sudo().write({"state": "cancelled", "deadline": False})
                elif clock and spec and clock.state in ACTIVE_STATES:
                    current_spec = {
                        key: clock[key].id if key.endswith("_id") else clock[key]
                        for key in spec
                    }
                    if current_spec != spec:
                        retargeted[clock.id] = spec
        # Untracked technical columns of the clocks: one statement for the batch.
        bulk_write(Clock, retargeted)
        Clock.create(to_create)
        self.env["qubiq.sla.history"]._log(history)
        self._recompute(tickets, reason, description)

    @api.model
    def _retarget(self, tickets, description, resync=True):
        """Re-target the open ``tickets`` after a change of what decides their
        targets (contract, working hours, holidays, policy), in batches of
        ``RETARGET_BATCH``: consumed time and pauses are kept, deadlines move, and
        each move gets a history line saying ``description``. ``resync`` False:
        what the clocks are made of (policy, contract, calendar, target) did not
        change, only the calendar's working time did: recompute the deadlines."""
        # sudo: the change was made by whoever may edit the contract, calendar or
        # policy; the clocks of every ticket it concerns follow, readable or not by
        # that user. The history keeps the user as author.
        tickets = tickets.sudo().filtered(lambda t: not t.stage_id.closed)
        for start in range(0, len(tickets), RETARGET_BATCH):
            # The history lines tell each ticket's story; a chatter note on every
            # open ticket for one holiday would bury the agents' own messages.
            batch = tickets[start : start + RETARGET_BATCH]
            clocks = self.sudo().with_context(sla_no_note=True)
            if resync:
                clocks._sync(batch, "retarget", description)
            else:
                clocks._recompute(batch, "retarget", description)
        return tickets

    @api.model
    def _retarget_where(self, clock_domain, description, resync=True):
        """Re-target the tickets with a running or paused clock matching
        ``clock_domain`` (one query to find them)."""
        self.flush_model()
        groups = self.sudo()._read_group(
            clock_domain + [("state", "in", ACTIVE_STATES)], ["ticket_id"]
        )
        return self._retarget(
            self.env["helpdesk.ticket"].browse([ticket.id for (ticket,) in groups]),
            description,
            resync=resync,
        )

    @api.model
    def _recompute(self, tickets, reason=None, description=None):
        """Recompute the deadlines of the tickets' running and paused clocks and the
        ticket fields derived from them; record the moves in the SLA history (and,
        for a change someone made, in the chatter)."""
        rows = self._active_rows(tickets)
        measured = self._measure(rows, tickets)
        now = fields.Datetime.now()
        now_ts = sla_engine.to_ts(now)
        history, clock_rows, calmed = [], {}, set()
        for row in rows:
            figures = measured[row.id].figures
            deadline = _rounded(figures.deadline)
            risk = _rounded(figures.risk)
            state = "paused" if figures.paused else "running"
            escalation = _escalation_after_move(
                row.escalation, state, deadline, risk, now
            )
            if escalation != row.escalation:
                calmed.add(row.ticket_id)
            moved = row.deadline != deadline or row.state != state
            if moved or row.risk_date != risk or escalation != row.escalation:
                clock_rows[row.id] = {
                    "deadline": deadline,
                    "state": state,
                    "risk_date": risk,
                    "escalation": escalation,
                }
            if moved and reason:
                history.append(
                    {
                        "ticket_id": row.ticket_id,
                        "kind": row.kind,
                        "reason": reason,
                        "description": _describe(description, row.ticket_id),
                        "old_deadline": row.deadline,
                        "new_deadline": deadline,
                        "paused_minutes": _measure_at(
                            measured.get(row.id), now_ts
                        ).paused_time
                        / 60,
                    }
                )
        # Untracked technical columns of the clocks: one statement for the batch.
        bulk_write(self.env["qubiq.sla.clock"], clock_rows)
        post = (
            bool(reason)
            and reason not in ("start", "reached")
            and not self.env.context.get("sla_no_note")
        )
        self.env["qubiq.sla.history"]._log(history, post=post)
        self._write_back(tickets)
        self._close_escalations(tickets.browse(calmed))

    def _reach(self, when):
        """Stop these clocks at ``when``: met if within their deadline, else missed,
        with the working time they took."""
        tickets = self.ticket_id
        rows = self._active_rows(tickets, clock_ids=self.ids)
        measured = self._measure(rows, tickets)
        values, history = {}, []
        when_ts = sla_engine.to_ts(when)
        for row in rows:
            deadline = _rounded(measured[row.id].figures.deadline)
            missed = deadline is not None and deadline < when
            consumed = _measure_at(measured[row.id], when_ts).consumed
            values[row.id] = {
                "state": "missed" if missed else "met",
                "reached_date": when,
                "reached_minutes": round(consumed / 60, 2),
                "deadline": deadline or row.deadline,
            }
            history.append(
                {
                    "ticket_id": row.ticket_id,
                    "kind": row.kind,
                    "reason": "reached",
                    "description": _("Missed") if missed else _("Met"),
                    "old_deadline": row.deadline,
                    "new_deadline": deadline or row.deadline or False,
                }
            )
        # Untracked technical columns of the clocks: one statement for the batch.
        bulk_write(self.env["qubiq.sla.clock"], values)
        self.env["qubiq.sla.history"]._log(history)
        self._write_back(tickets)
        self._close_escalations(
            tickets.browse({row.ticket_id for row in rows if row.escalation != "none"})
        )

    @api.model
    def _close_escalations(self, tickets):
        """Mark done the escalation activities of ``tickets`` that no longer have a
        clock at risk (it was met, paused, or its deadline moved away), saying why."""
        if not tickets:
            return
        self.flush_model(["state", "escalation"])
        self.env.cr.execute(
            """
            SELECT DISTINCT ticket_id
              FROM qubiq_sla_clock
             WHERE ticket_id = ANY(%s)
               AND state IN ('running', 'paused')
               AND escalation != 'none'
            """,
            [tickets.ids],
        )
        still = {row[0] for row in self.env.cr.fetchall()}
        calm = [ticket_id for ticket_id in tickets.ids if ticket_id not in still]
        if not calm:
            return
        # sudo: the activities were given to the team leader or support manager by
        # the escalation; whoever answered or paused the ticket closes them.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", calm),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "qubiq_helpdesk_sla.mail_activity_type_sla_escalation"
                        ).id,
                    ),
                ]
            )
        )
        if activities:
            activities.action_feedback(
                feedback=_(
                    "No longer at risk: the SLA clock was met, paused or its "
                    "deadline moved."
                )
            )

    @api.model
    def _register_response(self, tickets, when):
        """The support side answered the customer: the first response is recorded
        and the response clocks stop."""
        when = fields.Datetime.to_datetime(when)
        first = tickets.filtered(lambda t: not t.sla_first_response_date)
        if first:
            # Several workers: a write of the tickets' rows (done first by the
            # ticket's message_post). Two answers at once conflict and Odoo retries
            # the second (HTTP) on a fresh snapshot, where the first response is
            # set: it is recorded once.
            # sudo: the first response is a system figure; the agent answering may
            # not write every ticket field.
            first.sudo().write({"sla_first_response_date": when})
        # One search of the running response clocks, not every clock of the
        # tickets read and filtered (an answer is posted on every reply).
        clocks = self.with_env(tickets.env).search(
            [
                ("ticket_id", "in", tickets.ids),
                ("kind", "in", ("response", "reply")),
                ("state", "in", tuple(ACTIVE_STATES)),
            ]
        )
        if clocks:
            clocks._reach(when)

    @api.model
    def _start_reply(self, tickets, when):
        """A customer message on open tickets starts their next-reply clock (policy
        lines with a next-reply target), once the first answer has been given (until
        then the response clock is the target) and unless an earlier message is still
        waiting for its answer."""
        when = fields.Datetime.to_datetime(when)
        # sudo: the author may be a customer, who has no access to the clocks.
        tickets = tickets.sudo().filtered(
            lambda t: (
                not t.stage_id.closed
                and t.sla_first_response_date
                # Most policies have no next-reply target: no contract lookup then.
                and any(line.next_reply_target for line in t.sla_policy_id.line_ids)
                and not t.sla_clock_ids.filtered(
                    lambda c: (
                        c.kind in ("response", "reply") and c.state in ACTIVE_STATES
                    )
                )
            )
        )
        if not tickets:
            return
        specs = self.env["qubiq.support.contract"]._clock_specs(tickets)
        values = [
            dict(
                specs[ticket.id]["reply"],
                ticket_id=ticket.id,
                kind="reply",
                start_date=when,
                state="running",
            )
            for ticket in tickets
            if "reply" in specs[ticket.id]
        ]
        if values:
            self.sudo().create(values)
            self.sudo()._recompute(
                self.env["helpdesk.ticket"].browse(
                    [vals["ticket_id"] for vals in values]
                ),
                "start",
            )

    @api.model
    def _resume_for_customer(self, tickets):
        """The customer answered tickets waiting for them: their clocks run again."""
        # sudo: pauses are system records the customer's reply closes; a portal
        # author may post on the ticket but has no access to them.
        resumed = (
            self.env["qubiq.sla.pause"]
            .sudo()
            ._close(tickets, fields.Datetime.now(), reason="customer")
        )
        if resumed:
            self.sudo()._recompute(resumed, "resume", _("The customer answered."))

    @api.model
    def _on_stage_change(self, tickets, before, when=None):
        """Pause, resume, reach or reopen the clocks of tickets whose stage changed
        (``before``: {ticket id: previous stage}) as of ``when``: by default the
        ``sla_event_date`` of the context (when the change really happened, for
        imports of past tickets), else now."""
        when = (
            when
            or fields.Datetime.to_datetime(self.env.context.get("sla_event_date"))
            or fields.Datetime.now()
        )
        # sudo: pauses are system records; an agent moving a ticket, or a customer
        # closing it in the portal, opens and closes them without rights on them.
        changes = {
            key: changed.with_env(self.env)
            for key, changed in self.env["qubiq.sla.pause"]
            .sudo()
            ._apply_stage_change(tickets, before, when)
            .items()
        }
        to_reach = changes["closed"].sla_clock_ids.filtered(
            lambda c: c.state in ACTIVE_STATES
        )
        # A reopened ticket is worked on again: its resolution clock runs on from
        # where it stopped.
        changes["reopen"].sla_clock_ids.filtered(
            lambda c: c.kind == "resolution" and c.state in ("met", "missed")
        ).sudo().write(
            {"state": "running", "reached_date": False, "reached_minutes": 0}
        )
        for reason in ("reopen", "pause", "resume"):
            if changes[reason]:
                self._recompute(changes[reason], reason)
        if to_reach:
            to_reach._reach(when)


def _escalation_after_move(escalation, state, deadline, risk, now):
    """How far a clock stays escalated once its deadline moved: back to none when it
    is paused or its at-risk instant is ahead again, back to at risk when only its
    deadline is; the cron escalates it again if it crosses them later."""
    if escalation == "none":
        return escalation
    if state == "paused" or deadline is None or (risk and risk > now):
        return "none"
    if escalation == "breached" and deadline > now:
        return "at_risk"
    return escalation


def _describe(description, ticket_id):
    """``description`` is one text for every ticket or a {ticket id: text} map."""
    if isinstance(description, dict):
        return description.get(ticket_id)
    return description


def _measure_at(measured, at_ts):
    """The consumed and paused working time of a measured clock up to ``at_ts``
    (zero for a clock without a working calendar)."""
    if measured is None or measured.timeline is None:
        return sla_engine.ClockFigures(None, None, False, 0.0, 0.0)
    return sla_engine.clock_figures(
        measured.timeline, measured.start, pauses=measured.pauses, at_ts=at_ts
    )
