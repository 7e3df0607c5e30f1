# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from . import sla_engine

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
