# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import hours_engine as engine

BILLING_REASONS = [
    ("type_always", "The ticket type always consumes"),
    ("no_contract", "No maintenance contract"),
    ("contract_type", "The contract bills this type"),
    ("repeated", "Repeated request"),
    ("task", "Project task"),
    ("contract", "Covered by the maintenance contract"),
    ("type_never", "The ticket type never consumes"),
    ("provider_error", "Provider's own error"),
    ("no_time", "No time"),
]
WORK_KINDS = [
    ("incident", "Incidents and questions"),
    ("development", "Development"),
]
# A change of one of these bills and consumes the line again; none of them may
# change on a locked (invoiced, or in a closed period) line.
SYNC_FIELDS = (
    "unit_amount",
    "date",
    "ticket_id",
    "task_id",
    "project_id",
    "company_id",
)
OWN_FIELDS = {
    "hours_bank_id",
    "hours_billable",
    "hours_billing_reason",
    "hours_work_kind",
    "hours_billed",
}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    hours_bank_id = fields.Many2one(
        "qubiq.hours.bank",
        string="Hours bank",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    hours_billable = fields.Boolean(
        string="Consumes the bank",
        readonly=True,
        copy=False,
        help="Consumes the customer's hours bank (or is billed when no pack "
        "covers it).",
    )
    hours_billing_reason = fields.Selection(
        BILLING_REASONS, string="Why", readonly=True, copy=False
    )
    hours_work_kind = fields.Selection(
        WORK_KINDS, string="Work", readonly=True, copy=False
    )
    hours_billed = fields.Float(
        string="Billed time",
        readonly=True,
        copy=False,
        help="The real time rounded by the customer's billing rule (block and "
        "minimum).",
    )
    hours_allocation_ids = fields.One2many(
        "qubiq.hours.allocation", "timesheet_id", string="Consumption"
    )
    hours_consumption = fields.Char(
        string="Consumed from", compute="_compute_hours_consumption"
    )
    hours_locked = fields.Boolean(
        string="Locked",
        compute="_compute_hours_locked",
        help="Invoiced, on a sales order, or in a period the account manager "
        "closed: it cannot change any more.",
    )

    @api.depends("hours_allocation_ids.hours", "hours_allocation_ids.pack_id")
    def _compute_hours_consumption(self):
        labels = dict(
            self.env["qubiq.hours.allocation"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        for line in self:
            parts = []
            for allocation in line.sudo().hours_allocation_ids:
                where = allocation.pack_id.name or labels[allocation.kind]
                hours = engine.format_duration(engine.to_seconds(allocation.hours))
                parts.append(f"{where} {hours}")
            line.hours_consumption = ", ".join(parts)

    def _compute_readonly_timesheet(self):
        """Locked lines are read-only in every timesheet view."""
        res = super()._compute_readonly_timesheet()
        frozen = self.env["qubiq.hours.allocation"]._hours_frozen(self._origin)
        for line in self:
            if line._origin in frozen:
                line.readonly_timesheet = True
        return res

    @api.depends(
        "hours_allocation_ids.billing_state", "hours_bank_id.lock_date", "date"
    )
    def _compute_hours_locked(self):
        frozen = self.env["qubiq.hours.allocation"]._hours_frozen(
            self.filtered("id").sudo()
        )
        for line in self:
            line.hours_locked = line._origin in frozen

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["qubiq.hours.allocation"]._hours_consume(lines, created=True)
        lines._hours_check_excess()
        lines._hours_check_lock_dates()
        return lines

    def write(self, vals):
        if self.env.context.get("hours_bank_sync") or not set(vals) & set(SYNC_FIELDS):
            return super().write(vals)
        self._hours_check_can_change(vals)
        changing = self.filtered(lambda line: line._hours_changes(vals))
        previous = self._hours_positions()
        res = super().write(vals)
        self.env["qubiq.hours.allocation"]._hours_consume(self, previous)
        self._hours_check_excess()
        changing._hours_check_lock_dates()
        return res

    def unlink(self):
        self._hours_check_can_change({})
        previous = self._hours_positions()
        tickets = self.ticket_id
        res = super().unlink()
        self.env["qubiq.hours.allocation"]._hours_consume(self.browse(), previous)
        tickets.exists()._hours_check_excess()
        return res

    def _hours_resync(self):
        """Classify, bill and consume again (their ticket's type or customer, their
        task or project, or the customer's contract changed)."""
        self.env["qubiq.hours.allocation"]._hours_consume(self, self._hours_positions())
        self._hours_check_excess()

    def _hours_check_excess(self):
        """Their tickets' excessive-dedication warning follows their time."""
        lines = self.sudo().filtered("project_id")
        # The bank each line was just consumed from is the one of its customer and
        # company (one bank per pair): no second search for it.
        known = {
            (line.hours_bank_id.partner_id.id, line.hours_bank_id.company_id.id): (
                line.hours_bank_id
            )
            for line in lines
            if line.hours_bank_id.active
        }
        lines.ticket_id._hours_check_excess(known)

    def _hours_positions(self):
        """Where the lines were: ``[(bank, date, rounding group, line id)]``, to bill
        again the lines left behind in their group and consume again the bank they
        left from their position (day, then id)."""
        return [
            (
                line.hours_bank_id,
                line.date,
                engine.rounding_group(
                    line.ticket_id.id, line.task_id.id, line.id, line.date
                ),
                line.id,
            )
            for line in self.sudo()
            if line.hours_bank_id
        ]

    def _hours_check_can_change(self, vals):
        changed = [f for f in SYNC_FIELDS if f in vals] if vals else list(SYNC_FIELDS)
        if not changed:
            return
        frozen = self.env["qubiq.hours.allocation"]._hours_frozen(self.sudo())
        if vals:
            frozen = frozen.filtered(lambda line: line._hours_changes(vals))
        if not frozen:
            return
        line = frozen[0]
        if vals:
            fields_desc = ", ".join(
                self._fields[f]._description_string(self.env) for f in changed
            )
            message = _(
                "%(fields)s: the timesheet %(line)s of %(date)s is locked in the hours "
                "bank of %(customer)s (invoiced, on a sales order or in a closed "
                "period). Cancel that sales order or ask the account manager to "
                "reopen the period, or log a correcting line instead.",
                fields=fields_desc,
                line=line.name,
                date=line.date,
                customer=line.hours_bank_id.partner_id.display_name,
            )
        else:
            message = _(
                "The timesheet %(line)s of %(date)s is locked in the hours bank of "
                "%(customer)s (invoiced, on a sales order or in a closed period): it "
                "cannot be deleted. Cancel that sales order or ask the account "
                "manager to reopen the period.",
                line=line.name,
                date=line.date,
                customer=line.hours_bank_id.partner_id.display_name,
            )
        raise UserError(message)

    def _hours_changes(self, vals):
        """Whether writing ``vals`` really changes one of the billing fields."""
        self.ensure_one()
        for fname in SYNC_FIELDS:
            if fname not in vals:
                continue
            field = self._fields[fname]
            new = field.convert_to_cache(vals[fname], self)
            old = field.convert_to_cache(self[fname], self)
            if field.type == "float":
                if abs((new or 0.0) - (old or 0.0)) > 1e-9:
                    return True
            elif new != old:
                return True
        return False

    def _hours_check_lock_dates(self):
        """A new or moved line may not land in a bank's closed period."""
        for line in self.sudo().filtered("hours_bank_id"):
            lock = line.hours_bank_id.lock_date
            if lock and line.date <= lock:
                raise UserError(
                    _(
                        "Date: the hours bank of %(customer)s is closed until "
                        "%(lock)s; log the time of %(date)s on a later date or ask "
                        "the account manager to reopen the period.",
                        customer=line.hours_bank_id.partner_id.display_name,
                        lock=lock,
                        date=line.date,
                    )
                )
