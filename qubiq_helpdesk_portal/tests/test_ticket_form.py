# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The new-ticket form: what it offers, what it creates, and bad input refused with a
clear message, the text kept and nothing written."""

from unittest.mock import patch

from lxml import html

from odoo.tests import tagged

from odoo.addons.qubiq_helpdesk_sla.models.helpdesk_ticket import (
    PRIORITY_DESCRIPTIONS,
)

from .common import PNG, PortalHttpCase


@tagged("post_install", "-at_install")
class TestTicketForm(PortalHttpCase):
    def submit(self, files=None, **overrides):
        return self.post(
            "/submitted/ticket", self.new_ticket_data(**overrides), files=files
        )

    def assert_refused(self, response, *messages, kept=()):
        """400, each message shown in the error box, the typed text kept in the
        form, and no ticket nor file created for the contact."""
        self.assertEqual(response.status_code, 400)
        tree = html.fromstring(response.content)
        box = " ".join(
            " ".join(
                tree.xpath("//*[contains(@class, 'o_qubiq_form_errors')]//text()")
            ).split()
        )
        for message in messages:
            self.assertIn(message, box)
        for text in kept:
            self.assertIn(text, response.text)
        self.assertNotIn("Traceback (most recent call last)", response.text)
        self.assertFalse(self.tickets_of(self.colleague) - self.ticket_colleague)

    # ------------------------------------------------------------------ GET

    def test_form_coaches_a_good_ticket(self):
        self.login(self.colleague)
        response = self.url_open("/new/ticket")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        teams = set(tree.xpath("//select[@name='team']/option/@value"))
        self.assertIn(str(self.team.id), teams)
        self.assertNotIn(str(self.hidden_team.id), teams)  # not shown in portal
        self.assertNotIn(str(self.other_company_team.id), teams)  # other company
        types = tree.xpath("//input[@name='type']/@value")
        self.assertEqual(
            types[:3],
            [str(t.id) for t in (self.incidencia, self.consulta, self.evolutivo)],
        )
        self.assertEqual(
            tree.xpath("//input[@name='type'][@checked]/@value"),
            [str(self.incidencia.id)],
        )
        text = " ".join(response.text.split())
        self.assertIn(self.evolutivo.description, text)
        for level in "0123":
            self.assertIn(str(PRIORITY_DESCRIPTIONS[level]), text)
        self.assertIn("Invoice numbering error when validating a vendor bill", text)
        self.assertIn("URGENT! I CAN'T INVOICE", text)
        self.assertIn("Copiar error al portapapeles", text)
        self.assertIn("931 797 762", text)  # emergency phone in the Critical panel
        self.assertEqual(tree.xpath("//input[@name='user_name']/@value"), ["Ana Ruiz"])
        self.assertEqual(
            tree.xpath("//input[@name='company_name']/@value"), ["Muebles Ebro S.L."]
        )

    # ------------------------------------------------------------------ create

    def test_good_ticket_is_created(self):
        self.login(self.colleague)
        response = self.submit(
            files=[("attachment", ("captura-completa.png", PNG, "image/png"))]
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.tickets_of(self.colleague) - self.ticket_colleague
        self.assertEqual(len(ticket), 1)
        self.assertIn(
            f"/my/ticket/{ticket.id}?done=created", response.headers["Location"]
        )
        self.assertEqual(
            ticket.name, "Error de numeración al validar una factura de compra"
        )
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.type_id, self.incidencia)
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.company_id, self.company)
        self.assertIn(self.colleague.partner_id, ticket.message_partner_ids)
        for part in (
            "me repite el número",
            "Ana Ruiz",
            "Muebles Ebro S.L.",
            "Contabilidad / Facturas de proveedor",
            "<pre>odoo.exceptions.ValidationError: número duplicado</pre>",
        ):
            self.assertIn(part, ticket.description)
        self.assertEqual(
            self.attachments(ticket).mapped("name"), ["captura-completa.png"]
        )
        # The SLA clock started: the contract's first-answer target applies.
        self.assertTrue(ticket.sla_response_deadline)
        self.assertFalse(ticket.sla_indicative)
        page = self.url_open(response.headers["Location"])
        self.assertIn(f"your ticket {ticket.number} has been sent", page.text)

    # ------------------------------------------------------------------ refused

    def test_missing_title_is_refused_and_text_kept(self):
        self.login(self.colleague)
        response = self.submit(subject="", steps="Ventas / Pedidos > Confirmar")
        self.assert_refused(
            response,
            "Title: write a short sentence that says what fails",
            kept=("me repite el número", "Ventas / Pedidos &gt; Confirmar"),
        )

    def test_oversized_file_is_refused(self):
        self.login(self.colleague)
        big = PNG + b"\0" * (1024 * 1024)  # the company accepts up to 1 MB
        response = self.submit(
            files=[("attachment", ("pantalla-entera.png", big, "image/png"))]
        )
        self.assert_refused(
            response,
            "pantalla-entera.png: the file is larger than 1 MB",
            kept=("me repite el número",),
        )
        self.assertIn("Attach your files again", response.text)
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "=", "pantalla-entera.png")])
        )

    def test_dangerous_or_disguised_files_are_refused(self):
        self.login(self.colleague)
        cases = [
            ("programa.exe", b"MZ\x90\x00\x03", "this type of file is not accepted"),
            ("pagina.html", b"<html><script>alert(1)</script></html>", "not accepted"),
            (
                "dibujo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
                "not accepted",
            ),
            ("captura.png", b"MZ\x90\x00 not an image", "does not match its extension"),
            ("registro.txt", b"\x00\x01\x02binary", "does not match its extension"),
        ]
        for name, content, message in cases:
            with self.subTest(name=name):
                response = self.submit(
                    files=[("attachment", (name, content, "application/octet-stream"))]
                )
                self.assert_refused(response, f"{name}: ", message)

    def test_unknown_or_hidden_team_is_refused(self):
        self.login(self.colleague)
        for team_id in (self.hidden_team.id, self.other_company_team.id, 999999, "x"):
            with self.subTest(team=team_id):
                response = self.submit(team=str(team_id))
                self.assert_refused(
                    response, "Team: choose one of the teams in the list."
                )

    def test_forged_type_and_category_are_refused(self):
        hidden_type = self.env["helpdesk.ticket.type"].create(
            {"name": "Interno", "show_in_portal": False}
        )
        foreign_category = self.env["helpdesk.ticket.category"].create(
            {"name": "Levante", "company_id": self.other_company.id}
        )
        self.login(self.colleague)
        response = self.submit(type=str(hidden_type.id))
        self.assert_refused(response, "Type: choose what your ticket is")
        response = self.submit(category=str(foreign_category.id))
        self.assert_refused(response, "Category: choose one of the categories")

    def test_critical_needs_confirmation(self):
        self.login(self.colleague)
        response = self.submit(priority="3")
        self.assert_refused(
            response, "Priority Critical: confirm", "call us at 931 797 762"
        )
        tree = html.fromstring(response.content)
        panel = tree.xpath("//*[@id='qubiq_critical_panel']")[0]
        self.assertNotIn("d-none", panel.get("class"))
        response = self.submit(priority="3", critical_confirmed="1")
        self.assertEqual(response.status_code, 303)
        ticket = self.tickets_of(self.colleague) - self.ticket_colleague
        self.assertEqual(ticket.priority, "3")

    def test_multi_company_customer_must_say_the_company(self):
        self.customer.helpdesk_multi_company = True
        self.assertTrue(self.colleague.partner_id.helpdesk_multi_company)
        self.login(self.colleague)
        response = self.submit(company_name="")
        self.assert_refused(
            response, "Company: you work with several companies in Odoo"
        )

    def test_rate_limit(self):
        self.company.qubiq_portal_ticket_rate_limit = 2
        self.login(self.colleague)
        # ticket_colleague was created in the last hour: one more is accepted.
        self.assertEqual(self.submit().status_code, 303)
        response = self.submit(subject="Otro error al validar la factura de compra")
        self.assertEqual(response.status_code, 400)
        self.assertIn("You have sent 2 tickets in the last hour", response.text)
        self.assertEqual(len(self.tickets_of(self.colleague)), 2)

    def test_unexpected_error_shows_a_message_not_a_traceback(self):
        self.login(self.colleague)
        Ticket = type(self.env["helpdesk.ticket"])
        with (
            patch.object(Ticket, "create", side_effect=RuntimeError("boom")),
            self.assertLogs(
                "odoo.addons.qubiq_helpdesk_portal.controllers.ticket_form", "ERROR"
            ),
        ):
            response = self.submit()
        self.assert_refused(
            response,
            "Your ticket could not be sent because of an error on our side",
            kept=("me repite el número",),
        )

    def test_refused_form_shows_the_title_hints(self):
        self.login(self.colleague)
        response = self.submit(subject="URGENTE NO PUEDO FACTURAR", description="")
        self.assertEqual(response.status_code, 400)
        tree = html.fromstring(response.content)

        def shown(code):
            node = tree.xpath(f"//*[@data-qubiq-hint='title:{code}']")[0]
            return "d-none" not in node.get("class")

        self.assertTrue(shown("all_caps"))
        self.assertTrue(shown("urgent"))
        self.assertFalse(shown("too_short"))
        self.assertEqual(
            tree.xpath("//input[@name='subject']/@value"), ["URGENTE NO PUEDO FACTURAR"]
        )
