# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time
from zoneinfo import ZoneInfo

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import ticket_quality
from .bulk_write import touch_rows
from .qubiq_sla_policy_line import PRIORITIES, PRIORITY_DESCRIPTIONS
from .res_users import SUPPORT_LEVELS
from .sla_engine import ACTIVE_STATES

# Changing one of these re-targets the ticket's clocks.
RETARGET_FIELDS = ("priority", "type_id", "team_id", "partner_id", "company_id")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    priority = fields.Selection(selection=PRIORITIES, default="1", tracking=True)
    priority_description = fields.Char(compute="_compute_priority_description")
    type_id = fields.Many2one(tracking=True)
    sla_covered_type = fields.Boolean(
        related="type_id.sla_covered", string="Type covered by SLA"
    )
    # SLA: stored values written back in batch by the clocks (qubiq.sla.clock), UTC.
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
    sla_reply_deadline = fields.Datetime(
        string="Next reply due",
        readonly=True,
        copy=False,
        help="When the customer's last message must be answered by (policies with a "
        "next-reply target).",
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
    sla_reply_info = fields.Char(string="Next reply clock", compute="_compute_sla_info")
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
            for kind in ("response", "resolution", "reply"):
                # The latest clock of the kind: a ticket has one response and one
                # resolution clock, and one next-reply clock per customer message.
                clock = ticket.sla_clock_ids.filtered(
                    lambda c, kind=kind: c.kind == kind and c.state != "cancelled"
                ).sorted("id")[-1:]
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
        # Each description translated once, not once per ticket: a portal list
        # shows 80 tickets with four priorities between them.
        descriptions = {}
        for ticket in self:
            if ticket.priority not in descriptions:
                description = PRIORITY_DESCRIPTIONS.get(ticket.priority)
                descriptions[ticket.priority] = (
                    str(description) if description else False
                )
            ticket.priority_description = descriptions[ticket.priority]

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
            elif "missed" in states:
                # A missed clock stays a breach while another one still runs (late
                # first answer, solution on time so far), as the filter finds it.
                status = "missed"
            elif ticket.sla_paused and states & set(ACTIVE_STATES):
                status = "paused"
            elif states & set(ACTIVE_STATES):
                status = "on_track"
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
        self.env["qubiq.sla.clock"]._start(tickets)
        return tickets

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
        Clock = self.env["qubiq.sla.clock"]
        if "stage_id" in vals:
            Clock._on_stage_change(
                self,
                {ticket_id: values["stage"] for ticket_id, values in before.items()},
            )
        if retarget:
            changed = self.filtered(
                lambda t: any(t[f] != before[t.id][f] for f in retarget)
            )
            if changed:
                descriptions = {
                    ticket.id: ticket._sla_describe_change(before[ticket.id], retarget)
                    for ticket in changed
                }
                Clock._sync(changed, "retarget", descriptions)
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

    def _qubiq_account_manager(self):
        """Who answers for the ticket's customer: the customer's account manager (or
        salesperson), else the team leader. Empty record when there is none."""
        self.ensure_one()
        manager = self.env["res.users"]
        if self.partner_id:
            manager = self.partner_id._qubiq_account_manager()
        return manager or self.team_id.user_id

    # ------------------------------------------------------------------ mail hooks

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # sudo: only whether the ticket has its first response and whether the
        # author is an employee (not OdooBot) are read.
        ticket_sudo = self.sudo()
        if len(self) == 1 and not ticket_sudo.sla_first_response_date:
            author = ticket_sudo.env["res.partner"].browse(
                kwargs.get("author_id") or self.env.user.partner_id.id
            )
            # ormcached, unlike env.ref, which checks that the partner exists.
            root_id = self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")
            if author.id != root_id and author.user_ids.filtered(
                lambda user: not user.share
            ):
                # Several workers: this answer may be the first response. Write the
                # ticket's row before Odoo subscribes the author: two answers at once
                # then conflict on the ticket, and Odoo retries the second (HTTP) on
                # a fresh snapshot where the first response is recorded, instead of
                # failing on the followers' unique constraint (not retried). The
                # mail gateway is not retried: its second mail fails and is logged.
                touch_rows(self)
        return super().message_post(**kwargs)

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if message.message_type not in ("comment", "email") or message.is_internal:
            return res
        if message.subtype_id and message.subtype_id.internal:
            return res
        author = message.author_id
        # ormcached, unlike env.ref, which checks with a query that OdooBot exists.
        root_id = self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")
        if not author or author.id == root_id:
            return res
        internal = author.user_ids.filtered(
            lambda user: not user._is_public() and not user.share
        )
        if internal:
            self._sla_register_response(message.date or fields.Datetime.now())
        else:
            self._sla_register_customer_reply()
            self.env["qubiq.sla.clock"]._start_reply(
                self, message.date or fields.Datetime.now()
            )
        return res

    def _sla_register_response(self, when):
        """The support side answered the customer: the response clocks stop."""
        self.env["qubiq.sla.clock"]._register_response(self, when)

    def _sla_register_customer_reply(self):
        """The customer answered: a ticket waiting for them goes back to work."""
        resume = self.browse()
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
            else:
                resume |= ticket
        if resume:
            self.env["qubiq.sla.clock"]._resume_for_customer(resume)

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
