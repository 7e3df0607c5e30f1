# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QubiqSlaPause(models.Model):
    _name = "qubiq.sla.pause"
    _description = "SLA clock pause"
    _order = "date_start, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    date_start = fields.Datetime(string="From", required=True)
    date_end = fields.Datetime(string="Until", help="Empty while still paused.")
    reason = fields.Selection(
        [
            ("customer", "Waiting for the customer"),
            ("closed", "Ticket solved or closed"),
        ],
        required=True,
        default="customer",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
