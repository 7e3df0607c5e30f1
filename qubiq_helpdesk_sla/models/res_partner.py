# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    account_manager_id = fields.Many2one(
        "res.users",
        string="Account manager",
        domain="[('share', '=', False)]",
        tracking=True,
        help="Follows this customer's satisfaction, hours bank and contract. Set on "
        "the "
        "company; its contacts share it. Empty: the salesperson takes the role.",
    )

    def _commercial_fields(self):
        return super()._commercial_fields() + ["account_manager_id"]

    def _qubiq_account_manager(self):
        """The user who answers for this customer: the account manager of its commercial
        partner, else its salesperson. Empty record when there is neither."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return commercial.account_manager_id or commercial.user_id
