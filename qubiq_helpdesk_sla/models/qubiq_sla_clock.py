# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict, namedtuple

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from . import sla_engine
from .bulk_write import bulk_write

ESCALATIONS = [
    ("none", "Not escalated"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
]
ACTIVE_STATES = sla_engine.ACTIVE_STATES
# The targets a ticket is measured against: the first answer, the solution, and the
# next answer to each customer message after the first (optional, per policy line).
CLOCK_KINDS = [
    ("response", "Response"),
    ("resolution", "Resolution"),
    ("reply", "Next reply"),
]
ClockRow = namedtuple(
    "ClockRow",
    [
        "id",
        "ticket_id",
        "kind",
        "state",
        "calendar_id",
        "start_date",
        "target_minutes",
        "deadline",
        "risk_date",
        "risk_share",
        "escalation",
    ],
)
# One clock measured by sla_engine.clock_figures, with what a later measure needs.
Measured = namedtuple("Measured", ["figures", "timeline", "start", "pauses"])


def format_minutes(minutes):
    """'3 h 20 min', '45 min', '12 h': working time as agents read it."""
    minutes = round(minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min", minutes=rest)
    if not rest:
        return _("%(hours)s h", hours=hours)
    return _("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)


CLOCK_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("missed", "Missed"),
    ("cancelled", "Not applicable"),
]


class QubiqSlaClock(models.Model):
    """One SLA clock of a ticket: the time to first response, or to resolution.

    The clock owns its whole flow: it is started, re-targeted, paused, resumed and
    reached here (``_start``, ``_sync``, ``_recompute``, ``_on_stage_change``,
    ``_register_response``, ``_reach``), in batch, and it writes the ticket's summary
    fields back (``_write_back``). The ticket only calls these entry points from its
    create/write/mail hooks; the arithmetic is :func:`sla_engine.clock_figures`.
    Deadlines are stored, never computed in a list render.
    """

    _name = "qubiq.sla.clock"
    _description = "SLA clock"
    _order = "ticket_id, kind"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(CLOCK_KINDS, required=True)
    policy_id = fields.Many2one("qubiq.sla.policy", ondelete="restrict")
    contract_id = fields.Many2one(
        "qubiq.support.contract",
    )
    calendar_id = fields.Many2one("resource.calendar", string="Working hours")
    indicative = fields.Boolean(
        help="Indicative, non-binding target: the customer has no active maintenance "
        "contract."
    )
    target_minutes = fields.Float(string="Target (working minutes)")
    start_date = fields.Datetime(string="Started")
    deadline = fields.Datetime()
    reached_date = fields.Datetime(string="Reached")
    reached_minutes = fields.Float(
        string="Working minutes to reach",
        help="Working minutes consumed when the clock stopped, pauses excluded.",
    )
    state = fields.Selection(CLOCK_STATES, default="running", required=True, index=True)
    risk_date = fields.Datetime(
        string="At risk from",
        readonly=True,
        help="When the clock will have used the company's at-risk share of its target "
        "(75% by default), pauses excluded. Empty while paused.",
    )
    escalation = fields.Selection(
        ESCALATIONS,
        default="none",
        required=True,
        readonly=True,
        help="How far the escalation cron has taken this clock; each threshold is "
        "escalated once.",
    )
    escalation_date = fields.Datetime(string="Escalated on", readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    consumed_minutes = fields.Float(
        string="Consumed (working minutes)", compute="_compute_live"
    )
    remaining_minutes = fields.Float(
        string="Left (working minutes)",
        compute="_compute_live",
        help="Negative when overdue.",
    )
    paused_minutes = fields.Float(
        string="Paused (working minutes)", compute="_compute_live"
    )

    def _compute_live(self):
        """Working time consumed, left and paused, as of now (or as of the instant
        the clock was reached); one calendar load per batch."""
        now_ts = sla_engine.to_ts(fields.Datetime.now())
        pauses = self.env["qubiq.sla.pause"]._intervals(self.ticket_id)
        with_start = self.filtered(lambda clock: clock.start_date and clock.calendar_id)
        timelines = self._timelines(
            (clock.calendar_id.id, clock.start_date) for clock in with_start
        )
        for clock in self:
            timeline = timelines.get(clock.calendar_id.id)
            if clock not in with_start or timeline is None:
                clock.consumed_minutes = clock.remaining_minutes = (
                    clock.paused_minutes
                ) = 0
                continue
            end_ts = (
                sla_engine.to_ts(clock.reached_date) if clock.reached_date else now_ts
            )
            figures = sla_engine.clock_figures(
                timeline,
                sla_engine.to_ts(clock.start_date),
                pauses=pauses.get(clock.ticket_id.id, []),
                at_ts=end_ts,
            )
            clock.consumed_minutes = figures.consumed / 60
            clock.remaining_minutes = clock.target_minutes - figures.consumed / 60
            clock.paused_minutes = figures.paused_time / 60

    @api.model
    def _timelines(self, starts):
        """{calendar id: sla_engine.Timeline} for ``(calendar id, start datetime)``
        pairs: one timeline per calendar, from the earliest start, so that every clock
        of a batch is measured on the same base whatever the batch holds."""
        by_calendar = defaultdict(list)
        for calendar_id, start in starts:
            by_calendar[calendar_id].append(sla_engine.to_ts(start))
        calendars = (
            self.env["resource.calendar"]
            .browse(list(by_calendar))
            ._sla_work_calendars()
        )
        return sla_engine.timelines(calendars, by_calendar)

    def _info(self):
        """Where this clock stands, in words, for the ticket form."""
        self.ensure_one()
        tz = self._tz()
        if self.state == "met":
            return _(
                "Met on %(date)s",
                date=format_datetime(
                    self.env, self.reached_date, tz=tz, dt_format="short"
                ),
            )
        if self.state == "missed":
            return _(
                "Missed: reached on %(date)s",
                date=format_datetime(
                    self.env, self.reached_date, tz=tz, dt_format="short"
                ),
            )
        left = self.remaining_minutes
        if left < 0:
            text = _("overdue by %(time)s of working time", time=format_minutes(-left))
        else:
            text = _("%(time)s of working time left", time=format_minutes(left))
        if self.state == "paused":
            return _("Paused, waiting for the customer: %(text)s", text=text)
        return text[:1].upper() + text[1:]

    def init(self):
        # The escalation cron only ever looks at running clocks that still have a
        # threshold ahead of them: two partial indexes keep its steady-state run
        # (nothing to escalate) an index probe, whatever the number of open tickets.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS qubiq_sla_clock_risk_todo_idx
                ON qubiq_sla_clock (risk_date)
             WHERE state = 'running' AND escalation = 'none';
            CREATE INDEX IF NOT EXISTS qubiq_sla_clock_breach_todo_idx
                ON qubiq_sla_clock (deadline)
             WHERE state = 'running' AND escalation != 'breached';
            """
        )

    def _tz(self):
        return self.env.user.tz or "Europe/Madrid"

    # ------------------------------------------------------------------ batch reads

    @api.model
    def _active_rows(self, tickets, clock_ids=None):
        """The running and paused clocks of ``tickets`` (or only ``clock_ids``), as
        :data:`ClockRow` tuples read in one query, with the at-risk share of the
        ticket's company. Plain rows, not records: recomputing thousands of deadlines
        must not load every ticket and clock column through the ORM."""
        self.flush_model()
        self.env["res.company"].flush_model(["qubiq_sla_risk_threshold"])
        tickets.flush_model(["company_id"])
        self.env.cr.execute(
            """
            SELECT c.id, c.ticket_id, c.kind, c.state, c.calendar_id, c.start_date,
                   c.target_minutes, c.deadline, c.risk_date,
                   COALESCE(NULLIF(company.qubiq_sla_risk_threshold, 0), 75) / 100.0,
                   c.escalation
              FROM qubiq_sla_clock c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              LEFT JOIN res_company company ON company.id = t.company_id
             WHERE c.state IN ('running', 'paused')
               AND c.ticket_id = ANY(%(tickets)s)
               AND (%(all)s OR c.id = ANY(%(clocks)s))
          ORDER BY c.id
            """,
            {
                "tickets": tickets.ids,
                "all": clock_ids is None,
                "clocks": list(clock_ids or []),
            },
        )
        return [ClockRow(*row) for row in self.env.cr.fetchall()]

    @api.model
    def _measure(self, rows, tickets):
        """{clock id: Measured} for running or paused clock ``rows``: deadline,
        at-risk instant and pause state from :func:`sla_engine.clock_figures`, on one
        timeline per calendar. Clocks without a working calendar get no deadline."""
        pauses = self.env["qubiq.sla.pause"]._intervals(tickets)
        timelines = self._timelines(
            (row.calendar_id, row.start_date) for row in rows if row.calendar_id
        )
        result = {}
        for row in rows:
            timeline = timelines.get(row.calendar_id)
            if timeline is None:
                result[row.id] = Measured(
                    sla_engine.ClockFigures(None, None, False, 0.0, 0.0), None, None, []
                )
                continue
            start_ts = sla_engine.to_ts(row.start_date)
            ticket_pauses = pauses.get(row.ticket_id, [])
            try:
                figures = sla_engine.clock_figures(
                    timeline,
                    start_ts,
                    row.target_minutes * 60,
                    ticket_pauses,
                    risk_share=float(row.risk_share),
                )
            except sla_engine.NoWorkingTime as error:
                calendar = self.env["resource.calendar"].browse(row.calendar_id)
                raise UserError(
                    _(
                        "Working hours: the calendar %(calendar)s has no working "
                        "time left, so no SLA deadline can be computed. Add "
                        "attendances to it or choose other working hours on the "
                        "team, policy or contract.",
                        calendar=calendar.display_name,
                    )
                ) from error
            result[row.id] = Measured(figures, timeline, start_ts, ticket_pauses)
        return result

    @api.model
    def _write_back(self, tickets):
        """Write the tickets' SLA summary fields from their clocks
        (:func:`sla_engine.ticket_summary`), in one statement."""
        self.flush_model()
        tickets.flush_recordset(["type_id"])
        self.env.cr.execute(
            """
            SELECT ticket_id, kind, state, deadline, policy_id, contract_id, indicative,
                   escalation
              FROM qubiq_sla_clock
             WHERE ticket_id = ANY(%s) AND state != 'cancelled'
          ORDER BY id
            """,
            [tickets.ids],
        )
        clocks = defaultdict(list)
        for row in self.env.cr.fetchall():
            clocks[row[0]].append(row[1:])
        self.env.cr.execute(
            """
            SELECT t.id
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_type tt ON tt.id = t.type_id
             WHERE t.id = ANY(%s) AND NOT COALESCE(tt.sla_covered, FALSE)
            """,
            [tickets.ids],
        )
        uncovered = {row[0] for row in self.env.cr.fetchall()}
        # The summary fields are untracked, read-only technical columns that no
        # stored compute depends on: one statement for the batch instead of one
        # UPDATE per ticket.
        bulk_write(
            tickets,
            {
                ticket_id: sla_engine.ticket_summary(
                    clocks[ticket_id], ticket_id in uncovered
                )
                for ticket_id in tickets.ids
            },
        )
