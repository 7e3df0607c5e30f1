# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from lxml import html

from odoo.tests import tagged

from odoo.addons.qubiq_helpdesk_portal.tests.common import PNG, PortalHttpCase

from .common import setup_estimate_team

SIGNATURE = base64.b64encode(PNG).decode()


@tagged("post_install", "-at_install")
class TestEstimatePortal(PortalHttpCase):
    """Muebles Ebro's designated contact answers the estimate of their evolutivo
    in Odoo's sale portal; Bodegas' contact cannot reach it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_estimate_team(cls)
        cls.ticket = cls._ticket(
            cls.designated,
            "Informe de ventas por comercial",
            priority="2",
            type_id=cls.evolutivo.id,
        )
        wizard = (
            cls.env["qubiq.estimate.wizard"]
            .with_user(cls.agent)
            .create(
                {
                    "ticket_id": cls.ticket.id,
                    "hours": 3.2,
                    "description": "<p>Informe agrupado por comercial</p>",
                }
            )
        )
        wizard.action_send()
        cls.ticket = cls.ticket.with_env(cls.env)
        cls.order = cls.ticket.estimate_order_id

    def accept(self, order_id, name="Javier Lorente", access_token=None):
        """The sign-and-accept call of Odoo's quotation page (the page sends the
        quotation's access token)."""
        params = {"name": name, "signature": SIGNATURE}
        if access_token:
            params["access_token"] = access_token
        return self.make_jsonrpc_request(f"/my/orders/{order_id}/accept", params)

    def test_customer_accepts_in_the_portal(self):
        self.assertEqual(self.order.state, "sent")
        self.login(self.designated)
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text, "the ticket page shows the estimate")
        self.assertIn("o_qubiq_portal_estimate", page.text)
        quote = self.url_open(self.order.get_portal_url())
        self.assertEqual(quote.status_code, 200)
        result = self.accept(self.order.id, access_token=self.order.access_token)
        self.assertFalse(result.get("error"), result)
        self.ticket.invalidate_recordset()
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.ticket.estimate_state, "approved")
        self.assertEqual(self.ticket.stage_id, self.stage_approved)
        self.assertEqual(self.ticket.priority, "0")
        self.assertEqual(self.ticket.estimate_approved_order_id, self.order)
        self.assertEqual(
            self.ticket.estimate_approved_by_id, self.designated.partner_id
        )
        self.assertEqual(self.ticket.estimate_signed_by, "Javier Lorente")
        self.assertFalse(self.ticket.sla_clock_ids, "evolutivos run no SLA clock")

    def test_other_customer_cannot_see_nor_accept(self):
        self.login(self.outsider)
        quote = self.url_open(self.order.get_portal_url().split("?")[0])
        self.assertNotIn(self.order.name, quote.text)
        ticket_page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertNotIn("Informe de ventas por comercial", ticket_page.text)
        # Forged: the right id, without the token or with a made-up one.
        self.assertTrue(self.accept(self.order.id, name="Marta Ruiz").get("error"))
        forged = self.accept(self.order.id, name="Marta Ruiz", access_token="x" * 36)
        self.assertTrue(forged.get("error"))
        self.post(
            f"/my/orders/{self.order.id}/decline",
            {"decline_message": "No nos interesa", "access_token": "x" * 36},
        )
        self.order.invalidate_recordset()
        self.ticket.invalidate_recordset()
        self.assertEqual(self.order.state, "sent")
        self.assertEqual(self.ticket.estimate_state, "sent")
        self.assertEqual(self.ticket.priority, "2")

    def test_decline_with_reason_reaches_the_agent(self):
        self.team.estimate_decline_action = "return"
        self.login(self.designated)
        response = self.post(
            f"/my/orders/{self.order.id}/decline",
            {
                "decline_message": "Preferimos esperar al próximo trimestre",
                # The quotation page's form sends its access token.
                "access_token": self.order.access_token,
            },
        )
        self.assertIn(
            response.status_code,
            (302, 303),
            " ".join(html.fromstring(response.content).text_content().split())[-1500:],
        )
        self.order.invalidate_recordset()
        self.ticket.invalidate_recordset()
        self.assertEqual(self.order.state, "cancel")
        self.assertEqual(self.ticket.estimate_state, "rejected")
        self.assertEqual(
            self.ticket.estimate_decline_reason,
            "Preferimos esperar al próximo trimestre",
        )
        activity = self.ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref(
                    "qubiq_helpdesk_estimate_sale.mail_activity_type_estimate_declined"
                )
            )
        )
        self.assertEqual(activity.user_id, self.agent)
        self.assertTrue(
            any(
                "Preferimos esperar" in (m.body or "")
                for m in self.messages(self.ticket)
            )
        )
        self.assertFalse(self.ticket.stage_id.closed, "returned to the agent")

    def test_decline_closes_politely_per_team(self):
        self.team.estimate_decline_action = "close"
        self.login(self.designated)
        self.post(
            f"/my/orders/{self.order.id}/decline",
            {
                "decline_message": "Demasiado caro",
                "access_token": self.order.access_token,
            },
        )
        self.ticket.invalidate_recordset()
        self.assertTrue(self.ticket.stage_id.closed)
        self.assertEqual(self.ticket.estimate_state, "rejected")

    def test_acceptance_tour(self):
        self.start_tour(
            f"/my/ticket/{self.ticket.id}",
            "qubiq_estimate_accept_tour",
            login=self.designated.login,
        )
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.estimate_state, "approved")
        self.assertEqual(self.ticket.priority, "0")
        self.assertEqual(self.ticket.stage_id, self.stage_approved)
        self.assertEqual(
            self.ticket.estimate_approved_by_id, self.designated.partner_id
        )
