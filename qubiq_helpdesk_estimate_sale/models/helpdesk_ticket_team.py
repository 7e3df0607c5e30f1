# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company import PRE_APPROVAL_TIMESHEETS


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    estimate_product_id = fields.Many2one(
        "product.product",
        string="Development product",
        domain=[("type", "=", "service")],
        help="Prices this team's estimates; empty: the company's.",
    )
    estimate_approved_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="Stage when the customer accepts",
        help="The ticket moves there when the customer accepts the estimate; empty: "
        "it stays where it is.",
    )
    estimate_decline_action = fields.Selection(
        [
            ("return", "Return the ticket to the agent"),
            ("close", "Close the ticket"),
        ],
        string="When the customer declines",
        default="return",
        required=True,
    )
    estimate_decline_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        string="Closing stage on decline",
        domain=[("closed", "=", True)],
        help="Closed stage used when a declined estimate closes the ticket; empty: "
        "the first closed stage of the team.",
    )
    estimate_pre_approval = fields.Selection(
        PRE_APPROVAL_TIMESHEETS,
        string="Time before the customer accepts",
        help="Empty: the company's setting.",
    )

    def _estimate_product(self):
        """The development product of the team, else its company's."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.estimate_product_id or company.qubiq_estimate_product_id
