# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
