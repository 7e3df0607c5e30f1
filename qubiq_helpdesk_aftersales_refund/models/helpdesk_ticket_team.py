# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_aftersales_refund = fields.Boolean(
        string="Refunds",
        help="Agents of this team can issue credit notes from a ticket.",
    )
