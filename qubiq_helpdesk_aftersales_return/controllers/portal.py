# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class ReturnTicketPortal(CustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # ``ticket`` is the sudo record helpdesk_mgmt's route returns once it
        # checked the visitor's access to the ticket. The visitor (a customer,
        # without Inventory rights) sees the returns received and the
        # replacements sent for this ticket, all of their own deliveries:
        # reference, date, state and products only.
        values["aftersales_pickings"] = ticket.sudo()._aftersales_portal_pickings()
        values["aftersales_ticket_token"] = access_token
        return values

    @http.route(
        ["/my/ticket/<int:ticket_id>/slip/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def portal_ticket_return_slip(self, ticket_id, picking_id, access_token=None):
        """The delivery slip of a return or replacement listed on the ticket page,
        for whoever may read the ticket (its customer's side, or the ticket's own
        token): the sale order's token is neither shown nor created."""
        try:
            ticket_sudo = self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return NotFound()
        picking_sudo = ticket_sudo._aftersales_portal_pickings().filtered(
            lambda picking: picking.id == picking_id and picking.state == "done"
        )
        if not picking_sudo:
            return NotFound()
        # sudo: the report reads products, moves and the company, which a
        # customer may not read; access to the ticket and the picking being one
        # of its customer's deliveries were checked above.
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("stock.action_report_delivery", picking_sudo.ids)[0]
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
            ],
        )
