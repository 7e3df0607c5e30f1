# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Estimated ticket",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The new requirement (evolutivo) this quotation estimates.",
    )
    estimate_hours = fields.Float(string="Estimated hours", readonly=True, copy=False)
    estimate_expiry_notified = fields.Boolean(readonly=True, copy=False)

    def action_confirm(self):
        res = super().action_confirm()
        for order in self.filtered("ticket_id"):
            ticket = order.ticket_id
            # Only the current estimate approves the ticket; an older one was
            # cancelled when it was superseded.
            if (
                ticket.estimate_order_id == order
                and ticket.estimate_state != "approved"
            ):
                ticket._estimate_accepted(order)
        return res

    @api.model
    def _cron_estimate_expired(self):
        """One reminder to the agent per estimate whose validity date passed while
        the customer has not answered."""
        today = fields.Date.context_today(self)
        orders = self.search(
            [
                ("ticket_id", "!=", False),
                ("state", "in", ("draft", "sent")),
                ("validity_date", "<", today),
                ("estimate_expiry_notified", "=", False),
            ]
        )
        if not orders:
            return
        # Conditional UPDATE: a concurrent run (or a manual one) cannot remind twice.
        self.env.cr.execute(
            """
            UPDATE sale_order SET estimate_expiry_notified = TRUE
             WHERE id IN %s AND estimate_expiry_notified IS NOT TRUE
         RETURNING id
            """,
            [tuple(orders.ids)],
        )
        claimed = self.browse([row[0] for row in self.env.cr.fetchall()])
        claimed.invalidate_recordset(["estimate_expiry_notified"])
        for order in claimed:
            ticket = order.ticket_id
            agent = (
                ticket.user_id
                or ticket.team_id.user_id
                or ticket._qubiq_account_manager()
            )
            if not agent:
                continue
            ticket.activity_schedule(
                "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_expired",
                user_id=agent.id,
                note=_(
                    "The estimate %(order)s expired on %(date)s without an answer "
                    "from the customer.",
                    order=order.name,
                    date=order.validity_date,
                ),
            )
