# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    use_aftersales_refund = fields.Boolean(
        related="team_id.use_aftersales_refund", string="Refunds Enabled"
    )
    refund_move_ids = fields.One2many(
        "account.move",
        "helpdesk_ticket_id",
        string="Refund Documents",
        groups="account.group_account_invoice",
    )
    refund_count = fields.Integer(
        string="Credit Notes",
        compute="_compute_refund_count",
        groups="account.group_account_invoice",
    )

    @api.depends("refund_move_ids.move_type")
    def _compute_refund_count(self):
        counts = self._aftersales_counts(
            "account.move", [("move_type", "=", "out_refund")]
        )
        for ticket in self:
            ticket.refund_count = counts.get(ticket._origin, 0)

    def _aftersales_refundable_invoice_domain(self):
        """Posted customer invoices of the ticket's customer."""
        self.ensure_one()
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("company_id", "=", self.company_id.id),
            *self._aftersales_customer_domain(),
        ]

    def action_aftersales_refund(self):
        self.ensure_one()
        self._aftersales_check_enabled("use_aftersales_refund")
        self._aftersales_check_partner()
        domain = self._aftersales_refundable_invoice_domain()
        if not self.env["account.move"].search_count(domain, limit=1):
            raise UserError(
                _(
                    "%(customer)s has no posted customer invoice: an invoice must "
                    "be posted before a credit note can be issued.",
                    customer=self.partner_id.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Refund"),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "qubiq_helpdesk_aftersales_refund.account_move_reversal_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "active_model": "helpdesk.ticket",
                "active_id": self.id,
                "active_ids": self.ids,
            },
        }

    def action_view_aftersales_refunds(self):
        self.ensure_one()
        credit_notes = self.refund_move_ids.filtered(
            lambda move: move.move_type == "out_refund"
        )
        action = self._aftersales_action_open(credit_notes, _("Credit Notes"))
        action["context"] = {"create": False, "default_move_type": "out_refund"}
        return action
