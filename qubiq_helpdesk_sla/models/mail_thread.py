# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        # A new mail routed to a model without a thread (an incoming mail server
        # whose default model is the ticket) has no thread id: helpdesk_ticket_
        # partner_response reads it as a number. 0 means "no thread" to Odoo too.
        routes = [
            (route[0], route[1] or 0, *route[2:]) if route else route
            for route in routes
        ]
        # A customer's e-mail answering a ticket closed long ago must reach the current
        # team, not vanish into the old ticket: re-route it before it is delivered.
        routes = self.env["helpdesk.ticket"]._sla_reroute_closed(
            routes, message_dict, message
        )
        return super()._message_route_process(message, message_dict, routes)
