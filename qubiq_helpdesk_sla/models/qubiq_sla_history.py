# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QubiqSlaHistory(models.Model):
    """Why a ticket's deadline is what it is: one line per change of a clock."""

    _name = "qubiq.sla.history"
    _description = "SLA deadline history"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    kind = fields.Selection(
        [("response", "Response"), ("resolution", "Resolution")], string="Clock"
    )
    reason = fields.Selection(
        [
            ("start", "Ticket opened"),
            ("retarget", "Targets changed"),
            ("pause", "Paused"),
            ("resume", "Resumed"),
            ("reached", "Reached"),
            ("reopen", "Reopened"),
            ("cancel", "No longer under SLA"),
        ],
        required=True,
    )
    description = fields.Char(string="What changed")
    old_deadline = fields.Datetime(string="Previous deadline")
    new_deadline = fields.Datetime(string="New deadline")
    paused_minutes = fields.Float(string="Paused so far (working minutes)")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
