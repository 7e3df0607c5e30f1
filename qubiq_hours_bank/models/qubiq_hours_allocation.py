# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

from . import hours_engine as engine

ALLOCATION_KINDS = [
    ("pack", "From a pack"),
    ("overage", "Overage"),
    ("direct", "Invoiced apart"),
]
BILLING_STATES = [
    ("prepaid", "Prepaid"),
    ("pending", "To invoice"),
    ("ordered", "On a sales order"),
    ("invoiced", "Invoiced"),
]


class QubiqHoursAllocation(models.Model):
    """Where the billed time of a timesheet line went: a pack (oldest-first), or
    overage / development invoiced apart, with its invoicing state.

    Written only by the bank's consumption (:meth:`_hours_apply`); a line spanning
    the end of one pack and the start of the next has two rows.
    """

    _name = "qubiq.hours.allocation"
    _description = "Hours bank consumption"
    _order = "date desc, id desc"
    _rec_name = "timesheet_id"

    timesheet_id = fields.Many2one(
        "account.analytic.line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    bank_id = fields.Many2one(
        "qubiq.hours.bank",
        string="Hours bank",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="bank_id.partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="bank_id.company_id", store=True)
    pack_id = fields.Many2one(
        "qubiq.hours.pack", index="btree_not_null", ondelete="cascade", readonly=True
    )
    kind = fields.Selection(ALLOCATION_KINDS, required=True, readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    hours = fields.Float(readonly=True)
    ticket_id = fields.Many2one(related="timesheet_id.ticket_id")
    task_id = fields.Many2one(related="timesheet_id.task_id")
    employee_id = fields.Many2one(related="timesheet_id.employee_id")
    name = fields.Char(related="timesheet_id.name", string="Description")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales order line",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
        help="The line invoicing this overage or development time.",
    )
    billing_state = fields.Selection(
        BILLING_STATES,
        compute="_compute_billing_state",
        store=True,
        index=True,
        string="Invoicing",
    )

    @api.depends(
        "kind",
        "sale_line_id.state",
        "sale_line_id.qty_invoiced",
        "sale_line_id.product_uom_qty",
    )
    def _compute_billing_state(self):
        for allocation in self:
            line = allocation.sale_line_id
            if allocation.kind == "pack":
                state = "prepaid"
            elif not line or line.state == "cancel":
                state = "pending"
            elif float_compare(
                line.qty_invoiced,
                line.product_uom_qty,
                precision_rounding=line.product_uom.rounding or 0.01,
            ) >= 0 and not float_is_zero(line.qty_invoiced, precision_digits=4):
                state = "invoiced"
            else:
                state = "ordered"
            allocation.billing_state = state

    @api.model
    def _hours_apply(self, bank, lines, wanted):
        """Make the allocations of ``lines`` match ``wanted`` (``{line id: [(pack id
        or None, seconds)]}``, from :func:`hours_engine.allocate`), touching only
        what differs. Lines missing from ``wanted`` lose their allocations."""
        existing = self.search([("timesheet_id", "in", lines.ids)])
        by_line = defaultdict(list)
        for allocation in existing:
            by_line[allocation.timesheet_id.id].append(allocation)
        direct = "direct" if bank.development_policy == "invoice" else "overage"
        to_create, to_unlink = [], []
        for line in lines:
            extra = direct if line.hours_work_kind == "development" else "overage"
            target = {
                (pack_id or False, "pack" if pack_id else extra): engine.to_hours(
                    seconds
                )
                for pack_id, seconds in wanted.get(line.id, [])
            }
            kept_keys = set()
            for allocation in by_line.get(line.id, ()):
                key = (allocation.pack_id.id, allocation.kind)
                if key not in target or key in kept_keys:
                    to_unlink.append(allocation.id)
                    continue
                values = {}
                if float_compare(allocation.hours, target[key], precision_digits=6):
                    values["hours"] = target[key]
                if allocation.date != line.date:
                    values["date"] = line.date
                if values:
                    allocation.write(values)
                kept_keys.add(key)
            for (pack_id, kind), hours in target.items():
                if (pack_id, kind) in kept_keys:
                    continue
                to_create.append(
                    {
                        "timesheet_id": line.id,
                        "bank_id": bank.id,
                        "pack_id": pack_id,
                        "kind": kind,
                        "date": line.date,
                        "hours": hours,
                    }
                )
        self.browse(to_unlink).unlink()
        if to_create:
            self.create(to_create)
