# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import format_datetime

from . import sla_engine
from .bulk_write import bulk_write

ESCALATIONS = [
    ("none", "Not escalated"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
]
# Escalating to a threshold takes the ticket at least to this support level.
ESCALATION_LEVEL = {"at_risk": "2", "breached": "3"}
CRON_BATCH = 2000


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

    Deadlines and states are written by the ticket's batch methods
    (``helpdesk.ticket._sla_sync`` / ``_sla_recompute``), never computed in a list
    render.
    """

    _name = "qubiq.sla.clock"
    _description = "SLA clock"
    _order = "ticket_id, kind"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(
        [("response", "Response"), ("resolution", "Resolution")], required=True
    )
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
        """Working time consumed, left and paused, as of now (one calendar load per
        batch)."""
        now_ts = sla_engine.to_ts(fields.Datetime.now())
        calendars = self.calendar_id._qubiq_work_calendars()
        pauses = self.ticket_id._sla_pause_intervals()
        timelines = {}
        for clock in self:
            cal = calendars.get(clock.calendar_id.id)
            if not cal or not clock.start_date:
                clock.consumed_minutes = clock.remaining_minutes = (
                    clock.paused_minutes
                ) = 0
                continue
            start_ts = sla_engine.to_ts(clock.start_date)
            timeline = timelines.get(clock.calendar_id.id)
            if timeline is None:
                timeline = timelines[clock.calendar_id.id] = sla_engine.Timeline(
                    cal, start_ts, now_ts
                )
            end_ts = (
                sla_engine.to_ts(clock.reached_date) if clock.reached_date else now_ts
            )
            ticket_pauses = pauses.get(clock.ticket_id.id, [])
            consumed = sla_engine.consumed_seconds(
                timeline, start_ts, end_ts, ticket_pauses
            )
            clock.consumed_minutes = consumed / 60
            clock.remaining_minutes = clock.target_minutes - consumed / 60
            clock.paused_minutes = (
                sla_engine.paused_seconds(timeline, start_ts, end_ts, ticket_pauses)
                / 60
            )

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

    # ------------------------------------------------------------------ escalation

    @api.model
    def _cron_escalate(self, batch_size=CRON_BATCH, now=None):
        """Escalate the running clocks that crossed the at-risk share of their target
        or their deadline since the last run: once per clock and threshold.

        Reads stored instants only (``risk_date``, ``deadline``, written with the
        deadlines by the SLA engine): no working time is recomputed here. Each batch
        costs a constant number of queries. ``now`` defaults to the current time."""
        now = now or fields.Datetime.now()
        self.flush_model(["state", "escalation", "risk_date", "deadline"])
        total = 0
        while True:
            self.env.cr.execute(
                """
                SELECT id, ticket_id, kind, deadline, risk_date
                  FROM qubiq_sla_clock
                 WHERE state = 'running' AND escalation = 'none'
                   AND risk_date <= %(now)s
                 UNION
                SELECT id, ticket_id, kind, deadline, risk_date
                  FROM qubiq_sla_clock
                 WHERE state = 'running' AND escalation != 'breached'
                   AND deadline <= %(now)s
                 ORDER BY id
                 LIMIT %(limit)s
                """,
                {"now": now, "limit": batch_size},
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            self._escalate_batch(rows, now)
            total += len(rows)
        return total

    @api.model
    def _escalate_batch(self, rows, now):
        """Escalate one batch of clocks: ``rows`` are (id, ticket_id, kind, deadline,
        risk_date) tuples read by the cron."""
        Ticket = self.env["helpdesk.ticket"]
        clock_rows, by_ticket = {}, defaultdict(dict)
        for clock_id, ticket_id, kind, deadline, _risk in rows:
            threshold = "breached" if deadline and deadline <= now else "at_risk"
            clock_rows[clock_id] = {"escalation": threshold, "escalation_date": now}
            by_ticket[ticket_id][kind] = (threshold, deadline)
        bulk_write(self, clock_rows)
        self.env["helpdesk.ticket"].flush_model(
            ["support_level", "company_id", "team_id"]
        )
        self.env["helpdesk.ticket.team"].flush_model(["user_id"])
        self.env["res.company"].flush_model(["qubiq_support_manager_id"])
        self.env.cr.execute(
            """
            SELECT t.id, t.support_level, t.company_id, team.user_id,
                   company.qubiq_support_manager_id
              FROM helpdesk_ticket t
              LEFT JOIN helpdesk_ticket_team team ON team.id = t.team_id
              JOIN res_company company ON company.id = t.company_id
             WHERE t.id = ANY(%s)
            """,
            [list(by_ticket)],
        )
        tickets = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        names = {
            ticket.id: ticket.display_name for ticket in Ticket.browse(list(by_ticket))
        }
        level_rows, activities, notes = {}, [], {}
        breached_for = defaultdict(list)
        activity_type = self.env.ref(
            "qubiq_helpdesk_sla.mail_activity_type_sla_escalation"
        )
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        today = fields.Date.context_today(self, now)
        tz = self._tz()
        # Every text of the notes, translated once for the batch.
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        levels = dict(Ticket._fields["support_level"]._description_selection(self.env))
        texts = {
            "breached": (_("SLA breached: act now"), _("breached")),
            "at_risk": (_("SLA at risk: act before the deadline"), _("at risk")),
        }
        due, level_text = _("due"), _("Support level:")
        for ticket_id, crossed in by_ticket.items():
            level, _company, leader_id, manager_id = tickets[ticket_id]
            breached = any(t == "breached" for t, _d in crossed.values())
            worst = "breached" if breached else "at_risk"
            new_level = max(level or "1", ESCALATION_LEVEL[worst])
            if new_level != level:
                level_rows[ticket_id] = {"support_level": new_level}
            if breached:
                responsible = manager_id or leader_id
                if manager_id:
                    breached_for[manager_id].append(ticket_id)
            else:
                responsible = leader_id or manager_id
            summary = texts[worst][0]
            lines = Markup("").join(
                Markup("<li><b>%s</b>: %s, %s %s</li>")
                % (
                    kinds[kind],
                    texts[threshold][1],
                    due,
                    format_datetime(self.env, deadline, tz=tz) if deadline else "-",
                )
                for kind, (threshold, deadline) in sorted(crossed.items())
            )
            notes[ticket_id] = Markup("<p><b>%s</b> %s %s</p><ul>%s</ul>") % (
                summary,
                level_text,
                levels[new_level],
                lines,
            )
            if responsible:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket_id,
                        # Given here, read for the whole batch at once: mail.activity
                        # would otherwise read each ticket's name and update each
                        # activity on its own.
                        "res_name": names[ticket_id],
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "user_id": responsible,
                        "date_deadline": today,
                    }
                )
        bulk_write(Ticket, level_rows)
        touched = Ticket.browse(list(by_ticket))
        touched._sla_update_ticket_fields()
        # One note per ticket in a single insert; the activities and the digest below
        # are what notifies people.
        Ticket.browse(list(notes))._message_log_batch(
            bodies=notes, author_id=self.env.ref("base.partner_root").id
        )
        # sudo: the cron may run as a user who cannot assign activities to others; the
        # activity types and recipients come from the configuration read above.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        self._notify_breaches(breached_for)

    @api.model
    def _notify_breaches(self, breached_for):
        """One message per support manager listing the tickets that breached now."""
        users = self.env["res.users"].browse(list(breached_for)).sudo()
        for user in users:
            tickets = self.env["helpdesk.ticket"].browse(breached_for[user.id])
            items = Markup("").join(
                Markup('<li><a href="/web#model=helpdesk.ticket&amp;id=%s">%s</a></li>')
                % (ticket.id, ticket.display_name)
                for ticket in tickets.sudo()
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=_("%(count)s tickets breached their SLA", count=len(tickets)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (_("These tickets have breached their SLA deadline:"), items),
            )

    def _tz(self):
        return self.env.user.tz or "Europe/Madrid"
