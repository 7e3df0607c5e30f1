# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduling of on-site interventions: a slot and a technician on the task,
the technician's overlapping interventions flagged, the customer told the slot.

Community 17's project has no ``planned_date_begin`` (project_enterprise adds
it): the slot has fields of its own, and ``date_deadline`` keeps its meaning.
"""

from babel.dates import format_date, format_time
from pytz import UTC, timezone
from pytz.exceptions import UnknownTimeZoneError

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import babel_locale_parse

from .schedule_engine import find_conflicts

SLOT_FIELDS = (
    "intervention_planned_start",
    "intervention_planned_end",
    "intervention_technician_id",
)
# Fields the customer reads on the portal page of the task (project restricts
# portal users to a whitelist of task fields).
PORTAL_SLOT_FIELDS = {
    "intervention_planned_start",
    "intervention_planned_end",
    "intervention_technician_id",
    "intervention_slot_tz",
    "intervention_slot_display",
    "intervention_technician_name",
}
CANCELED_STATE = "1_canceled"
SLOT_TEMPLATE = "qubiq_helpdesk_aftersales_intervention.mail_template_intervention_slot"
CANCEL_TEMPLATE = (
    "qubiq_helpdesk_aftersales_intervention.mail_template_intervention_slot_canceled"
)


# Its own class, apart from project_task.py's signature: scheduling is a
# feature of its own (fields, conflicts, mails) that the worksheets do not touch.
class ProjectTask(models.Model):
    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    intervention_planned_start = fields.Datetime(
        string="Planned Start",
        copy=False,
        tracking=True,
        help="Start of the on-site intervention slot.",
    )
    intervention_planned_end = fields.Datetime(
        string="Planned End",
        copy=False,
        tracking=True,
        help="End of the on-site intervention slot.",
    )
    intervention_technician_id = fields.Many2one(
        "res.users",
        string="Technician",
        compute="_compute_intervention_technician_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who goes on site. Defaults to the first assignee and is always one "
        "of the assignees, so that the task is in the technician's tasks.",
    )
    # read by the customer (portal, e-mail), who may not read res.users
    intervention_technician_name = fields.Char(
        related="intervention_technician_id.name", string="Technician Name"
    )
    intervention_conflict_count = fields.Integer(
        string="Overlapping Interventions",
        compute="_compute_intervention_conflict",
        search="_search_intervention_conflict",
        compute_sudo=True,
        help="Other interventions of the same technician overlapping this slot, "
        "in any company.",
    )
    intervention_conflict = fields.Boolean(
        string="Schedule Conflict",
        compute="_compute_intervention_conflict",
        search="_search_intervention_conflict",
        compute_sudo=True,
    )
    intervention_slot_tz = fields.Char(
        string="Slot Time Zone",
        compute="_compute_intervention_slot_tz",
        compute_sudo=True,
        help="Time zone in which the customer is told the slot: the customer's, "
        "else the company's.",
    )
    intervention_slot_display = fields.Char(
        string="Slot",
        compute="_compute_intervention_slot_display",
        compute_sudo=True,
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS | PORTAL_SLOT_FIELDS

    @api.depends("user_ids")
    def _compute_intervention_technician_id(self):
        for task in self:
            # _origin: user_ids are new records in a form's onchange
            technician = task.intervention_technician_id._origin
            if technician not in task.user_ids._origin:
                task.intervention_technician_id = task.user_ids._origin[:1]

    @api.depends(
        "intervention_planned_start",
        "intervention_planned_end",
        "intervention_technician_id",
        "active",
        "state",
    )
    def _compute_intervention_conflict(self):
        """One query for the whole batch: the booked slots of the batch's
        technicians in the batch's time span, then the plain-Python sweep."""
        counts = self._intervention_conflicts()
        for task in self:
            count = len(counts.get(task._origin.id or task.id, ()))
            task.intervention_conflict_count = count
            task.intervention_conflict = bool(count)

    def _intervention_booked(self):
        """Whether the slot occupies the technician (cancelled or archived
        interventions free it)."""
        self.ensure_one()
        return (
            self.active
            and self.state != CANCELED_STATE
            and self.intervention_technician_id
            and self.intervention_planned_start
            and self.intervention_planned_end
        )

    def _intervention_conflicts(self):
        """``{task id: set of overlapping task ids}`` for the tasks of ``self``
        (their values in cache, so unsaved edits count), against every booked
        slot in the database, whatever the company."""
        booked = self.filtered(lambda task: task._intervention_booked())
        if not booked:
            return {}
        own_ids = {task._origin.id or task.id for task in booked}
        slots = [
            (
                task._origin.id or task.id,
                task.intervention_technician_id.id,
                task.intervention_planned_start,
                task.intervention_planned_end,
            )
            for task in booked
        ]
        self.flush_model(
            ["intervention_technician_id", "intervention_planned_start"]
            + ["intervention_planned_end", "active", "state"]
        )
        self.env.cr.execute(
            """
            SELECT id, intervention_technician_id,
                   intervention_planned_start, intervention_planned_end
              FROM project_task
             WHERE intervention_technician_id = ANY(%s)
               AND intervention_planned_start < %s
               AND intervention_planned_end > %s
               AND active
               AND state != %s
            """,
            (
                list({slot[1] for slot in slots}),
                max(slot[3] for slot in slots),
                min(slot[2] for slot in slots),
                CANCELED_STATE,
            ),
        )
        slots += [row for row in self.env.cr.fetchall() if row[0] not in own_ids]
        return find_conflicts(slots)

    def _search_intervention_conflict(self, operator, value):
        if operator not in ("=", "!=", ">", ">=") or not isinstance(value, bool | int):
            raise UserError(_("Operation not supported: %s", operator))
        self.flush_model(
            ["intervention_technician_id", "intervention_planned_start"]
            + ["intervention_planned_end", "active", "state"]
        )
        self.env.cr.execute(
            """
            SELECT DISTINCT task.id
              FROM project_task task
              JOIN project_task other
                ON other.intervention_technician_id = task.intervention_technician_id
               AND other.id != task.id
               AND other.intervention_planned_start < task.intervention_planned_end
               AND other.intervention_planned_end > task.intervention_planned_start
               AND other.active
               AND other.state != %s
             WHERE task.active
               AND task.state != %s
            """,
            (CANCELED_STATE, CANCELED_STATE),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = {
            "=": bool(value),
            "!=": not value,
            ">": value == 0,
            ">=": bool(value),
        }[operator]
        return [("id", "in" if positive else "not in", ids)]

    @api.depends(
        "helpdesk_ticket_id.partner_id.tz", "partner_id.tz", "company_id.partner_id.tz"
    )
    def _compute_intervention_slot_tz(self):
        for task in self:
            task.intervention_slot_tz = (
                task.helpdesk_ticket_id.partner_id.tz
                or task.partner_id.tz
                or task.company_id.partner_id.tz
                or self.env.company.partner_id.tz
                or "UTC"
            )

    @api.depends(
        "intervention_planned_start", "intervention_planned_end", "intervention_slot_tz"
    )
    @api.depends_context("lang")
    def _compute_intervention_slot_display(self):
        locale = babel_locale_parse(self.env.lang or "en_US")
        for task in self:
            start, end = task.intervention_planned_start, task.intervention_planned_end
            if not (start and end):
                task.intervention_slot_display = False
                continue
            try:
                tz = timezone(task.intervention_slot_tz or "UTC")
            except UnknownTimeZoneError:
                tz = UTC
            start = UTC.localize(start).astimezone(tz)
            end = UTC.localize(end).astimezone(tz)

            def day(moment):
                return format_date(moment.date(), format="full", locale=locale)

            def hour(moment):
                return format_time(moment, format="HH:mm", locale=locale)

            if start.date() == end.date():
                text = _(
                    "%(day)s, %(start)s-%(end)s",
                    day=day(start),
                    start=hour(start),
                    end=hour(end),
                )
            else:
                text = _(
                    "%(start_day)s %(start)s - %(end_day)s %(end)s",
                    start_day=day(start),
                    start=hour(start),
                    end_day=day(end),
                    end=hour(end),
                )
            task.intervention_slot_display = f"{text} ({tz.zone})"

    @api.constrains("intervention_planned_start", "intervention_planned_end")
    def _check_intervention_slot(self):
        for task in self:
            start, end = task.intervention_planned_start, task.intervention_planned_end
            if bool(start) != bool(end):
                raise ValidationError(
                    _(
                        "The intervention %(task)s needs both a Planned Start and a "
                        "Planned End: set both or clear both.",
                        task=task.display_name,
                    )
                )
            if start and end <= start:
                raise ValidationError(
                    _(
                        "The Planned End of the intervention %(task)s must be after "
                        "its Planned Start: move the end later or the start earlier.",
                        task=task.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks._intervention_assign_technician()
        for task in tasks:
            if task._intervention_booked() and task._intervention_customer():
                task._intervention_notify_slot(rescheduled=False)
        return tasks

    def write(self, vals):
        watched = set(SLOT_FIELDS) | {"active", "state", "stage_id"}
        if not watched.intersection(vals):
            return super().write(vals)
        before = {task.id: task._intervention_slot_state() for task in self}
        result = super().write(vals)
        if "intervention_technician_id" in vals:
            self._intervention_assign_technician()
        for task in self:
            task._intervention_notify_change(before[task.id])
        return result

    def _intervention_assign_technician(self):
        """Keep the technician among the assignees (Odoo's "My Tasks")."""
        missing = self.filtered(
            lambda task: (
                task.intervention_technician_id
                and task.intervention_technician_id not in task.user_ids
            )
        )
        for technician, tasks in missing.grouped("intervention_technician_id").items():
            tasks.write({"user_ids": [Command.link(technician.id)]})

    def _intervention_slot_state(self):
        """What the customer was told: the slot if booked, else False."""
        self.ensure_one()
        if not self._intervention_booked():
            return False
        return (
            self.intervention_planned_start,
            self.intervention_planned_end,
            self.intervention_technician_id.id,
        )

    def _intervention_customer(self):
        """The ticket's contact, told of the slot."""
        self.ensure_one()
        return self.helpdesk_ticket_id.partner_id

    def _intervention_notify_change(self, before):
        self.ensure_one()
        if not self._intervention_customer():
            return
        after = self._intervention_slot_state()
        if after == before:
            return  # nothing the customer was told changed: no mail
        if after:
            self._intervention_notify_slot(rescheduled=bool(before))
        elif before and (not self.active or self.state == CANCELED_STATE):
            self._intervention_notify_cancel()

    def _intervention_notify_slot(self, rescheduled):
        """E-mail the slot to the ticket's contact, in their language, with the
        template's recipients only (a note: followers are not notified)."""
        if self.env.context.get("install_mode"):
            return  # module data (demo) is not news for anybody
        template = self.env.ref(SLOT_TEMPLATE, raise_if_not_found=False)
        if template:
            self.with_context(
                intervention_rescheduled=rescheduled
            ).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _intervention_notify_cancel(self):
        if self.env.context.get("install_mode"):
            return
        template = self.env.ref(CANCEL_TEMPLATE, raise_if_not_found=False)
        if template:
            self.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
            )
