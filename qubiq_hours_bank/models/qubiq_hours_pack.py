# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from . import hours_engine as engine

PACK_STATES = [
    ("draft", "Draft"),
    ("active", "In force"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]
# Changing one of these consumes the bank again from the pack's start.
REBALANCE_FIELDS = ("hours", "date_start", "date_end", "state", "sequence", "bank_id")


class QubiqHoursPack(models.Model):
    """Prepaid support hours, usually sold by a sale order line of an hours-pack
    product and credited when the order is confirmed."""

    _name = "qubiq.hours.pack"
    _description = "Hours pack"
    _inherit = ["mail.thread"]
    _order = "date_start, sequence, id"

    name = fields.Char(required=True, tracking=True)
    bank_id = fields.Many2one(
        "qubiq.hours.bank",
        string="Hours bank",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="bank_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(related="bank_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sales order line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", store=True, string="Sales order"
    )
    invoice_status = fields.Selection(related="sale_line_id.invoice_status")
    product_id = fields.Many2one("product.product", readonly=True)
    hours = fields.Float(required=True, tracking=True)
    price_total = fields.Monetary(
        string="Price", tracking=True, help="Total price paid for the pack (taxes in)."
    )
    date_start = fields.Date(
        string="Valid from",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="Expires on",
        tracking=True,
        help="Last day the pack can be consumed. Empty: no expiry.",
    )
    state = fields.Selection(
        PACK_STATES, default="draft", required=True, tracking=True, index=True
    )
    sequence = fields.Integer(
        default=10, help="Order between packs with the same dates."
    )
    note = fields.Text()
    allocation_ids = fields.One2many("qubiq.hours.allocation", "pack_id")
    consumed_hours = fields.Float(string="Consumed", compute="_compute_position")
    remaining_hours = fields.Float(string="Remaining", compute="_compute_position")
    expired_hours = fields.Float(string="Unused at expiry", compute="_compute_position")
    paid_hours = fields.Float(
        string="Paid hours",
        compute="_compute_position",
        help="Hours covered by what the customer has paid for the pack.",
    )
    used_percent = fields.Float(string="Used (%)", compute="_compute_position")

    @api.depends("hours", "date_start", "date_end", "state")
    def _compute_position(self):
        today = fields.Date.context_today(self)
        packs = self.filtered("id")
        consumed = dict(
            self.env["qubiq.hours.allocation"]
            .sudo()
            ._read_group([("pack_id", "in", packs.ids)], ["pack_id"], ["hours:sum"])
        )
        paid = packs._hours_paid_amounts()
        for pack in self:
            seconds = engine.to_seconds(pack.hours)
            position = engine.PackPosition(
                key=pack.id,
                seconds=seconds,
                start=pack.date_start or today,
                end=pack.date_end or None,
                consumed=engine.to_seconds(consumed.get(pack._origin, 0.0)),
                paid=engine.paid_seconds(
                    seconds, pack.price_total, paid.get(pack._origin.id, 0.0)
                ),
            )
            pack.consumed_hours = engine.to_hours(position.consumed)
            live = pack.state in ("active", "expired")
            # A pack that starts later is still all there.
            remaining = position.remaining(max(today, position.start)) if live else 0
            pack.remaining_hours = engine.to_hours(remaining)
            pack.expired_hours = engine.to_hours(position.expired(today) if live else 0)
            pack.paid_hours = engine.to_hours(position.paid)
            pack.used_percent = (
                round(100.0 * position.consumed / seconds, 2) if seconds else 0.0
            )

    @api.constrains("hours", "date_start", "date_end")
    def _check_values(self):
        for pack in self:
            if float_compare(pack.hours, 0.0, precision_digits=4) <= 0:
                raise ValidationError(
                    _(
                        "Hours: the pack %(pack)s needs a positive number of hours.",
                        pack=pack.display_name,
                    )
                )
            if pack.date_end and pack.date_end < pack.date_start:
                raise ValidationError(
                    _(
                        "Expires on: the pack %(pack)s cannot expire (%(end)s) before "
                        "it is valid (%(start)s).",
                        pack=pack.display_name,
                        end=pack.date_end,
                        start=pack.date_start,
                    )
                )

    @api.constrains("hours", "state")
    def _check_consumed(self):
        """Invoiced consumption is fixed: a pack cannot shrink below it."""
        Allocation = self.env["qubiq.hours.allocation"]
        for pack in self:
            locked = Allocation._hours_frozen(pack.allocation_ids.timesheet_id)
            frozen = sum(
                pack.allocation_ids.filtered(
                    lambda a, locked=locked: a.timesheet_id in locked
                ).mapped("hours")
            )
            usable = pack.hours if pack.state in ("active", "expired") else 0.0
            if float_compare(frozen, usable, precision_digits=4) > 0:
                raise ValidationError(
                    _(
                        "Hours: %(hours)s h of the pack %(pack)s are consumed by "
                        "locked or invoiced timesheets; the pack cannot offer less.",
                        hours=engine.format_duration(engine.to_seconds(frozen)),
                        pack=pack.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        packs = super().create(vals_list)
        live = packs.filtered(lambda p: p.state in ("active", "expired"))
        live._hours_rebalance_banks({})
        return packs

    def write(self, vals):
        touched = [f for f in REBALANCE_FIELDS if f in vals]
        before = (
            {pack.id: (pack.bank_id, pack.date_start) for pack in self}
            if touched
            else {}
        )
        res = super().write(vals)
        if touched:
            self._hours_rebalance_banks(before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_consumed(self):
        if any(pack.allocation_ids for pack in self):
            raise UserError(
                _(
                    "The pack %(pack)s has been consumed: cancel it instead of "
                    "deleting it (its consumption moves to the other packs).",
                    pack=self.filtered("allocation_ids")[0].display_name,
                )
            )

    def _hours_rebalance_banks(self, before):
        """Consume the banks again from the earliest start these packs had."""
        starts = {}
        for pack in self:
            for bank, start in (
                (pack.bank_id, pack.date_start),
                before.get(pack.id, (pack.bank_id, pack.date_start)),
            ):
                if bank:
                    starts[bank] = min(starts.get(bank, start), start)
        banks = self.env["qubiq.hours.allocation"]._hours_rebalance(
            {bank: (start, ()) for bank, start in starts.items()}
        )
        banks._hours_update_status()

    # ------------------------------------------------------------------ payments

    def _hours_paid_amounts(self):
        """``{pack id: amount paid}``: the paid share of the posted invoices (minus
        credit notes) of each pack's sale line, in the pack's currency."""
        packs = self.filtered("sale_line_id")
        if not packs:
            return {}
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("sale_line_ids", "in", packs.sale_line_id.ids),
                    ("move_id.state", "=", "posted"),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ]
            )
        )
        by_sale_line = defaultdict(float)
        for line in lines:
            move = line.move_id
            if not move.amount_total:
                continue
            paid_share = 1.0 - move.amount_residual / move.amount_total
            sign = -1.0 if move.move_type == "out_refund" else 1.0
            for sale_line in line.sale_line_ids:
                by_sale_line[sale_line.id] += sign * line.price_total * paid_share
        return {pack.id: by_sale_line.get(pack.sale_line_id.id, 0.0) for pack in packs}

    # ------------------------------------------------------------------ actions

    def action_activate(self):
        for pack in self:
            if pack.state != "draft":
                raise UserError(
                    _(
                        "The pack %(pack)s is not a draft: it cannot be put in "
                        "force again.",
                        pack=pack.display_name,
                    )
                )
        self.write({"state": "active"})
        self.bank_id._hours_update_status()

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})

    def _hours_expire(self):
        """Mark as expired and tell the account manager about the unused hours."""
        self.write({"state": "expired"})
        for pack in self:
            unused = pack.expired_hours
            if not unused:
                continue
            message = _(
                "The pack %(pack)s expired on %(date)s with %(hours)s h unused.",
                pack=pack.name,
                date=pack.date_end,
                hours=engine.format_duration(engine.to_seconds(unused)),
            )
            manager = pack.bank_id.account_manager_id
            if manager:
                pack.bank_id.activity_schedule(
                    "qubiq_hours_bank.mail_activity_type_hours_bank",
                    user_id=manager.id,
                    summary=_("Pack expired with unused hours"),
                    note=message,
                )
            pack.bank_id.message_post(body=message)
