# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


# One flow per file (see ARCHITECTURE.md): the ticket's SLA fields and hooks stay in
# helpdesk_ticket.py, this flow lives here.
class HelpdeskTicket(models.Model):
    """Estimate and approval of new requirements (evolutivos): quantified, sent to
    the customer and worked on only once approved."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    requires_estimate = fields.Boolean(related="type_id.requires_estimate")

    estimate_hours = fields.Float(string="Estimated hours", tracking=True, copy=False)
    estimate_state = fields.Selection(
        [
            ("to_estimate", "To estimate"),
            ("sent", "Sent to the customer"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Estimate",
        default="to_estimate",
        tracking=True,
        copy=False,
    )
    estimate_approved_by_id = fields.Many2one(
        "res.partner", string="Approved by", copy=False, tracking=True
    )
    estimate_approved_date = fields.Datetime(string="Approved on", copy=False)

    def action_estimate_send(self):
        for ticket in self:
            if ticket.estimate_hours <= 0:
                raise UserError(
                    _(
                        "Estimated hours: enter the estimate of %(ticket)s before "
                        "sending "
                        "it to the customer.",
                        ticket=ticket.display_name,
                    )
                )
        self.write({"estimate_state": "sent"})

    def action_estimate_approve(self):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.estimate_hours <= 0:
                raise UserError(
                    _(
                        "Estimated hours: %(ticket)s cannot be approved without an "
                        "estimate.",
                        ticket=ticket.display_name,
                    )
                )
            # Approved new requirements are worked on at low priority, outside the
            # maintenance contract's targets.
            ticket.write(
                {
                    "estimate_state": "approved",
                    "estimate_approved_by_id": (
                        ticket.estimate_approved_by_id or ticket.partner_id
                    ).id,
                    "estimate_approved_date": now,
                    "priority": "0",
                }
            )

    def action_estimate_reject(self):
        self.write({"estimate_state": "rejected"})
