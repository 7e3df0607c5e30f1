# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The whole story in a browser (headless Chromium): a contact sends a ticket through
the coaching form, answers with a file, closes it, rates it from the e-mail with a
comment, and the account manager handles the unhappy customer."""

import re

from odoo.tests import tagged

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalTour(PortalHttpCase):
    def test_ticket_story_in_the_browser(self):
        self.start_tour(
            "/my", "qubiq_helpdesk_portal_ticket_tour", login=self.colleague.login
        )

        ticket = self.tickets_of(self.colleague) - self.ticket_colleague
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            ticket.name, "Error de numeración al validar una factura de compra"
        )
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(ticket.type_id, self.incidencia)
        self.assertEqual(
            sorted(self.attachments(ticket).mapped("name")),
            ["captura.png", "registro-error.txt"],
        )
        self.assertNotIn(
            "programa.exe", self.env["ir.attachment"].search([]).mapped("name")
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        reply = self.messages(ticket).filtered(
            lambda m: "registro completo" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.colleague.partner_id)
        self.assertEqual(reply.attachment_ids.mapped("name"), ["registro-error.txt"])

        # The link of the sad face, taken from the rating e-mail sent on closing.
        request = self.messages(ticket).filtered(lambda m: "/rate/" in (m.body or ""))
        self.assertEqual(len(request), 1)
        self.assertIn(self.colleague.partner_id, request.partner_ids)
        link = re.search(r'href="[^"]*(/rate/[\w-]+/1)"', request.body).group(1)
        self.start_tour(
            link, "qubiq_helpdesk_portal_rating_tour", login=self.colleague.login
        )

        rating = ticket.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 1)
        self.assertEqual(
            rating.feedback, "Ha costado tres días y nadie me avisó del cambio."
        )
        followup = self.env["qubiq.satisfaction.followup"].search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertEqual(followup.user_id, self.account_manager)
        self.assertEqual(followup.activity_ids.user_id, self.account_manager)
        self.assertEqual(followup.state, "open")

        self.start_tour(
            "/web",
            "qubiq_helpdesk_portal_unhappy_tour",
            login=self.account_manager.login,
        )
        self.assertEqual(followup.state, "done")
        self.assertEqual(
            followup.resolution,
            "Llamada con Ana: revisamos juntos el proceso el lunes.",
        )
        self.assertFalse(followup.activity_ids)
