# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Waiting for the customer",
        help="While a ticket is in this stage its SLA clocks are paused; they resume "
        "when "
        "the ticket leaves the stage or the customer answers.",
    )
