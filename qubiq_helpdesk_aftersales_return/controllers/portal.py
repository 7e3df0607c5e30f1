# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
        return values
