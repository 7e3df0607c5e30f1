# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_aftersales_return = fields.Boolean(
        string="Returns",
        help="Agents of this team can return a customer's delivery from a ticket.",
    )
