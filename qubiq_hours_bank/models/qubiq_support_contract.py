# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

RESYNC_FIELDS = (
    "hours_bank_type_ids",
    "partner_id",
    "company_id",
    "date_start",
    "date_end",
    "state",
)


class QubiqSupportContract(models.Model):
    _inherit = "qubiq.support.contract"

    hours_bank_type_ids = fields.Many2many(
        "helpdesk.ticket.type",
        "qubiq_support_contract_hours_type_rel",
        "contract_id",
        "type_id",
        string="Types billed from the hours bank",
        help="Ticket types whose time this contract does not cover: it consumes the "
        "customer's hours bank. Incidencias and consultas are usually covered "
        "(leave them out); evolutivos always consume, whatever the contract says.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        contracts._hours_resync_customers()
        return contracts

    def write(self, vals):
        customers = self.partner_id
        res = super().write(vals)
        if set(RESYNC_FIELDS) & set(vals):
            self._hours_resync_customers(customers)
        return res

    def _hours_resync_customers(self, extra=None):
        """The contract decides what the customers' ticket time costs: decide
        again (locked and invoiced time keeps its billing)."""
        partners = self.partner_id | (extra or self.env["res.partner"])
        if not partners:
            return
        lines = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("ticket_id", "!=", False),
                    ("ticket_id.partner_id", "child_of", partners.ids),
                ]
            )
        )
        lines._hours_resync()
