# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    helpdesk_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        index="btree_not_null",
        copy=False,
        help="Ticket from which this repair was created. Helpdesk users can read "
        "the repair orders linked to a ticket even without Repair rights.",
    )

    # Not Odoo's ``sale_order_id``: that one is the repair's own quotation (the
    # parts it bills are added to it, and a repair with one cannot make another),
    # not the order in which the customer bought the product.
    helpdesk_sale_order_id = fields.Many2one(
        "sale.order",
        string="Original Sales Order",
        compute="_compute_helpdesk_sale_order_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        copy=False,
        help="Sales order of the ticket: the order in which the customer bought "
        "the product to repair.",
    )
    helpdesk_delivery_date = fields.Date(
        string="Delivered On",
        compute="_compute_helpdesk_warranty",
        store=True,
        help="Date of the latest done delivery of the product (and lot/serial) to "
        "the customer, on the original sales order when there is one.",
    )
    helpdesk_warranty_end = fields.Date(
        string="Warranty End",
        compute="_compute_helpdesk_warranty",
        store=True,
        help="Delivery date plus the product's warranty period.",
    )
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty", store=True, readonly=False
    )

    @api.depends("helpdesk_ticket_id.sale_order_id")
    def _compute_helpdesk_sale_order_id(self):
        for repair in self:
            repair.helpdesk_sale_order_id = (
                repair.helpdesk_ticket_id.sale_order_id or repair.helpdesk_sale_order_id
            )

    @api.depends(
        "partner_id",
        "product_id.qubiq_warranty_months",
        "lot_id",
        "company_id",
        "helpdesk_sale_order_id.picking_ids.date_done",
    )
    def _compute_helpdesk_warranty(self):
        for repair in self:
            delivered, end = self._helpdesk_warranty_dates(
                repair.partner_id,
                repair.product_id,
                lot=repair.lot_id,
                sale_order=repair.helpdesk_sale_order_id,
                company=repair.company_id,
            )
            repair.helpdesk_delivery_date = delivered
            repair.helpdesk_warranty_end = end

    @api.depends("helpdesk_warranty_end", "helpdesk_ticket_id")
    def _compute_under_warranty(self):
        """Under warranty while today is on or before the warranty end; decided
        for the draft repairs made from a ticket, before their quotation. Later,
        and for the other repairs, the agent's choice stands (Odoo prices the
        quotation's parts from it)."""
        for repair in self:
            if (
                repair.helpdesk_ticket_id
                and repair.state in (False, "draft")
                and not repair.sale_order_id
            ):
                end = repair.helpdesk_warranty_end
                repair.under_warranty = bool(
                    end and fields.Date.context_today(repair) <= end
                )
            else:
                repair.under_warranty = repair.under_warranty

    @api.model
    def _helpdesk_warranty_dates(
        self, partner, product, lot=None, sale_order=None, company=None
    ):
        """(delivery date, warranty end) of ``product`` (``lot``) for ``partner``.

        The delivery is the latest done delivery to the customer containing the
        product (and lot), on ``sale_order`` when given; its date is the day in
        the company's time zone. The warranty ends the product's warranty months
        later; no delivery or no warranty period: no end."""
        if not partner or not product:
            return False, False
        domain = [
            ("state", "=", "done"),
            ("picking_type_code", "=", "outgoing"),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("move_ids.product_id", "=", product.id),
        ]
        if sale_order:
            domain.append(("sale_id", "=", sale_order.id))
        if lot:
            domain.append(("move_line_ids.lot_id", "=", lot.id))
        if company:
            domain.append(("company_id", "=", company.id))
        # sudo: the warranty is shown to helpdesk agents without Inventory
        # rights; only the date of the delivery is read.
        delivery = (
            self.env["stock.picking"]
            .sudo()
            .search(domain, order="date_done desc, id desc", limit=1)
        )
        if not delivery:
            return False, False
        tz = pytz.timezone((company or self.env.company).partner_id.tz or "UTC")
        delivered = pytz.utc.localize(delivery.date_done).astimezone(tz).date()
        months = product.qubiq_warranty_months
        return delivered, (
            delivered + relativedelta(months=months) if months > 0 else False
        )

    @api.model
    def _helpdesk_reader_only(self):
        """Helpdesk user without Repair (Inventory) rights: reads through tickets."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group("helpdesk_mgmt.group_helpdesk_user")
            and not user.has_group("stock.group_stock_user")
        )

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        # The chatter link and the smart button open the default views; Repair's
        # own form reads parts, locations and quotations that such a user may
        # not read. Give them the read-only views made for them instead.
        if (
            not view_id
            and view_type in ("form", "tree")
            and self._helpdesk_reader_only()
        ):
            view_id = self.env.ref(
                f"qubiq_helpdesk_aftersales_repair.repair_order_view_{view_type}_helpdesk"
            ).id
        return super().get_view(view_id, view_type, **options)

    @api.model_create_multi
    def create(self, vals_list):
        repairs = super().create(vals_list)
        for repair in repairs.filtered("helpdesk_ticket_id"):
            repair.helpdesk_ticket_id._aftersales_log(repair, _("Repair order created"))
        return repairs
