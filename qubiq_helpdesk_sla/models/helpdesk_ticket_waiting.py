# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_right
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models

UTC = ZoneInfo("UTC")
# Tickets read, reminded and closed per round of the cron.
BATCH = 500
# How far back working days are counted: a wait older than this counts from here,
# which still exceeds any sensible reminder or close limit.
MAX_LOOKBACK = timedelta(days=400)
# Per-transaction set of tickets closed for waiting too long: helpdesk_mgmt's stage
# mail is not sent to them, the close mail below tells the customer why instead.
CLOSED_KEY = "qubiq_helpdesk_sla.waiting_closed"


def elapsed_working_days(work_days, start_day):
    """Working days wholly elapsed after ``start_day``: ``work_days`` is the sorted
    list of the calendar's working dates up to yesterday."""
    return len(work_days) - bisect_right(work_days, start_day)


# One flow per file (see ARCHITECTURE.md): waiting too long for the customer.
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    sla_waiting_reminder_date = fields.Datetime(
        string="Customer reminded",
        readonly=True,
        copy=False,
        help="When the customer was last reminded that the ticket waits for them. A "
        "wait that starts later gets its own reminder.",
    )

    def _track_template(self, tracking):
        res = super()._track_template(tracking)
        if self[:1].id in self.env.cr.precommit.data.get(CLOSED_KEY, ()):
            res.pop("stage_id", None)
        return res

    @api.model
    def _sla_cron_waiting_customer(self):
        """Daily: remind the customers of tickets waiting for them for the team's
        reminder days, close those waiting for its close days (working days of the
        team's calendar, counted from the start of the open "customer" pause)."""
        teams = self.env["helpdesk.ticket.team"].search(
            ["|", ("waiting_reminder_days", ">", 0), ("waiting_close_days", ">", 0)]
        )
        if not teams:
            return
        # sudo: pauses are system records of the clocks; only their start is read.
        rows = (
            self.env["qubiq.sla.pause"]
            .sudo()
            .search_read(
                [
                    ("date_end", "=", False),
                    ("reason", "=", "customer"),
                    ("ticket_id.team_id", "in", teams.ids),
                    ("ticket_id.stage_id.sla_pause", "=", True),
                    ("ticket_id.stage_id.closed", "=", False),
                ],
                ["ticket_id", "date_start"],
            )
        )
        waiting_since = {}
        for row in rows:
            ticket_id = row["ticket_id"][0]
            waiting_since[ticket_id] = max(
                row["date_start"], waiting_since.get(ticket_id, row["date_start"])
            )
        ids = list(waiting_since)
        for start in range(0, len(ids), BATCH):
            self.browse(ids[start : start + BATCH])._sla_process_waiting(waiting_since)

    def _sla_process_waiting(self, waiting_since):
        """Remind or close ``self`` (tickets waiting for the customer since
        ``waiting_since[id]``): one working-time read per calendar."""
        elapsed = self._sla_waiting_days(waiting_since)
        remind, close = self.browse(), self.browse()
        for ticket in self:
            team, days = ticket.team_id, elapsed[ticket.id]
            if team.waiting_close_days and days >= team.waiting_close_days:
                close |= ticket
            elif (
                team.waiting_reminder_days
                and days >= team.waiting_reminder_days
                and not (
                    ticket.sla_waiting_reminder_date
                    and ticket.sla_waiting_reminder_date >= waiting_since[ticket.id]
                )
            ):
                remind |= ticket
        if remind:
            remind._sla_post_customer_mail(
                "qubiq_helpdesk_sla.mail_template_ticket_waiting_reminder"
            )
            remind.write({"sla_waiting_reminder_date": fields.Datetime.now()})
        if close:
            self.env.cr.precommit.data.setdefault(CLOSED_KEY, set()).update(close.ids)
            # One stage search per team, one write per closing stage.
            stages = {
                team: team._get_applicable_stages()
                .filtered("closed")
                .sorted("sequence")[:1]
                for team in close.team_id
            }
            for stage, tickets in close.grouped(lambda t: stages[t.team_id]).items():
                if stage:
                    tickets.write({"stage_id": stage.id})
            close.filtered("stage_id.closed")._sla_post_customer_mail(
                "qubiq_helpdesk_sla.mail_template_ticket_waiting_closed"
            )

    def _sla_waiting_days(self, waiting_since):
        """{ticket id: working days wholly elapsed since it started waiting}, in its
        team's calendar (else its company's), up to yesterday."""
        result = {}
        for calendar, tickets in self.grouped(
            lambda t: (
                t.team_id.resource_calendar_id or t.company_id.resource_calendar_id
            )
        ).items():
            if not calendar:
                for ticket in tickets:
                    result[ticket.id] = 0
                continue
            tz = ZoneInfo(calendar.tz or "UTC")
            today = fields.Datetime.now().replace(tzinfo=UTC).astimezone(tz).date()
            end = datetime.combine(today, time.min, tzinfo=tz)
            first = min(waiting_since[t.id] for t in tickets).replace(tzinfo=UTC)
            begin = max(first, end - MAX_LOOKBACK)
            intervals = calendar._work_intervals_batch(begin, end)[False]
            work_days = sorted(
                {start.astimezone(tz).date() for start, _s, _m in intervals}
            )
            for ticket in tickets:
                start_day = (
                    waiting_since[ticket.id].replace(tzinfo=UTC).astimezone(tz).date()
                )
                result[ticket.id] = elapsed_working_days(work_days, start_day)
        return result
