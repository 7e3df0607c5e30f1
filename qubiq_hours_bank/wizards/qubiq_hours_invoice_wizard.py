# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import hours_engine as engine


class QubiqHoursInvoiceWizard(models.TransientModel):
    """Put the billed time no pack covers (overage) and the development invoiced
    apart on a quotation, through the usual sale flow: confirm it, invoice it. Each
    hour is on one sales order line at most: never invoiced twice."""

    _name = "qubiq.hours.invoice.wizard"
    _description = "Invoice extra hours"

    bank_ids = fields.Many2many("qubiq.hours.bank", string="Hours banks", required=True)
    date_to = fields.Date(
        string="Up to",
        required=True,
        default=fields.Date.context_today,
        help="Time logged up to this day is invoiced.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        default=lambda self: self._default_product(),
        domain="[('type', '=', 'service'), ('sale_ok', '=', True)]",
    )
    summary = fields.Html(compute="_compute_summary")

    @api.model
    def _default_product(self):
        return self.env.company.qubiq_hours_extra_product_id or self.env.ref(
            "qubiq_hours_bank.product_hours_extra", raise_if_not_found=False
        )

    def _hours_pending(self):
        self.ensure_one()
        return (
            self.env["qubiq.hours.allocation"]
            .sudo()
            .search(
                [
                    ("bank_id", "in", self.bank_ids.ids),
                    ("kind", "in", ("overage", "direct")),
                    ("billing_state", "=", "pending"),
                    ("date", "<=", self.date_to),
                ],
                order="date, id",
            )
        )

    @api.depends("bank_ids", "date_to")
    def _compute_summary(self):
        for wizard in self:
            if not wizard.bank_ids or not wizard.date_to:
                wizard.summary = False
                continue
            pending = wizard._hours_pending()
            rows = []
            for bank in wizard.bank_ids:
                mine = pending.filtered(lambda a, b=bank: a.bank_id == b)
                overage = sum(
                    mine.filtered(lambda a: a.kind == "overage").mapped("hours")
                )
                direct = sum(
                    mine.filtered(lambda a: a.kind == "direct").mapped("hours")
                )
                rows.append(
                    _(
                        "%(customer)s: %(overage)s h overage, %(direct)s h of "
                        "development invoiced apart.",
                        customer=bank.partner_id.display_name,
                        overage=engine.format_duration(engine.to_seconds(overage)),
                        direct=engine.format_duration(engine.to_seconds(direct)),
                    )
                )
            wizard.summary = Markup("<br/>").join(rows)

    def action_create_orders(self):
        self.ensure_one()
        hour = self.env.ref("uom.product_uom_hour")
        if self.product_id.uom_id.category_id != hour.category_id:
            raise UserError(
                _(
                    "Product: %(product)s is sold in %(uom)s; choose a service sold "
                    "in hours.",
                    product=self.product_id.display_name,
                    uom=self.product_id.uom_id.name,
                )
            )
        pending = self._hours_pending()
        if not pending:
            raise UserError(
                _(
                    "Nothing to invoice: the banks have no overage nor development "
                    "time up to %(date)s that is not already on a sales order.",
                    date=self.date_to,
                )
            )
        orders = self.env["sale.order"]
        for bank in pending.bank_id:
            orders |= self._hours_create_order(
                bank, pending.filtered(lambda a, b=bank: a.bank_id == b)
            )
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        if len(orders) == 1:
            action.update({"views": [(False, "form")], "res_id": orders.id})
        else:
            action["domain"] = [("id", "in", orders.ids)]
        return action

    def _hours_create_order(self, bank, allocations):
        """One quotation per bank: a line for the overage of the period, a line per
        development ticket or task invoiced apart."""
        groups = defaultdict(lambda: self.env["qubiq.hours.allocation"])
        for allocation in allocations:
            if allocation.kind == "overage":
                key = ("overage", "", 0)
            else:
                line = allocation.timesheet_id
                work = line.ticket_id or line.task_id
                key = ("direct", work.display_name, work.id)
            groups[key] |= allocation
        first, last = min(allocations.mapped("date")), max(allocations.mapped("date"))
        lines = []
        links = []
        for key, group in sorted(groups.items(), key=lambda item: item[0]):
            hours = sum(group.mapped("hours"))
            if key[0] == "overage":
                name = _(
                    "%(product)s: support beyond the prepaid hours, %(start)s - "
                    "%(end)s",
                    product=self.product_id.name,
                    start=min(group.mapped("date")),
                    end=max(group.mapped("date")),
                )
            else:
                name = _(
                    "%(product)s: %(work)s",
                    product=self.product_id.name,
                    work=key[1],
                )
            lines.append(
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "name": name,
                        "product_uom_qty": hours,
                        "product_uom": self.env.ref("uom.product_uom_hour").id,
                    }
                )
            )
            links.append(group)
        order = (
            self.env["sale.order"]
            .with_company(bank.company_id)
            .create(
                {
                    "partner_id": bank.partner_id.id,
                    "company_id": bank.company_id.id,
                    "origin": _(
                        "%(bank)s, %(start)s - %(end)s",
                        bank=bank.name,
                        start=first,
                        end=last,
                    ),
                    "user_id": bank.account_manager_id.id or self.env.uid,
                    "order_line": lines,
                }
            )
        )
        for sale_line, group in zip(order.order_line, links, strict=True):
            # The consumption records are written by the bank only: the account
            # manager may invoice them (access to this wizard), not edit them.
            group.sudo().write({"sale_line_id": sale_line.id})
        bank.message_post(
            body=_(
                "%(hours)s h of extra time put on the quotation %(order)s.",
                hours=engine.format_duration(
                    engine.to_seconds(sum(allocations.mapped("hours")))
                ),
                order=order.name,
            )
        )
        bank._hours_update_status()
        return order
