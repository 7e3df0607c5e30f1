# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_aftersales_repair = fields.Boolean(
        string="Repairs",
        help="Agents of this team can create repair orders from a ticket.",
    )
