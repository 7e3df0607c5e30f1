# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class EstimatePortal(CustomerPortal):
    @http.route()
    def portal_quote_accept(
        self, order_id, access_token=None, name=None, signature=None
    ):
        """Odoo's sign-and-accept; the logged-in customer who signs is recorded on
        the ticket (Odoo confirms as the superuser when the link has a token)."""
        user = request.env.user
        if not user._is_public():
            request.update_context(qubiq_estimate_signer_id=user.partner_id.id)
        return super().portal_quote_accept(
            order_id, access_token=access_token, name=name, signature=signature
        )

    @http.route()
    def portal_quote_decline(
        self, order_id, access_token=None, decline_message=None, **kwargs
    ):
        """Odoo's decline, then the reason reaches the ticket the quotation
        estimates."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            order_sudo = None
        was_open = bool(order_sudo) and order_sudo.state in ("draft", "sent")
        response = super().portal_quote_decline(
            order_id,
            access_token=access_token,
            decline_message=decline_message,
            **kwargs,
        )
        if (
            was_open
            and order_sudo.state == "cancel"
            and order_sudo.ticket_id
            and order_sudo.ticket_id.estimate_order_id == order_sudo
        ):
            # sudo (from the access check): the customer may not write the ticket's
            # internal fields; only this quotation's own ticket is touched.
            order_sudo.ticket_id._estimate_declined(order_sudo, decline_message)
        return response
