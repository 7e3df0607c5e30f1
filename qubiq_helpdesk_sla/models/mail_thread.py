# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        # A customer's e-mail answering a ticket closed long ago must reach the current
        # team, not vanish into the old ticket: re-route it before it is delivered.
        routes = self.env["helpdesk.ticket"]._sla_reroute_closed(
            routes, message_dict, message
        )
        # An incoming mail server set to create tickets routes a mail that matches
        # no alias as (model, None, ...): "no thread, create one". The mail gateway
        # reads any false thread id that way, but helpdesk_ticket_partner_response
        # calls int() on it and every such mail failed. 0 means the same to both.
        routes = [
            (route[0], 0, *route[2:])
            if route[0] == "helpdesk.ticket" and route[1] is None
            else route
            for route in routes or ()
        ]
        return super()._message_route_process(message, message_dict, routes)
