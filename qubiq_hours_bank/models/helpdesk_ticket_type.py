# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from .account_analytic_line import WORK_KINDS


class HelpdeskTicketType(models.Model):
    _inherit = "helpdesk.ticket.type"

    hours_bank_policy = fields.Selection(
        [
            ("always", "Always consumes"),
            ("contract", "Per maintenance contract"),
            ("never", "Never consumes"),
        ],
        string="Hours bank",
        required=True,
        default="contract",
        help="Always: the time is billed from the customer's hours bank (evolutivos). "
        "Per maintenance contract: billed unless the customer's contract covers "
        "this type; customers without a contract are billed. Never: not billed.",
    )
    hours_work_kind = fields.Selection(
        WORK_KINDS,
        string="Reported as",
        required=True,
        default="incident",
        help="Where the time shows in the hours-bank dashboard: development "
        "(evolutivos, project tasks) or incidents and questions.",
    )

    @api.model
    @tools.ormcache("type_id")
    def _hours_rule(self, type_id):
        """``(policy, kind)`` of the ticket type ``type_id`` (False: none): read
        with every timesheet consumed, so kept in the registry's cache instead of
        read each time; a change of either field clears it."""
        ticket_type = self.sudo().browse(type_id)
        return (
            ticket_type.hours_bank_policy or "contract",
            ticket_type.hours_work_kind or "incident",
        )

    def write(self, vals):
        res = super().write(vals)
        if {"hours_bank_policy", "hours_work_kind"} & set(vals):
            self.env.registry.clear_cache()
            lines = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("ticket_id.type_id", "in", self.ids)])
            )
            lines._hours_resync()
        return res
