# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    hours_pack_ids = fields.One2many(
        "qubiq.hours.pack", "sale_line_id", string="Hours packs"
    )
    hours_allocation_ids = fields.One2many(
        "qubiq.hours.allocation", "sale_line_id", string="Invoiced hours"
    )

    def _hours_pack_hours(self):
        """Hours credited by this line: its quantity in hours, or units times the
        product's hours per unit."""
        self.ensure_one()
        hour = self.env.ref("uom.product_uom_hour")
        if self.product_uom.category_id == hour.category_id:
            return self.product_uom._compute_quantity(self.product_uom_qty, hour)
        return self.product_uom_qty * self.product_id.hours_pack_hours

    def _hours_credit_packs(self):
        """Confirmed order: a pack per hours-pack line (or the cancelled one put
        back in force), in the customer's bank."""
        lines = self.filtered(
            lambda line: (
                line.product_id.hours_pack
                and line.state == "sale"
                and line.product_uom_qty > 0
            )
        )
        if not lines:
            return
        Bank = self.env["qubiq.hours.bank"]
        banks = Bank._hours_find(
            {
                (line.order_id.partner_id.commercial_partner_id.id, line.company_id.id)
                for line in lines
            },
            create=True,
        )
        Pack = self.env["qubiq.hours.pack"].sudo()
        to_create = []
        for line in lines:
            order = line.order_id
            bank = banks[
                (order.partner_id.commercial_partner_id.id, line.company_id.id)
            ]
            start = fields.Date.context_today(line, order.date_order)
            months = line.product_id.hours_pack_validity_months
            product = line.product_id.with_context(lang=order.partner_id.lang)
            label = product.name
            hour = self.env.ref("uom.product_uom_hour")
            if line.product_uom.category_id != hour.category_id and (
                line.product_uom_qty != 1
            ):
                label = f"{line.product_uom_qty:g} × {label}"
            values = {
                "name": _(
                    "%(product)s (%(order)s)",
                    product=label,
                    order=order.name,
                ),
                "bank_id": bank.id,
                "hours": line._hours_pack_hours(),
                "price_total": line.price_total,
                "currency_id": line.currency_id.id,
                "date_start": start,
                "date_end": start + relativedelta(months=months, days=-1)
                if months
                else False,
                "state": "active",
            }
            existing = line.hours_pack_ids[:1]
            if existing:
                existing.write(values)
            else:
                to_create.append(
                    {
                        **values,
                        "sale_line_id": line.id,
                        "product_id": line.product_id.id,
                    }
                )
        if to_create:
            Pack.create(to_create)
        lines.order_id.message_post(
            body=_(
                "Hours bank credited: %(packs)s.",
                packs=", ".join(
                    f"{p.name}: {p.hours:g} h" for p in lines.hours_pack_ids
                ),
            )
        )

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "product_uom", "price_unit", "discount"} & set(vals):
            self.filtered(
                lambda line: line.state == "sale" and line.hours_pack_ids
            )._hours_update_packs()
        return res

    def _hours_update_packs(self):
        for line in self:
            line.hours_pack_ids.sudo().write(
                {"hours": line._hours_pack_hours(), "price_total": line.price_total}
            )

    @api.depends("hours_pack_ids.allocation_ids.hours")
    def _compute_qty_delivered(self):
        """A pack line's delivered quantity is what the bank consumed from it, so
        sale_timesheet's "remaining hours" on the order shows the bank's figure."""
        packs = self.filtered("hours_pack_ids")
        # The pack lines' quantity is set below: sale_timesheet's sum of their
        # timesheets (one read_group) would be overwritten.
        res = super(SaleOrderLine, self - packs)._compute_qty_delivered()
        if packs:
            consumed = dict(
                self.env["qubiq.hours.allocation"]
                .sudo()
                ._read_group(
                    [("pack_id.sale_line_id", "in", packs.ids)],
                    ["pack_id"],
                    ["hours:sum"],
                )
            )
            # Recomputed with every timesheet of a pack's bank: the id from the
            # ormcache, not env.ref, which checks with a query that the unit exists.
            hour = self.env["uom.uom"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_hour")
            )
            # The hour and the lines' units in one read.
            (hour | packs.product_uom).fetch(["category_id", "factor", "rounding"])
            for line in packs:
                hours = sum(consumed.get(p, 0.0) for p in line.hours_pack_ids)
                if line.product_uom.category_id == hour.category_id:
                    line.qty_delivered = hour._compute_quantity(hours, line.product_uom)
                else:
                    per_unit = line.product_id.hours_pack_hours or 1.0
                    line.qty_delivered = hours / per_unit
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced_hours(self):
        invoiced = self.hours_allocation_ids.filtered(
            lambda a: a.billing_state == "invoiced"
        )
        if invoiced:
            raise UserError(
                _(
                    "The line %(line)s invoices hours of the bank of %(customer)s: "
                    "issue a credit note instead of deleting it.",
                    line=invoiced[0].sale_line_id.name,
                    customer=invoiced[0].partner_id.display_name,
                )
            )
