# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal page "Contact my account manager" (seed 000, "Compartir insatisfacción
general con el servicio")."""

from lxml import html

from odoo.tests import tagged

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestAccountManagerPage(PortalHttpCase):
    def followups(self, user):
        return self.env["qubiq.satisfaction.followup"].search(
            [("partner_id", "=", user.partner_id.id)]
        )

    def test_home_offers_the_page(self):
        self.login(self.colleague)
        response = self.url_open("/my")
        # With website installed, links carry the language: /en/my/account-manager.
        self.assertRegex(
            response.text, r'href="(/[a-z]{2}(_[A-Z]{2})?)?/my/account-manager"'
        )

    def test_page_shows_the_account_manager(self):
        self.login(self.colleague)
        response = self.url_open("/my/account-manager")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Sofía Navarro", response.text)
        self.assertIn("sofia@qubiq.example.com", response.text)
        self.assertIn('value="dissatisfaction"', response.text)
        # Only the tickets the contact may see can be chosen.
        self.assertIn(f'value="{self.ticket_colleague.id}"', response.text)
        self.assertNotIn(f'value="{self.ticket_designated.id}"', response.text)
        # The list of tickets does not turn the page into a ticket's breadcrumbs.
        breadcrumb = html.fromstring(response.content).xpath(
            "//ol[contains(@class, 'o_portal_submenu')]"
        )[0]
        self.assertNotIn(self.ticket_colleague.name, breadcrumb.text_content())

    def test_message_becomes_a_high_priority_followup(self):
        self.login(self.colleague)
        response = self.post(
            "/my/account-manager/send",
            {
                "topic": "dissatisfaction",
                "message": "Llevamos tres semanas con incidencias sin resolver.",
                "ticket_id": str(self.ticket_colleague.id),
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/account-manager?sent=1", response.headers["Location"])
        followup = self.followups(self.colleague)
        self.assertEqual(len(followup), 1)
        self.assertEqual(
            (followup.origin, followup.topic, followup.priority, followup.state),
            ("portal", "dissatisfaction", "1", "open"),
        )
        self.assertTrue(followup.is_unhappy)
        self.assertEqual(followup.user_id, self.account_manager)
        self.assertEqual(followup.ticket_id, self.ticket_colleague)
        self.assertIn("tres semanas", followup.message)
        self.assertEqual(followup.activity_ids.user_id, self.account_manager)
        self.assertTrue(
            followup.message_ids.filtered(
                lambda m: self.account_manager.partner_id in m.partner_ids
            )
        )
        page = self.url_open("/my/account-manager?sent=1")
        self.assertIn("Your message has been sent to Sofía Navarro", page.text)

    def test_bad_input_is_refused_and_kept(self):
        self.login(self.colleague)
        cases = [
            ({"topic": "dissatisfaction", "message": ""}, "Message: tell your"),
            ({"topic": "nonsense", "message": "Texto guardado"}, "Subject: choose"),
            (
                {
                    "topic": "dissatisfaction",
                    "message": "Texto guardado",
                    "ticket_id": str(self.ticket_outsider.id),
                },
                "Ticket: choose one of your tickets",
            ),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.post("/my/account-manager/send", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                if data["message"]:
                    self.assertIn(data["message"], response.text)
                self.assertNotIn(self.ticket_outsider.name, response.text)
        self.assertFalse(self.followups(self.colleague))

    def test_rate_limit(self):
        self.company.qubiq_portal_ticket_rate_limit = 1
        self.login(self.colleague)
        data = {"topic": "meeting", "message": "¿Podemos vernos el jueves?"}
        self.assertEqual(self.post("/my/account-manager/send", data).status_code, 303)
        response = self.post("/my/account-manager/send", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "You have already sent 1 messages in the last hour", response.text
        )
        self.assertEqual(len(self.followups(self.colleague)), 1)
