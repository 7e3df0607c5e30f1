# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

CHANNELS = [
    ("portal", "Portal"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("backend", "Backend"),
]


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    code = fields.Selection(
        CHANNELS,
        help="How tickets of this channel reach the support team; reports and the rest "
        "of "
        "the suite read it.",
    )
