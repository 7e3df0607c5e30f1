# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    account_review_opt_in = fields.Boolean(
        string="Monthly contract pack",
        default=True,
        help="On the first working day of each month, send this customer the "
        "compliance summary of its maintenance contract and its hours statement of "
        "the month just closed.",
    )
    account_review_partner_ids = fields.Many2many(
        "res.partner",
        "res_partner_account_review_rel",
        "partner_id",
        "recipient_id",
        string="Monthly pack recipients",
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('email', '!=', False)]",
        help="Contacts who receive the monthly pack. Empty: the designated contacts, "
        "else the company's own e-mail.",
    )

    def _account_review_recipients(self):
        """Who receives this customer's monthly pack: the chosen contacts, else the
        designated contacts, else the company itself; only those with an e-mail."""
        self.ensure_one()
        recipients = self.account_review_partner_ids.filtered("email")
        if not recipients:
            recipients = self.child_ids.filtered(
                lambda c: c.helpdesk_designated_contact and c.email
            )
        return recipients or self.filtered("email")

    def _account_review_lang(self, recipients):
        """The language of the pack: the first recipient's, else the customer's."""
        self.ensure_one()
        return recipients[:1].lang or self.lang or "en_US"
