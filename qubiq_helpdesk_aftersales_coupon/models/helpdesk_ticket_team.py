# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_aftersales_coupon = fields.Boolean(
        string="Coupons",
        help="Agents of this team can give the customer a coupon from a ticket.",
    )
