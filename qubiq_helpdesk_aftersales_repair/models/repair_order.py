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

    @api.model_create_multi
    def create(self, vals_list):
        repairs = super().create(vals_list)
        for repair in repairs.filtered("helpdesk_ticket_id"):
            repair.helpdesk_ticket_id._aftersales_log(repair, _("Repair order created"))
        return repairs
