# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    qubiq_portal_reopen_days = fields.Integer(
        string="Reopen window (days)",
        default=7,
        help="For how many days after it was closed a customer may reopen a ticket "
        "from the portal. 0: customers cannot reopen tickets.",
    )
    qubiq_portal_emergency_phone = fields.Char(
        string="Emergency phone",
        help="Shown in the portal when a customer chooses the Critical priority: for a "
        "server down, calling is faster than a ticket. Empty: the company phone.",
    )
    qubiq_portal_max_attachment_mb = fields.Integer(
        string="Largest attachment (MB)",
        default=10,
        help="Files larger than this are refused by the portal ticket form and "
        "replies.",
    )
    qubiq_portal_ticket_rate_limit = fields.Integer(
        string="Tickets per contact per hour",
        default=10,
        help="A contact who has sent this many tickets or messages to the account "
        "manager in the last hour must wait before sending more. 0: no limit.",
    )

    @api.constrains(
        "qubiq_portal_reopen_days",
        "qubiq_portal_max_attachment_mb",
        "qubiq_portal_ticket_rate_limit",
    )
    def _check_qubiq_portal_limits(self):
        for company in self:
            if company.qubiq_portal_reopen_days < 0:
                raise ValidationError(
                    _(
                        "Reopen window: enter 0 (no reopening) or a number of days, "
                        "not %(value)s.",
                        value=company.qubiq_portal_reopen_days,
                    )
                )
            if company.qubiq_portal_max_attachment_mb < 1:
                raise ValidationError(
                    _(
                        "Largest attachment: enter at least 1 MB, not %(value)s.",
                        value=company.qubiq_portal_max_attachment_mb,
                    )
                )
            if company.qubiq_portal_ticket_rate_limit < 0:
                raise ValidationError(
                    _(
                        "Tickets per contact per hour: enter 0 (no limit) or a "
                        "positive number, not %(value)s.",
                        value=company.qubiq_portal_ticket_rate_limit,
                    )
                )

    def _qubiq_portal_emergency_phone(self):
        self.ensure_one()
        return self.qubiq_portal_emergency_phone or self.phone or ""
