# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict, namedtuple
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from odoo import _, _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from . import sla_engine, ticket_quality
from .bulk_write import bulk_write
from .qubiq_sla_policy_line import PRIORITIES
from .res_users import SUPPORT_LEVELS

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
    ],
)
ComputedClock = namedtuple(
    "ComputedClock", ["deadline", "risk", "paused", "timeline", "pauses"]
)


def _rounded(timestamp):
    """Naive UTC datetime of an engine timestamp, to the second; None stays None."""
    return sla_engine.from_ts(round(timestamp)) if timestamp is not None else None


# Queue order (seed 003: by urgency and time left, first in first out): tickets with a
# running SLA deadline, then open tickets without one, then those waiting for the
# customer (nothing to do until they answer), then new requirements (evolutivos).
QUEUE_RANKS = {"deadline": 0, "open": 1, "waiting": 2, "evolutivo": 3}
QUEUE_ORDER = "sla_queue_rank, sla_deadline, priority desc, create_date, id"


def _queue_rank(has_deadline, paused, uncovered):
    if uncovered:
        return QUEUE_RANKS["evolutivo"]
    if paused:
        return QUEUE_RANKS["waiting"]
    return QUEUE_RANKS["deadline" if has_deadline else "open"]


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
    sla_response_info = fields.Char(
        string="Response clock", compute="_compute_sla_info"
    )
    sla_resolution_info = fields.Char(
        string="Resolution clock", compute="_compute_sla_info"
    )
    sla_at_risk = fields.Boolean(
        string="SLA at risk",
        readonly=True,
        copy=False,
        help="A running clock has used the at-risk share of its target or breached it: "
        "the escalation cron raised the support level and told the team leader.",
    )
    sla_queue_rank = fields.Integer(
        string="Queue group",
        readonly=True,
        copy=False,
        default=1,
        help="0: running SLA deadline, 1: open without deadline, 2: waiting for the "
        "customer, 3: new requirement. The queue sorts by it, then by deadline.",
    )
    support_level = fields.Selection(
        SUPPORT_LEVELS,
        compute="_compute_support_level",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        help="The support level working on the ticket: the team's entry level at "
        "first, "
        "raised by escalation or by hand.",
    )
    sla_for_my_level = fields.Boolean(
        string="For my level",
        compute="_compute_sla_for_my_level",
        search="_search_sla_for_my_level",
    )
    origin_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Follows up on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The closed ticket the customer answered when this one was opened.",
    )
    followup_ticket_ids = fields.One2many(
        "helpdesk.ticket", "origin_ticket_id", string="Follow-up tickets"
    )
    quality_hint = fields.Char(
        string="Missing details",
        compute="_compute_quality_hint",
        help="What the customer's ticket leaves out, by the support guide's checklist.",
    )

    @api.depends("team_id")
    def _compute_support_level(self):
        for ticket in self:
            if not ticket.support_level:
                ticket.support_level = ticket.team_id.support_level or "1"

    def _compute_sla_for_my_level(self):
        level = self.env.user.helpdesk_support_level or "1"
        for ticket in self:
            ticket.sla_for_my_level = (ticket.support_level or "1") <= level

    def _search_sla_for_my_level(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported: %s", operator))
        domain = [("support_level", "<=", self.env.user.helpdesk_support_level or "1")]
        return domain if (operator == "=") == bool(value) else ["!"] + domain

    @api.depends("sla_clock_ids.state", "sla_clock_ids.deadline", "sla_paused")
    def _compute_sla_info(self):
        """ "3 h 20 min left", "overdue by 45 min", "paused, 2 h left", "met": what
        an agent needs next to each deadline, in working time."""
        clocks = self.sla_clock_ids.filtered(lambda c: c.state != "cancelled")
        # One calendar load for every clock of the batch (remaining_minutes is live).
        clocks.mapped("remaining_minutes")
        for ticket in self:
            for kind in ("response", "resolution"):
                clock = ticket.sla_clock_ids.filtered(
                    lambda c, kind=kind: c.kind == kind and c.state != "cancelled"
                )[:1]
                ticket[f"sla_{kind}_info"] = clock._info() if clock else False

    @api.depends("description", "name", "message_attachment_count", "channel")
    def _compute_quality_hint(self):
        labels = {
            "short": _("a detailed description"),
            "user": _("the user it happens with"),
            "company": _("the company"),
            "steps": _("the steps to reproduce it"),
            "evidence": _("full-screen screenshots or the full error text"),
        }
        for ticket in self:
            if ticket.channel not in ("portal", "email") or ticket.stage_id.closed:
                ticket.quality_hint = False
                continue
            missing = ticket_quality.missing_details(
                ticket.description, bool(ticket.message_attachment_count)
            )
            ticket.quality_hint = (
                _(
                    "The customer did not give %(missing)s: ask before you start.",
                    missing=", ".join(str(labels[code]) for code in missing),
                )
                if missing
                else False
            )

    @api.depends("priority")
    @api.depends_context("lang")
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

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        user = self.env["res.users"].browse(defaults.get("user_id"))
        if user and (user._is_superuser() or user.share):
            # helpdesk_mgmt's auto-assignment gives a ticket to whoever creates it:
            # OdooBot for the mail gateway, the customer for a portal ticket. Such
            # tickets wait in the queue for an agent instead.
            defaults.pop("user_id")
        return defaults

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
        ticket = super().message_new(msg_dict, custom_values=custom_values)
        if ticket.origin_ticket_id:
            ticket._qubiq_notify_followup()
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        from_customer = not author.user_ids.filtered(lambda user: not user.share)
        for ticket in self:
            if (
                from_customer
                and ticket._qubiq_closed_too_long()
                and ticket.company_id.qubiq_closed_reply_mode == "reopen"
            ):
                ticket._qubiq_reopen_for_reply()
        return super().message_update(msg_dict, update_vals=update_vals)

    # ------------------------------------------------------------------ replies to
    # tickets closed long ago (seed 000: "a message about an old ticket must reach
    # current staff")

    @api.model
    def _qubiq_reroute_closed(self, routes, message_dict):
        """The routes of an incoming e-mail, where a reply to a ticket closed longer
        ago than the company allows becomes a new follow-up ticket (mode "new"); mode
        "reopen" is applied by ``message_update``."""
        result = []
        for route in routes or ():
            model, thread_id, custom_values, user_id, alias = route
            if model == self._name and thread_id:
                # sudo: the gateway routes e-mails before any user is known; only the
                # stage, closing date, team and company of the ticket are read here.
                ticket = self.sudo().browse(thread_id).exists()
                if (
                    ticket
                    and ticket._qubiq_closed_too_long()
                    and ticket.company_id.qubiq_closed_reply_mode == "new"
                ):
                    values = dict(
                        custom_values or {},
                        **ticket._qubiq_followup_values(message_dict),
                    )
                    route = (model, False, values, user_id, alias)
            result.append(route)
        return result

    def _qubiq_closed_too_long(self):
        self.ensure_one()
        if not self.stage_id.closed or not self.closed_date:
            return False
        days = self.company_id.qubiq_closed_reply_days
        return self.closed_date <= fields.Datetime.now() - timedelta(days=days)

    def _qubiq_followup_values(self, message_dict):
        """Values of the ticket that a late reply to this closed ticket opens."""
        self.ensure_one()
        return {
            "origin_ticket_id": self.id,
            "team_id": self.team_id.id,
            "user_id": False,
            "company_id": self.company_id.id,
            "partner_id": message_dict.get("author_id") or self.partner_id.id,
            "type_id": self.type_id.id,
            "category_id": self.category_id.id,
        }

    def _qubiq_team_partners(self):
        """Partners to tell about a ticket that needs someone: the team's active
        members and leader; the ticket's last agent only if still one of them."""
        self.ensure_one()
        users = (self.team_id.user_ids | self.team_id.user_id).filtered("active")
        return users.partner_id

    def _qubiq_notify_followup(self):
        """Link a follow-up ticket and its closed origin, and tell the current team."""
        for ticket in self:
            origin = ticket.origin_ticket_id
            origin.message_post(
                body=Markup("%s %s")
                % (
                    _("The customer answered this closed ticket; the message opened"),
                    ticket._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
            ticket.message_post(
                body=Markup("%s %s")
                % (
                    _("Follow-up of the closed ticket"),
                    origin._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket._qubiq_team_partners().ids,
            )

    def _qubiq_reopen_for_reply(self):
        """Reopen a ticket closed long ago that the customer answers (mode "reopen"):
        back to the team's first open stage, unassigned if its agent left the team."""
        for ticket in self:
            stages = ticket.team_id._get_applicable_stages().filtered(
                lambda stage: not stage.closed
            )
            values = {"stage_id": stages.sorted("sequence")[:1].id}
            if ticket.user_id and ticket.user_id not in ticket.team_id.user_ids:
                values["user_id"] = False
            ticket.write(values)
            ticket.message_post(
                body=_(
                    "The customer answered this ticket, closed for more than "
                    "%(days)s days: it is open again for the team.",
                    days=ticket.company_id.qubiq_closed_reply_days,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=ticket._qubiq_team_partners().ids,
            )

    def _qubiq_account_manager(self):
        """Who answers for the ticket's customer: the customer's account manager (or
        salesperson), else the team leader. Empty record when there is none."""
        self.ensure_one()
        manager = self.env["res.users"]
        if self.partner_id:
            manager = self.partner_id._qubiq_account_manager()
        return manager or self.team_id.user_id

    # ------------------------------------------------------------------ actions

    def action_open_followups(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Follow-ups of %s", self.display_name),
            "res_model": "helpdesk.ticket",
            "view_mode": "tree,form",
            "domain": [("origin_ticket_id", "=", self.id)],
            "context": {"create": False},
        }

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
            # sudo: pauses are system records the customer's reply closes; a portal
            # author may post on the ticket but has no access to them.
            pauses = ticket.sudo().sla_pause_ids.filtered(
                lambda p: not p.date_end and p.reason == "customer"
            )
            if pauses:
                pauses.write({"date_end": now})
                ticket.sudo()._sla_recompute("resume", _("The customer answered."))

    @api.model
    def _sla_import_history(self, rows):
        """Create past tickets with their SLA outcome, as another helpdesk recorded it:
        ``rows`` are dicts of ticket values plus ``sla_start_date`` (received),
        ``first_response`` and ``solved`` (naive UTC datetimes or strings, optional).

        Clocks are started at the reception, the response is registered at the first
        response and the ticket is moved to the team's first closed stage at the solving
        instant, so that met or missed and the working time to reach are those of the
        past. Used by the demo data; also a starting point for migrations."""
        tickets = self.browse()
        for row in rows:
            values = dict(row)
            first_response = values.pop("first_response", None)
            solved = values.pop("solved", None)
            ticket = self.create(values)
            if first_response:
                ticket._sla_register_response(first_response)
            if solved:
                ticket._sla_mark_solved(solved)
            tickets |= ticket
        return tickets

    def _sla_mark_solved(self, when):
        """Move the tickets to their team's first closed stage as of ``when`` (a past
        instant: imports and demo data), stopping the clocks then."""
        when = fields.Datetime.to_datetime(when)
        for ticket in self:
            closed = ticket.team_id._get_applicable_stages().filtered("closed")
            ticket.with_context(sla_event_date=when).stage_id = closed.sorted(
                "sequence"
            )[:1]
        # helpdesk_mgmt stamps the closing with now.
        self.write({"closed_date": when, "last_stage_update": when})

    # ------------------------------------------------------------------ SLA engine glue

    def _sla_on_stage_change(self, before):
        # ``sla_event_date``: when the stage change really happened (imports of past
        # tickets, see _sla_import_history); otherwise now.
        now = (
            fields.Datetime.to_datetime(self.env.context.get("sla_event_date"))
            or fields.Datetime.now()
        )
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
        days = {
            ticket.id: (ticket.sla_start_date or fields.Datetime.now()).date()
            for ticket in self
        }
        # sudo: agents and portal users open tickets without reading contracts.
        in_force = (
            self.env["qubiq.support.contract"]
            .sudo()
            ._find_active(
                (t.commercial_partner_id.id, t.company_id.id, days[t.id]) for t in self
            )
        )
        specs = {}
        for ticket in self:
            specs[ticket.id] = spec = {}
            if ticket.type_id and not ticket.type_id.sla_covered:
                continue
            contract = in_force[
                (ticket.commercial_partner_id.id, ticket.company_id.id, days[ticket.id])
            ]
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

    def _sla_active_clock_rows(self, clock_ids=None):
        """The running and paused clocks of these tickets (or only ``clock_ids``), as
        :data:`ClockRow` tuples read in one query, with the at-risk share of the
        ticket's company. Plain rows, not records: recomputing thousands of deadlines
        must not load every ticket and clock column through the ORM."""
        self.env["qubiq.sla.clock"].flush_model()
        self.env["res.company"].flush_model(["qubiq_sla_risk_threshold"])
        self.flush_model(["company_id"])
        self.env.cr.execute(
            """
            SELECT c.id, c.ticket_id, c.kind, c.state, c.calendar_id, c.start_date,
                   c.target_minutes, c.deadline, c.risk_date,
                   COALESCE(NULLIF(company.qubiq_sla_risk_threshold, 0), 75) / 100.0
              FROM qubiq_sla_clock c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              LEFT JOIN res_company company ON company.id = t.company_id
             WHERE c.state IN ('running', 'paused')
               AND c.ticket_id = ANY(%(tickets)s)
               AND (%(all)s OR c.id = ANY(%(clocks)s))
          ORDER BY c.id
            """,
            {
                "tickets": self.ids,
                "all": clock_ids is None,
                "clocks": list(clock_ids or []),
            },
        )
        return [ClockRow(*row) for row in self.env.cr.fetchall()]

    def _sla_compute_clocks(self, rows):
        """{clock id: ComputedClock} for running or paused clock ``rows``, in batch:
        the deadline and the at-risk instant (None while paused), whether the clock is
        paused, the timeline used (None without a working calendar) and the pauses."""
        pauses = self._sla_pause_intervals()
        calendar_ids = {row.calendar_id for row in rows if row.calendar_id}
        calendars = (
            self.env["resource.calendar"].browse(calendar_ids)._qubiq_work_calendars()
        )
        groups = defaultdict(list)
        for row in rows:
            groups[row.calendar_id].append(row)
        result = {}
        for calendar_id, group in groups.items():
            calendar = calendars.get(calendar_id)
            if not calendar:
                for row in group:
                    result[row.id] = ComputedClock(None, None, False, None, [])
                continue
            starts = [sla_engine.to_ts(row.start_date) for row in group]
            timeline = sla_engine.Timeline(calendar, min(starts), max(starts))
            for row, start_ts in zip(group, starts, strict=True):
                ticket_pauses = pauses.get(row.ticket_id, [])
                target = row.target_minutes * 60
                found = sla_engine.deadline_ts(
                    timeline, start_ts, target, ticket_pauses
                )
                risk = sla_engine.deadline_ts(
                    timeline, start_ts, target * float(row.risk_share), ticket_pauses
                )
                result[row.id] = ComputedClock(
                    deadline=_rounded(found),
                    risk=_rounded(risk) if found is not None else None,
                    paused=bool(ticket_pauses) and ticket_pauses[-1][1] is None,
                    timeline=timeline,
                    pauses=ticket_pauses,
                )
        return result

    def _sla_recompute(self, reason=None, description=None):
        """Recompute the deadlines of the running and paused clocks and the ticket
        fields derived from them; record the changes in the SLA history."""
        rows = self._sla_active_clock_rows()
        computed = self._sla_compute_clocks(rows)
        history = []
        clock_rows = {}
        for row in rows:
            deadline, risk, paused = computed[row.id][:3]
            state = "paused" if paused else "running"
            moved = row.deadline != deadline or row.state != state
            if moved or row.risk_date != risk:
                clock_rows[row.id] = {
                    "deadline": deadline,
                    "state": state,
                    "risk_date": risk,
                }
            if moved and reason:
                history.append(
                    {
                        "ticket_id": row.ticket_id,
                        "kind": row.kind,
                        "reason": reason,
                        "description": self._sla_description(
                            description, row.ticket_id
                        ),
                        "old_deadline": row.deadline,
                        "new_deadline": deadline,
                        "paused_minutes": self._sla_paused_minutes(
                            computed[row.id], row.start_date
                        ),
                    }
                )
        bulk_write(self.env["qubiq.sla.clock"], clock_rows)
        self.env["qubiq.sla.history"].sudo().create(history)
        self._sla_update_ticket_fields()
        if reason and reason not in ("start", "reached") and history:
            self._sla_post_history(history)

    @api.model
    def _sla_paused_minutes(self, computed, start_date):
        timeline, pauses = computed.timeline, computed.pauses
        if timeline is None or not start_date:
            return 0.0
        now_ts = sla_engine.to_ts(fields.Datetime.now())
        return (
            sla_engine.paused_seconds(
                timeline, sla_engine.to_ts(start_date), now_ts, pauses
            )
            / 60
        )

    def _sla_reach(self, clocks, when):
        """Stop ``clocks`` at ``when``: met if within their deadline, else missed."""
        rows = self._sla_active_clock_rows(clock_ids=clocks.ids)
        computed = self._sla_compute_clocks(rows)
        values, history = {}, []
        when_ts = sla_engine.to_ts(when)
        for row in rows:
            deadline = computed[row.id].deadline
            timeline = computed[row.id].timeline
            missed = deadline is not None and deadline < when
            consumed = 0.0
            if timeline is not None:
                consumed = sla_engine.consumed_seconds(
                    timeline,
                    sla_engine.to_ts(row.start_date),
                    when_ts,
                    computed[row.id].pauses,
                )
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
        bulk_write(self.env["qubiq.sla.clock"], values)
        self.env["qubiq.sla.history"].sudo().create(history)
        self._sla_update_ticket_fields()

    def _sla_update_ticket_fields(self):
        """Write the ticket-level SLA fields from the clocks, in one statement."""
        self.env["qubiq.sla.clock"].flush_model()
        self.flush_recordset(["type_id"])
        self.env.cr.execute(
            """
            SELECT ticket_id, kind, state, deadline, policy_id, contract_id, indicative,
                   escalation
              FROM qubiq_sla_clock
             WHERE ticket_id = ANY(%s) AND state != 'cancelled'
          ORDER BY id
            """,
            [self.ids],
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
            [self.ids],
        )
        uncovered = {row[0] for row in self.env.cr.fetchall()}
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
                "sla_at_risk": False,
            }
            running = []
            for (
                kind,
                state,
                deadline,
                policy_id,
                contract_id,
                indicative,
                escalation,
            ) in clocks[ticket.id]:
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
                if state in ACTIVE_STATES and escalation != "none":
                    values["sla_at_risk"] = True
            values["sla_deadline"] = min(running) if running else None
            values["sla_queue_rank"] = _queue_rank(
                bool(running), values["sla_paused"], ticket.id in uncovered
            )
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
