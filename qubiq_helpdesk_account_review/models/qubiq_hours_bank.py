# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, models


class QubiqHoursBank(models.Model):
    _inherit = "qubiq.hours.bank"  # pylint: disable=consider-merging-classes-inherited

    def _hours_warn_low(self, balance, thresholds):
        """A low-balance warning also prepares the renewal: a draft quotation of the
        customer's usual pack for the account manager to send. Once per crossing:
        the warning itself is claimed once per crossing (see ``_hours_claim``)."""
        res = super()._hours_warn_low(balance, thresholds)
        self._review_prepare_renewal()
        return res

    def _review_usual_pack_line(self):
        """The sale line of the customer's last pack sale (its product and
        quantity are the usual pack)."""
        self.ensure_one()
        return (
            self.env["qubiq.hours.pack"]
            .sudo()
            .search(
                [("bank_id", "=", self.id), ("sale_line_id", "!=", False)],
                order="date_start desc, id desc",
                limit=1,
            )
            .sale_line_id
        )

    def _review_prepare_renewal(self):
        """Draft quotation of the usual pack, with an activity on it for the
        account manager; nothing is sent to the customer."""
        self.ensure_one()
        line = self._review_usual_pack_line()
        if not line:
            return self.env["sale.order"]
        manager = self.account_manager_id
        # sudo: the warning runs in whoever logged the timesheet's transaction,
        # usually an agent without sales rights.
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "user_id": manager.id or False,
                    "origin": self.display_name,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.product_uom_qty,
                            }
                        )
                    ],
                }
            )
        )
        if manager:
            # In the account manager's language, whoever logged the time.
            summary, note = self.with_context(
                lang=manager.lang or self.env.lang
            )._review_renewal_texts()
            order.activity_schedule(
                "qubiq_helpdesk_account_review.mail_activity_type_account_review",
                user_id=manager.id,
                summary=summary,
                note=note,
            )
        return order

    def _review_renewal_texts(self):
        self.ensure_one()
        return _("Renew the hours pack"), _(
            "%(customer)s's hours bank crossed its low level: this draft quotation "
            "of the usual pack is ready to review and send.",
            customer=self.partner_id.display_name,
        )
