# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

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
        frozen = self._origin._hours_frozen()
        for line in self:
            if line._origin in frozen:
                line.readonly_timesheet = True
        return res

    @api.depends(
        "hours_allocation_ids.billing_state", "hours_bank_id.lock_date", "date"
    )
    def _compute_hours_locked(self):
        frozen = self.filtered("id").sudo()._hours_frozen()
        for line in self:
            line.hours_locked = line._origin in frozen

    def _hours_frozen(self):
        """The lines whose billing may not change: their overage is on a sales order
        or invoiced, or they are dated in a bank's locked period."""
        lines = self.filtered("id")
        if not lines:
            return self.browse()
        on_order = (
            self.env["qubiq.hours.allocation"]
            .sudo()
            .search(
                [
                    ("timesheet_id", "in", lines.ids),
                    ("billing_state", "in", ("ordered", "invoiced")),
                ]
            )
            .timesheet_id
        )
        locked = lines.filtered(
            lambda line: (
                line.hours_bank_id.lock_date
                and line.date <= line.hours_bank_id.lock_date
            )
        )
        return (on_order | locked) & lines

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._hours_sync()
        lines._hours_check_lock_dates()
        return lines

    def write(self, vals):
        if self.env.context.get("hours_bank_sync") or not set(vals) & set(SYNC_FIELDS):
            return super().write(vals)
        self._hours_check_can_change(vals)
        changing = self.filtered(lambda line: line._hours_changes(vals))
        previous = self._hours_positions()
        res = super().write(vals)
        self._hours_sync(previous)
        changing._hours_check_lock_dates()
        return res

    def unlink(self):
        self._hours_check_can_change({})
        previous = self._hours_positions()
        tickets = self.ticket_id
        res = super().unlink()
        self.browse()._hours_sync(previous)
        tickets.exists()._hours_check_excess()
        return res

    def _hours_resync(self):
        """Classify, bill and consume again (their ticket, task or project
        changed)."""
        self._hours_sync(self._hours_positions())

    def _hours_positions(self):
        """Where the lines were: ``[(bank, date, group key)]``, to re-bill the
        lines left behind in their group and re-balance the bank they left."""
        return [
            (line.hours_bank_id, line.date, line._hours_group_key())
            for line in self.sudo()
            if line.hours_bank_id
        ]

    def _hours_check_can_change(self, vals):
        changed = [f for f in SYNC_FIELDS if f in vals] if vals else list(SYNC_FIELDS)
        if not changed:
            return
        frozen = self.sudo()._hours_frozen()
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

    # ------------------------------------------------------------------ consumption

    def _hours_group_key(self):
        """The rounding group of a line: its ticket (or task) and day."""
        self.ensure_one()
        if self.ticket_id:
            return ("ticket", self.ticket_id.id, self.date)
        if self.task_id:
            return ("task", self.task_id.id, self.date)
        return ("line", self.id, self.date)

    def _hours_sync(self, previous=()):
        """Classify, bill and consume these lines (just created or changed) and the
        lines they share a rounding group with, then re-balance the affected banks
        from the earliest date touched. ``previous``: :meth:`_hours_positions`
        before the change.

        Runs as superuser: the consultant logging time has no right on the bank's
        consumption records, which only this method writes.
        """
        lines = self.sudo().exists().filtered("project_id")
        previous = list(previous)
        lines._hours_classify()
        starts = {}
        groups = defaultdict(set)
        for bank, day, group in previous:
            starts[bank] = min(starts.get(bank, day), day)
            groups[bank].add(group)
        for line in lines.filtered("hours_bank_id"):
            bank = line.hours_bank_id
            starts[bank] = min(starts.get(bank, line.date), line.date)
            groups[bank].add(line._hours_group_key())
        Line = self.env["account.analytic.line"].sudo()
        for bank, keys in groups.items():
            Line._hours_bank_lines_of_groups(bank, keys)._hours_bill()
        for bank, start in starts.items():
            bank._hours_rebalance(start)
        (lines.ticket_id | self.env["helpdesk.ticket"])._hours_check_excess()

    def _hours_classify(self):
        """Bank, billable flag, reason and kind of each line, from its ticket (type,
        marks, the customer's contract on the line's date) or task (project)."""
        lines = self - self._hours_frozen()
        if not lines:
            return
        contracts = self._hours_contracts(lines)
        decisions = {}
        pairs = set()
        for line in lines:
            decision = line._hours_decide(contracts)
            decisions[line.id] = decision
            partner, billable = decision[0], decision[1]
            if partner and billable:
                pairs.add((partner.id, line.company_id.id))
        banks = self.env["qubiq.hours.bank"]._hours_get_or_create(pairs)
        existing = (
            self.env["qubiq.hours.bank"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", [d[0].id for d in decisions.values() if d[0]]),
                    ("company_id", "in", lines.company_id.ids),
                ]
            )
        )
        known = {(b.partner_id.id, b.company_id.id): b for b in existing}
        known.update(banks)
        updates = defaultdict(list)
        for line in lines:
            partner, billable, reason, kind = decisions[line.id]
            bank = known.get((partner.id, line.company_id.id)) if partner else None
            values = {
                "hours_bank_id": bank.id if bank else False,
                "hours_billable": bool(bank and billable),
                "hours_billing_reason": reason or False,
                "hours_work_kind": kind or False,
            }
            if not bank:
                values["hours_billed"] = 0.0
            current = {
                "hours_bank_id": line.hours_bank_id.id,
                "hours_billable": line.hours_billable,
                "hours_billing_reason": line.hours_billing_reason,
                "hours_work_kind": line.hours_work_kind,
                "hours_billed": line.hours_billed,
            }
            changed = {k: v for k, v in values.items() if current[k] != v}
            if changed:
                updates[tuple(sorted(changed.items()))].append(line.id)
        for items, ids in updates.items():
            self.browse(ids).with_context(hours_bank_sync=True).write(dict(items))
        # Lines leaving every bank lose their consumption.
        orphans = lines.filtered(lambda line: not line.hours_bank_id)
        orphans.hours_allocation_ids.unlink()

    @api.model
    def _hours_contracts(self, lines):
        return self._hours_contracts_of(
            lines.ticket_id.partner_id.commercial_partner_id
        )

    @api.model
    def _hours_contracts_of(self, partners):
        """``{(partner id, company id): [contracts]}`` active or expired (the line
        may be older than the expiry) of these customers."""
        result = defaultdict(list)
        if not partners:
            return result
        for contract in (
            self.env["qubiq.support.contract"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("active", "expired")),
                ]
            )
        ):
            result[(contract.partner_id.id, contract.company_id.id)].append(contract)
        return result

    def _hours_decide(self, contracts):
        """``(customer, billable, reason, kind)`` of one line: its ticket decides
        (:meth:`helpdesk.ticket._hours_decide_ticket`), else its project, when it
        consumes the customer's bank (development)."""
        self.ensure_one()
        if self.ticket_id:
            partner, billable, reason, kind = self.ticket_id._hours_decide_ticket(
                self.date, self.company_id, contracts
            )
            if partner and billable and self.unit_amount <= 0:
                return partner, False, "no_time", kind
            return partner, billable, reason, kind
        project = self.project_id
        if not project.hours_bank_consume:
            return self.env["res.partner"], False, False, False
        partner = (self.task_id.partner_id or project.partner_id).commercial_partner_id
        if not partner:
            return partner, False, False, "development"
        if self.unit_amount <= 0:
            return partner, False, "no_time", "development"
        return partner, True, "task", "development"

    def _hours_bill(self):
        """Billed time of these lines (all of the same bank, whole groups) by the
        bank's rule; frozen lines keep theirs."""
        if not self:
            return
        frozen = self._hours_frozen()
        by_bank = defaultdict(list)
        for line in self:
            by_bank[line.hours_bank_id].append(line.id)
        updates = defaultdict(list)
        for bank, line_ids in by_bank.items():
            lines = self.browse(line_ids)
            block = (bank.block_minutes or 0) * engine.MINUTE
            minimum = (bank.minimum_minutes or 0) * engine.MINUTE
            per_line = bank.rounding_scope == "line"
            items = [
                engine.TimeLine(
                    key=line.id,
                    group=("line", line.id) if per_line else line._hours_group_key(),
                    order=(line.id,),
                    real=engine.to_seconds(line.unit_amount)
                    if line.hours_billable
                    else 0,
                    frozen=engine.to_seconds(line.hours_billed)
                    if line in frozen
                    else None,
                )
                for line in lines
            ]
            for line_id, seconds in engine.bill_lines(items, block, minimum).items():
                hours = engine.to_hours(seconds)
                line = self.browse(line_id)
                if abs(line.hours_billed - hours) > 1e-9:
                    updates[hours].append(line_id)
        for hours, ids in updates.items():
            self.browse(ids).with_context(hours_bank_sync=True).write(
                {"hours_billed": hours}
            )

    @api.model
    def _hours_bank_lines_of_groups(self, bank, keys):
        keys = set(keys)
        domains = []
        tickets = {k[1] for k in keys if k[0] == "ticket"}
        tasks = {k[1] for k in keys if k[0] == "task"}
        singles = {k[1] for k in keys if k[0] == "line"}
        days = {k[2] for k in keys if k[0] in ("ticket", "task")}
        if tickets:
            domains.append(
                [("ticket_id", "in", list(tickets)), ("date", "in", list(days))]
            )
        if tasks:
            domains.append(
                [
                    ("ticket_id", "=", False),
                    ("task_id", "in", list(tasks)),
                    ("date", "in", list(days)),
                ]
            )
        if singles:
            domains.append([("id", "in", list(singles))])
        if not domains:
            return self.browse()
        candidates = self.sudo().search(
            expression.AND([[("hours_bank_id", "=", bank.id)], expression.OR(domains)])
        )
        return candidates.filtered(lambda line: line._hours_group_key() in keys)
