# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A Spanish contact gets the portal in Spanish (Spain, «tú» as in the guide)."""

from lxml import html

from odoo.tests import tagged

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalInSpanish(PortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["qubiq_helpdesk_portal"], ["es_ES"], overwrite=True
        )
        cls.designated.lang = "es_ES"

    def text(self, response):
        return " ".join(html.fromstring(response.content).text_content().split())

    def test_pages_in_spanish(self):
        self.login(self.designated)
        text = self.text(self.url_open("/my/tickets"))
        for words in ("Próximo plazo", "Tickets de mi empresa", "Asignado a"):
            self.assertIn(words, text)
        self.assertIn("Eres un contacto designado de tu empresa", text)
        text = self.text(self.url_open(f"/my/ticket/{self.ticket_designated.id}"))
        for words in (
            "Nivel de servicio",
            "Cerrar ticket",
            "Respondido el",
            "Solución antes del",
            # The seed's description of the priority, from qubiq_helpdesk_sla.
            "Se detiene por completo un departamento o un proceso",
        ):
            self.assertIn(words, text)
        text = self.text(self.url_open("/new/ticket"))
        for words in (
            "Envía un nuevo ticket",
            "Un título claro",
            "Claro: Error de numeración al validar una factura de compra",
            "Ambiguo: URGENTE! NO PUEDO FACTURAR",
            "Copiar error al portapapeles",
        ):
            self.assertIn(words, text)

    def test_refusal_in_spanish(self):
        self.login(self.designated)
        response = self.post(
            "/submitted/ticket", self.new_ticket_data(subject="", priority="3")
        )
        self.assertEqual(response.status_code, 400)
        text = self.text(response)
        self.assertIn("Título: escribe una frase corta que diga qué falla", text)
        self.assertIn(
            "Prioridad Crítica: confirma que todo el servicio está parado", text
        )
        self.assertIn("llámanos al 931 797 762", text)
