# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

REASONS = [
    ("delays", "Delays in answering or solving"),
    ("misunderstanding", "A ticket was misunderstood"),
    ("solution", "The solution was not satisfactory"),
    ("other", "Other"),
]


class QubiqAccountReviewRequest(models.Model):
    """A designated contact asks to talk to the support manager. Not a ticket: no
    SLA clock, no queue, not seen by agents; a high-priority item of its own with an
    activity for the company's support manager, closed by them."""

    _name = "qubiq.account.review.request"
    _description = "Request to talk to the support manager"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state desc, create_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    reason = fields.Selection(REASONS, required=True, readonly=True)
    message = fields.Text(readonly=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High")], default="1", tracking=True
    )
    state = fields.Selection(
        [("open", "To handle"), ("done", "Handled")],
        default="open",
        required=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, readonly=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Support manager",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)

    @api.depends("reason", "partner_id")
    def _compute_name(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for request in self:
            request.name = _(
                "%(customer)s: %(reason)s",
                customer=request.partner_id.commercial_partner_id.display_name or "",
                reason=labels.get(request.reason, ""),
            )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            request._notify_support_manager()
        return requests

    def _notify_support_manager(self):
        """An activity for the support manager (else the account manager), and the
        customer's words as the first message."""
        self.ensure_one()
        manager = (
            self.company_id.qubiq_support_manager_id
            or self.partner_id._qubiq_account_manager()
        )
        if manager and not self.user_id:
            self.user_id = manager
        if self.message:
            self.message_post(body=self.message, author_id=self.partner_id.id)
        if self.user_id:
            self.activity_schedule(
                "qubiq_helpdesk_account_review.mail_activity_type_support_manager",
                user_id=self.user_id.id,
                summary=self.name,
                note=self.message or "",
            )

    def action_done(self):
        self.write({"state": "done"})
        self.activity_feedback(
            ["qubiq_helpdesk_account_review.mail_activity_type_support_manager"]
        )
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True
