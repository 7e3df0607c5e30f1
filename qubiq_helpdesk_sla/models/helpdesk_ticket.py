# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from odoo import _, _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from . import sla_engine
from .bulk_write import bulk_write
from .qubiq_sla_policy_line import PRIORITIES

# Seed 000, "Funcionamiento SLAs y tipo de priorización": shown wherever a priority is
# chosen.
PRIORITY_DESCRIPTIONS = {
    "0": _lt("Functional questions and doubts."),
    "1": _lt(
        "Affects a single user or a single record (one customer, one invoice, one "
        "sales "
        "order). Daily work goes on."
    ),
    "2": _lt(
        "A whole department or process is stopped, e.g. no sales order can be made at "
        "all. Security is not at risk, but it becomes blocking if not solved soon."
    ),
    "3": _lt(
        "The whole service is stopped or its security is at risk, e.g. the server is "
        "down or a whole integration fails. Reserve it for real emergencies."
    ),
}

# Changing one of these re-targets the ticket's clocks.
RETARGET_FIELDS = ("priority", "type_id", "team_id", "partner_id", "company_id")
ACTIVE_STATES = ("running", "paused")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    priority = fields.Selection(selection=PRIORITIES, default="1", tracking=True)
    priority_description = fields.Char(compute="_compute_priority_description")
    type_id = fields.Many2one(tracking=True)
    sla_covered_type = fields.Boolean(
        related="type_id.sla_covered", string="Type covered by SLA"
    )
    requires_estimate = fields.Boolean(related="type_id.requires_estimate")

    # Estimate and approval of new requirements (evolutivos).
    estimate_hours = fields.Float(string="Estimated hours", tracking=True, copy=False)
    estimate_state = fields.Selection(
        [
            ("to_estimate", "To estimate"),
            ("sent", "Sent to the customer"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Estimate",
        default="to_estimate",
        tracking=True,
        copy=False,
    )
    estimate_approved_by_id = fields.Many2one(
        "res.partner", string="Approved by", copy=False, tracking=True
    )
    estimate_approved_date = fields.Datetime(string="Approved on", copy=False)

    # SLA: stored values written in batch by _sla_sync/_sla_recompute (UTC).
    sla_start_date = fields.Datetime(
        string="SLA start",
        copy=False,
        help="When the SLA clocks started: the ticket's reception.",
    )
    sla_contract_id = fields.Many2one(
        "qubiq.support.contract",
        string="Maintenance contract",
        readonly=True,
        copy=False,
    )
    sla_policy_id = fields.Many2one(
        "qubiq.sla.policy", string="SLA policy", readonly=True, copy=False
    )
    sla_indicative = fields.Boolean(
        string="Indicative targets",
        readonly=True,
        copy=False,
        help="The customer has no active maintenance contract: the targets are "
        "indicative, not contractual.",
    )
    sla_response_deadline = fields.Datetime(
        string="Response due", readonly=True, copy=False, index=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolution due", readonly=True, copy=False, index=True
    )
    sla_first_response_date = fields.Datetime(
        string="First response", readonly=True, copy=False
    )
    sla_paused = fields.Boolean(
        string="SLA paused", readonly=True, copy=False, help="Waiting for the customer."
    )
    sla_deadline = fields.Datetime(
        string="Next SLA deadline",
        readonly=True,
        copy=False,
        index=True,
        help="The nearest deadline of the clocks still running.",
    )
    channel = fields.Selection(
        related="channel_id.code",
        store=True,
        string="Channel type",
        help="Portal, e-mail, phone or backend: how the ticket reached the support "
        "team.",
    )
    sla_clock_ids = fields.One2many("qubiq.sla.clock", "ticket_id", string="SLA clocks")
    sla_pause_ids = fields.One2many("qubiq.sla.pause", "ticket_id", string="SLA pauses")
    sla_history_ids = fields.One2many(
        "qubiq.sla.history", "ticket_id", string="SLA history"
    )
    sla_status = fields.Selection(
        [
            ("none", "No SLA"),
            ("on_track", "On track"),
            ("paused", "Paused"),
            ("overdue", "Overdue"),
            ("met", "Met"),
            ("missed", "Missed"),
        ],
        string="SLA status",
        compute="_compute_sla_status",
    )
    sla_breached = fields.Boolean(
        string="SLA breached",
        compute="_compute_sla_status",
        search="_search_sla_breached",
    )
    sla_due_today = fields.Boolean(
        string="SLA due today",
        compute="_compute_sla_status",
        search="_search_sla_due_today",
    )

    @api.depends("priority")
    def _compute_priority_description(self):
        for ticket in self:
            description = PRIORITY_DESCRIPTIONS.get(ticket.priority)
            ticket.priority_description = str(description) if description else False

    @api.depends("sla_deadline", "sla_paused", "sla_clock_ids.state")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        end_of_day = self._sla_end_of_today()
        for ticket in self:
            states = {c.state for c in ticket.sla_clock_ids if c.state != "cancelled"}
            if not states:
                status = "none"
            elif ticket.sla_deadline and ticket.sla_deadline < now:
                status = "overdue"
            elif ticket.sla_paused and states & set(ACTIVE_STATES):
                status = "paused"
            elif states & set(ACTIVE_STATES):
                status = "on_track"
            elif "missed" in states:
                status = "missed"
            else:
                status = "met"
            ticket.sla_status = status
            ticket.sla_breached = status in ("overdue", "missed")
            ticket.sla_due_today = bool(
                ticket.sla_deadline and now <= ticket.sla_deadline <= end_of_day
            )

    def _sla_end_of_today(self):
        tz = ZoneInfo(self.env.user.tz or "UTC")
        local_now = fields.Datetime.now().replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
        end = datetime.combine(local_now.date(), time.max, tzinfo=tz)
        return end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None, microsecond=0)

    def _search_sla_breached(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported: %s", operator))
        domain = [
            "|",
            ("sla_deadline", "<", fields.Datetime.now()),
            ("sla_clock_ids.state", "=", "missed"),
        ]
        return domain if (operator == "=") == bool(value) else ["!"] + domain

    def _search_sla_due_today(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported: %s", operator))
        domain = [
            ("sla_deadline", ">=", fields.Datetime.now()),
            ("sla_deadline", "<=", self._sla_end_of_today()),
        ]
        return domain if (operator == "=") == bool(value) else ["!"] + domain

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        backend = None
        for vals in vals_list:
            vals.setdefault("sla_start_date", now)
            if not vals.get("channel_id") and not self.env.context.get(
                "fetchmail_cron_running"
            ):
                if backend is None:
                    backend = self.env.ref(
                        "qubiq_helpdesk_sla.helpdesk_ticket_channel_backend",
                        raise_if_not_found=False,
                    )
                if backend:
                    vals["channel_id"] = backend.id
        tickets = super().create(vals_list)
        tickets._sla_start()
        return tickets

    def _sla_start(self):
        """Start the clocks of new tickets (or of open tickets when the module is
        installed), honouring a waiting or closed stage they are already in."""
        self._sla_sync("start")
        special = self.filtered(lambda t: t.stage_id.closed or t.stage_id.sla_pause)
        if special:
            empty = self.env["helpdesk.ticket.stage"]
            special._sla_on_stage_change({t.id: {"stage": empty} for t in special})

    def write(self, vals):
        retarget = [f for f in RETARGET_FIELDS if f in vals]
        if not retarget and "stage_id" not in vals:
            return super().write(vals)
        before = {
            ticket.id: {
                "stage": ticket.stage_id,
                **{f: ticket[f] for f in RETARGET_FIELDS},
            }
            for ticket in self
        }
        res = super().write(vals)
        if "stage_id" in vals:
            self._sla_on_stage_change(before)
        if retarget:
            changed = self.filtered(
                lambda t: any(t[f] != before[t.id][f] for f in retarget)
            )
            if changed:
                descriptions = {
                    ticket.id: ticket._sla_describe_change(before[ticket.id], retarget)
                    for ticket in changed
                }
                changed._sla_sync("retarget", descriptions)
        return res

    def _sla_describe_change(self, before, fnames):
        self.ensure_one()
        parts = []
        for fname in fnames:
            old, new = before[fname], self[fname]
            if old == new:
                continue
            field = self._fields[fname]
            if field.type == "selection":
                labels = dict(field._description_selection(self.env))
                old_label, new_label = labels.get(old, old), labels.get(new, new)
            else:
                old_label = old.display_name if old else _("none")
                new_label = new.display_name if new else _("none")
            parts.append(
                _(
                    "%(field)s: %(old)s → %(new)s",
                    field=field._description_string(self.env),
                    old=old_label,
                    new=new_label,
                )
            )
        return "; ".join(parts)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A ticket opened by an e-mail to a team's alias comes through the e-mail
        channel (helpdesk_mgmt only sets it when the fetchmail cron runs, not for every
        gateway delivery)."""
        custom_values = dict(custom_values or {})
        if not custom_values.get("channel_id"):
            email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", False)
            if email:
                custom_values["channel_id"] = email.id
        return super().message_new(msg_dict, custom_values=custom_values)

    def _qubiq_account_manager(self):
        """Who answers for the ticket's customer: the customer's account manager (or
        salesperson), else the team leader. Empty record when there is none."""
        self.ensure_one()
        manager = self.env["res.users"]
        if self.partner_id:
            manager = self.partner_id._qubiq_account_manager()
        return manager or self.team_id.user_id

    # ------------------------------------------------------------------ actions

    def action_estimate_send(self):
        for ticket in self:
            if ticket.estimate_hours <= 0:
                raise UserError(
                    _(
                        "Estimated hours: enter the estimate of %(ticket)s before "
                        "sending "
                        "it to the customer.",
                        ticket=ticket.display_name,
                    )
                )
        self.write({"estimate_state": "sent"})

    def action_estimate_approve(self):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.estimate_hours <= 0:
                raise UserError(
                    _(
                        "Estimated hours: %(ticket)s cannot be approved without an "
                        "estimate.",
                        ticket=ticket.display_name,
                    )
                )
            # Approved new requirements are worked on at low priority (seed 000).
            ticket.write(
                {
                    "estimate_state": "approved",
                    "estimate_approved_by_id": (
                        ticket.estimate_approved_by_id or ticket.partner_id
                    ).id,
                    "estimate_approved_date": now,
                    "priority": "0",
                }
            )

    def action_estimate_reject(self):
        self.write({"estimate_state": "rejected"})

    # ------------------------------------------------------------------ mail hooks

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if message.message_type not in ("comment", "email") or message.is_internal:
            return res
        if message.subtype_id and message.subtype_id.internal:
            return res
        author = message.author_id
        if not author or author == self.env.ref("base.partner_root"):
            return res
        internal = author.user_ids.filtered(
            lambda user: not user._is_public() and not user.share
        )
        if internal:
            self._sla_register_response(message.date or fields.Datetime.now())
        else:
            self._sla_register_customer_reply()
        return res

    def _sla_register_response(self, when):
        """The support side answered the customer: the response clocks stop."""
        when = fields.Datetime.to_datetime(when)
        first = self.filtered(lambda t: not t.sla_first_response_date)
        if first:
            first.sudo().write({"sla_first_response_date": when})
        clocks = self.sla_clock_ids.filtered(
            lambda c: c.kind == "response" and c.state in ACTIVE_STATES
        )
        if clocks:
            clocks.ticket_id._sla_reach(clocks, when)

    def _sla_register_customer_reply(self):
        """The customer answered: a ticket waiting for them goes back to work."""
        now = fields.Datetime.now()
        for ticket in self:
            team = ticket.team_id
            if (
                ticket.stage_id.sla_pause
                and team.autoupdate_ticket_stage
                and team.autopupdate_dest_stage_id
                and ticket.stage_id in team.autopupdate_src_stage_ids
            ):
                # Same rule as helpdesk_ticket_partner_response applies to e-mails, for
                # portal replies too. sudo: the author may be a portal user, who cannot
                # write stages; the stage change is the documented team configuration.
                ticket.sudo().stage_id = team.autopupdate_dest_stage_id
                continue
            pauses = ticket.sla_pause_ids.filtered(
                lambda p: not p.date_end and p.reason == "customer"
            )
            if pauses:
                # sudo: pauses are system records the customer's reply closes.
                pauses.sudo().write({"date_end": now})
                ticket.sudo()._sla_recompute("resume", _("The customer answered."))

    # ------------------------------------------------------------------ SLA engine glue

    def _sla_on_stage_change(self, before):
        now = fields.Datetime.now()
        Pause = self.env["qubiq.sla.pause"].sudo()
        to_reach = self.env["qubiq.sla.clock"]
        recompute = defaultdict(lambda: self.browse())
        new_pauses = []
        for ticket in self:
            old, new = before[ticket.id]["stage"], ticket.stage_id
            if old == new:
                continue
            open_pauses = ticket.sla_pause_ids.filtered(lambda p: not p.date_end)
            if new.closed and not old.closed:
                open_pauses.sudo().write({"date_end": now})
                new_pauses.append(
                    {"ticket_id": ticket.id, "date_start": now, "reason": "closed"}
                )
                to_reach |= ticket.sla_clock_ids.filtered(
                    lambda c: c.state in ACTIVE_STATES
                )
            elif old.closed and not new.closed:
                open_pauses.sudo().write({"date_end": now})
                resolution = ticket.sla_clock_ids.filtered(
                    lambda c: c.kind == "resolution" and c.state in ("met", "missed")
                )
                resolution.sudo().write(
                    {"state": "running", "reached_date": False, "reached_minutes": 0}
                )
                if new.sla_pause:
                    new_pauses.append({"ticket_id": ticket.id, "date_start": now})
                recompute["reopen"] |= ticket
            elif new.sla_pause and not old.sla_pause:
                if not open_pauses:
                    new_pauses.append({"ticket_id": ticket.id, "date_start": now})
                    recompute["pause"] |= ticket
            elif old.sla_pause and not new.sla_pause and open_pauses:
                open_pauses.sudo().write({"date_end": now})
                recompute["resume"] |= ticket
        Pause.create(new_pauses)
        for reason, tickets in recompute.items():
            tickets._sla_recompute(reason)
        if to_reach:
            to_reach.ticket_id._sla_reach(to_reach, now)

    def _sla_specs(self):
        """{ticket id: {kind: clock values}} of the clocks each ticket should have
        now."""
        Contract = self.env["qubiq.support.contract"].sudo()
        contracts = Contract.search(
            [
                ("state", "=", "active"),
                ("partner_id", "in", self.commercial_partner_id.ids),
            ],
            order="date_start desc, id desc",
        )
        by_partner = defaultdict(list)
        for contract in contracts:
            by_partner[(contract.partner_id.id, contract.company_id.id)].append(
                contract
            )
        specs = {}
        for ticket in self:
            specs[ticket.id] = spec = {}
            if ticket.type_id and not ticket.type_id.sla_covered:
                continue
            day = (ticket.sla_start_date or fields.Datetime.now()).date()
            contract = next(
                (
                    c
                    for c in by_partner[
                        (ticket.commercial_partner_id.id, ticket.company_id.id)
                    ]
                    if c.date_start <= day and (not c.date_end or c.date_end >= day)
                ),
                Contract,
            )
            company = ticket.company_id.sudo()
            if contract:
                policy, calendar, factor = (
                    contract.policy_id,
                    contract._effective_calendar(),
                    1.0,
                )
            else:
                policy = company.qubiq_sla_indicative_policy_id
                calendar = ticket.team_id.resource_calendar_id or policy.calendar_id
                factor = company.qubiq_sla_indicative_factor or 1.0
            if not policy or not calendar:
                continue
            line = policy.sudo()._find_line(
                ticket.priority, ticket.type_id, ticket.team_id
            )
            if not line:
                continue
            unit_minutes = policy._unit_seconds() / 60
            common = {
                "policy_id": policy.id,
                "contract_id": contract.id,
                "calendar_id": calendar.id,
                "indicative": not contract,
            }
            spec["response"] = dict(
                common, target_minutes=line.response_target * unit_minutes * factor
            )
            if line.resolution_target:
                spec["resolution"] = dict(
                    common,
                    target_minutes=line.resolution_target * unit_minutes * factor,
                )
        return specs

    @api.model
    def _sla_description(self, description, ticket_id):
        """``description`` is one text for every ticket or a {ticket id: text} map."""
        if isinstance(description, dict):
            return description.get(ticket_id)
        return description

    def _sla_sync(self, reason, description=None):
        """Give each ticket the clocks its contract, policy and targets call for, then
        recompute their deadlines. Clocks that already stopped keep their result.

        ``description`` (one text, or one per ticket id) says what changed, for the
        history and the chatter."""
        if not self:
            return
        Clock = self.env["qubiq.sla.clock"].sudo()
        specs = self._sla_specs()
        to_create, history, retargeted = [], [], {}
        for ticket in self:
            current = {
                c.kind: c for c in ticket.sla_clock_ids if c.state != "cancelled"
            }
            for kind in ("response", "resolution"):
                spec, clock = specs[ticket.id].get(kind), current.get(kind)
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
                            "description": self._sla_description(
                                description, ticket.id
                            ),
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
        bulk_write(Clock, retargeted)
        Clock.create(to_create)
        self.env["qubiq.sla.history"].sudo().create(history)
        self._sla_recompute(reason, description)

    def _sla_pause_intervals(self):
        """{ticket id: sorted [(start_ts, end_ts or None)]} in one query."""
        rows = (
            self.env["qubiq.sla.pause"]
            .sudo()
            .search_read(
                [("ticket_id", "in", self.ids)],
                ["ticket_id", "date_start", "date_end"],
                order="date_start, id",
            )
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

    def _sla_compute_clocks(self, clocks):
        """{clock id: (deadline or None, paused, timeline or None, pauses)} for running
        or paused clocks, in batch (timeline None when the clock has no working
        calendar)."""
        pauses = self._sla_pause_intervals()
        calendars = clocks.calendar_id._qubiq_work_calendars()
        result = {}
        for calendar_id, group in clocks.grouped(lambda c: c.calendar_id.id).items():
            calendar = calendars.get(calendar_id)
            if not calendar:
                for clock in group:
                    result[clock.id] = (None, False, None, [])
                continue
            starts = [sla_engine.to_ts(c.start_date) for c in group]
            timeline = sla_engine.Timeline(calendar, min(starts), max(starts))
            for clock, start_ts in zip(group, starts, strict=True):
                ticket_pauses = pauses.get(clock.ticket_id.id, [])
                found = sla_engine.deadline_ts(
                    timeline, start_ts, clock.target_minutes * 60, ticket_pauses
                )
                paused = bool(ticket_pauses) and ticket_pauses[-1][1] is None
                deadline = (
                    sla_engine.from_ts(round(found)) if found is not None else None
                )
                result[clock.id] = (deadline, paused, timeline, ticket_pauses)
        return result

    def _sla_recompute(self, reason=None, description=None):
        """Recompute the deadlines of the running and paused clocks and the ticket
        fields derived from them; record the changes in the SLA history."""
        clocks = self.sla_clock_ids.filtered(lambda c: c.state in ACTIVE_STATES)
        computed = self._sla_compute_clocks(clocks)
        history = []
        clock_rows = {}
        for clock in clocks:
            deadline, paused, _timeline, _pauses = computed[clock.id]
            state = "paused" if paused else "running"
            if clock.deadline != (deadline or False) or clock.state != state:
                clock_rows[clock.id] = {"deadline": deadline, "state": state}
                if reason:
                    history.append(
                        {
                            "ticket_id": clock.ticket_id.id,
                            "kind": clock.kind,
                            "reason": reason,
                            "description": self._sla_description(
                                description, clock.ticket_id.id
                            ),
                            "old_deadline": clock.deadline,
                            "new_deadline": deadline,
                            "paused_minutes": self._sla_paused_minutes(
                                computed[clock.id], clock
                            ),
                        }
                    )
        bulk_write(self.env["qubiq.sla.clock"], clock_rows)
        self.env["qubiq.sla.history"].sudo().create(history)
        self._sla_update_ticket_fields()
        if reason and reason not in ("start", "reached") and history:
            self._sla_post_history(history)

    @api.model
    def _sla_paused_minutes(self, computed, clock):
        _deadline, _paused, timeline, pauses = computed
        if timeline is None or not clock.start_date:
            return 0.0
        now_ts = sla_engine.to_ts(fields.Datetime.now())
        return (
            sla_engine.paused_seconds(
                timeline, sla_engine.to_ts(clock.start_date), now_ts, pauses
            )
            / 60
        )

    def _sla_reach(self, clocks, when):
        """Stop ``clocks`` at ``when``: met if within their deadline, else missed."""
        computed = self._sla_compute_clocks(clocks)
        rows, history = {}, []
        when_ts = sla_engine.to_ts(when)
        for clock in clocks:
            deadline, _paused, timeline, pauses = computed[clock.id]
            missed = deadline is not None and deadline < when
            consumed = 0.0
            if timeline is not None:
                consumed = sla_engine.consumed_seconds(
                    timeline, sla_engine.to_ts(clock.start_date), when_ts, pauses
                )
            rows[clock.id] = {
                "state": "missed" if missed else "met",
                "reached_date": when,
                "reached_minutes": round(consumed / 60, 2),
                "deadline": deadline or clock.deadline or None,
            }
            history.append(
                {
                    "ticket_id": clock.ticket_id.id,
                    "kind": clock.kind,
                    "reason": "reached",
                    "description": _("Missed") if missed else _("Met"),
                    "old_deadline": clock.deadline,
                    "new_deadline": deadline or clock.deadline or False,
                }
            )
        bulk_write(self.env["qubiq.sla.clock"], rows)
        self.env["qubiq.sla.history"].sudo().create(history)
        self._sla_update_ticket_fields()

    def _sla_update_ticket_fields(self):
        """Write the ticket-level SLA fields from the clocks, in one statement."""
        self.env["qubiq.sla.clock"].flush_model()
        self.env.cr.execute(
            """
            SELECT ticket_id, kind, state, deadline, policy_id, contract_id, indicative
              FROM qubiq_sla_clock
             WHERE ticket_id = ANY(%s) AND state != 'cancelled'
          ORDER BY id
            """,
            [self.ids],
        )
        clocks = defaultdict(list)
        for row in self.env.cr.fetchall():
            clocks[row[0]].append(row[1:])
        rows = {}
        for ticket in self:
            values = {
                "sla_response_deadline": None,
                "sla_resolution_deadline": None,
                "sla_deadline": None,
                "sla_policy_id": None,
                "sla_contract_id": None,
                "sla_indicative": False,
                "sla_paused": False,
            }
            running = []
            for kind, state, deadline, policy_id, contract_id, indicative in clocks[
                ticket.id
            ]:
                values[f"sla_{kind}_deadline"] = deadline
                values["sla_policy_id"] = policy_id
                values["sla_contract_id"] = contract_id
                values["sla_indicative"] = bool(indicative)
                if state == "running" and deadline:
                    running.append(deadline)
                if state == "paused":
                    values["sla_paused"] = True
                    if deadline:
                        running.append(deadline)
            values["sla_deadline"] = min(running) if running else None
            rows[ticket.id] = values
        bulk_write(self, rows)

    def _sla_post_history(self, history):
        """One internal note per ticket explaining why its deadlines moved."""
        labels = dict(
            self.env["qubiq.sla.history"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        reasons = dict(
            self.env["qubiq.sla.history"]
            ._fields["reason"]
            ._description_selection(self.env)
        )
        tz = self.env.user.tz or "Europe/Madrid"
        by_ticket = defaultdict(list)
        for line in history:
            by_ticket[line["ticket_id"]].append(line)
        for ticket in self.browse(list(by_ticket)):
            lines = by_ticket[ticket.id]
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    labels.get(line["kind"], ""),
                    format_datetime(self.env, line["old_deadline"], tz=tz)
                    if line["old_deadline"]
                    else _("none"),
                    format_datetime(self.env, line["new_deadline"], tz=tz)
                    if line["new_deadline"]
                    else _("paused"),
                )
                for line in lines
            )
            header = escape(reasons.get(lines[0]["reason"], ""))
            if lines[0].get("description"):
                header += Markup(" — ") + escape(lines[0]["description"])
            ticket.sudo().message_post(
                body=Markup("<p><b>%s</b> %s</p><ul>%s</ul>")
                % (_("SLA deadlines updated."), header, items),
                subtype_xmlid="mail.mt_note",
                message_type="notification",
            )
