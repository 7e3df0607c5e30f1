# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from PIL import Image

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import activate_frontend_lang

from .common import SIGNATURE, create_portal_customers


@tagged("post_install", "-at_install")
class TestInterventionPortal(HttpCase):
    """The customer follows and signs their intervention in the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_frontend_lang(cls.env, "en_US")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.agent = new_test_user(
            cls.env,
            login="intervention_portal_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,project.group_project_user",
        )
        create_portal_customers(cls, "en_US")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Posventa",
                "use_aftersales_intervention": True,
                "intervention_project_id": cls.project.id,
                "user_ids": [Command.link(cls.agent.id)],
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Server room cooling",
                "description": "<p>Noise</p>",
                "team_id": cls.team.id,
                "partner_id": cls.portal_user.partner_id.id,
                "user_id": cls.agent.id,
            }
        )
        action = cls.ticket.with_user(cls.agent).action_aftersales_intervention()
        wizard = (
            cls.env[action["res_model"]]
            .with_user(cls.agent)
            .with_context(**action["context"])
            .create({"name": "Cooling check"})
        )
        wizard.action_create_task()
        cls.task = cls.ticket.intervention_task_ids
        cls.task.intervention_report = "<p>Fan replaced and tested.</p>"
        cls.task.action_intervention_ready()

    def _sign_url(self, task):
        return f"/my/tasks/{task.id}/intervention/sign"

    def test_customer_follows_and_signs_in_portal(self):
        self.assertEqual(self.task.intervention_state, "to_sign")
        self.start_tour(
            f"/my/ticket/{self.ticket.id}",
            "qubiq_helpdesk_intervention_sign",
            login="perez_portal",
        )
        task = self.task
        task.invalidate_recordset()
        self.assertEqual(task.intervention_state, "signed")
        self.assertTrue(task.intervention_signature)
        self.assertEqual(task.intervention_signed_by, "Ana Pérez")
        self.assertTrue(task.intervention_signed_on)
        signed_message = task.message_ids.filtered(
            lambda msg: "signed by Ana Pérez" in msg.body
        )
        self.assertEqual(signed_message.author_id, self.portal_user.partner_id)
        # the signed report is attached to the task (HTML in test mode)
        self.assertEqual(len(signed_message.attachment_ids), 1)
        self.assertIn("Intervention", signed_message.attachment_ids.name)
        # the ticket keeps the trail, noted in the customer's name
        note = self.ticket.message_ids[0]
        self.assertIn("signed by Ana Pérez", note.body)
        self.assertIn(f'data-oe-id="{task.id}"', note.body)
        self.assertEqual(note.author_id, self.portal_user.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_customer_reads_report_and_ticket_lists_task(self):
        self.authenticate("perez_portal", "perez_portal")
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("On-site Interventions", page.text)
        self.assertIn(f"/my/tasks/{self.task.id}", page.text)
        page = self.url_open(f"/my/tasks/{self.task.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Fan replaced and tested.", page.text)
        self.assertIn(self.ticket.number, page.text)  # link back to the ticket
        report = self.url_open(
            f"/my/tasks/{self.task.id}/intervention/report?report_type=html"
        )
        self.assertEqual(report.status_code, 200)
        self.assertIn("Fan replaced and tested.", report.text)
        self.assertIn("Not signed by the customer yet.", report.text)

    def test_other_customer_cannot_see_nor_sign(self):
        self.authenticate("gomez_portal", "gomez_portal")
        page = self.url_open(f"/my/tasks/{self.task.id}")
        # project's route sends unknown tasks back to the portal home
        self.assertTrue(page.url.endswith("/my"), page.url)
        self.assertNotIn("Fan replaced", page.text)
        self.assertNotIn("Cooling check", page.text)
        report = self.url_open(
            f"/my/tasks/{self.task.id}/intervention/report?report_type=html"
        )
        self.assertEqual(report.status_code, 404)
        self.assertNotIn("Fan replaced", report.text)
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Luis Gómez", "signature": SIGNATURE}
        )
        self.assertEqual(
            result["error"], "This intervention does not exist or is not yours."
        )
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertNotIn("Cooling check", page.text)
        self.task.invalidate_recordset()
        self.assertFalse(self.task.intervention_signature)
        self.assertEqual(self.task.intervention_state, "to_sign")

    def test_sign_refuses_bad_input(self):
        self.authenticate("perez_portal", "perez_portal")
        count = len(self.task.message_ids)
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Ana Pérez", "signature": ""}
        )
        self.assertIn("Draw or type your signature", result["error"])
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": " ", "signature": SIGNATURE}
        )
        self.assertIn("full name", result["error"])
        result = self.make_jsonrpc_request(
            self._sign_url(self.task),
            {"name": "Ana Pérez", "signature": "bm90IGFuIGltYWdl"},
        )
        self.assertIn("error", result)
        self.task.invalidate_recordset()
        self.assertFalse(self.task.intervention_signature)
        self.assertEqual(len(self.task.message_ids), count)
        # once signed, a second signature is refused
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Ana Pérez", "signature": SIGNATURE}
        )
        self.assertTrue(result["force_refresh"])
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Ana Pérez", "signature": SIGNATURE}
        )
        self.assertIn("not waiting for a signature", result["error"])

    def test_signature_is_stored_as_png(self):
        """Whatever the visitor posts, only a real image is kept, re-encoded as PNG:
        an SVG (which may carry a script) is refused."""
        self.authenticate("perez_portal", "perez_portal")
        svg = base64.b64encode(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(document.cookie)</script></svg>"
        ).decode()
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Ana Pérez", "signature": svg}
        )
        self.assertIn("error", result)
        self.task.invalidate_recordset()
        self.assertFalse(self.task.intervention_signature)
        jpeg = io.BytesIO()
        Image.new("RGB", (40, 20), "white").save(jpeg, format="JPEG")
        signature = base64.b64encode(jpeg.getvalue()).decode()
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": "Ana Pérez", "signature": signature}
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.task.invalidate_recordset()
        stored = base64.b64decode(self.task.intervention_signature)
        self.assertTrue(stored.startswith(b"\x89PNG\r\n\x1a\n"))

    def test_sign_with_access_token(self):
        """The e-mailed link (token, not logged in) signs in the customer's name."""
        url = self._sign_url(self.task)
        result = self.make_jsonrpc_request(
            f"{url}?access_token=wrong", {"name": "Ana", "signature": SIGNATURE}
        )
        self.assertIn("error", result)
        token = self.task._portal_ensure_token()
        result = self.make_jsonrpc_request(
            f"{url}?access_token={token}",
            {"name": "Ana Pérez", "signature": SIGNATURE},
        )
        self.assertTrue(result["force_refresh"])
        self.task.invalidate_recordset()
        self.assertEqual(self.task.intervention_state, "signed")
        signed = self.task.message_ids.filtered(
            lambda msg: "signed by Ana Pérez" in (msg.body or "")
        )
        self.assertEqual(signed.author_id, self.task.partner_id)
        self.assertEqual(self.ticket.message_ids[0].author_id, self.task.partner_id)
        # the task's customer gets the signed report by e-mail
        sent = self.task.message_ids[0]
        self.assertIn(self.task.partner_id, sent.partner_ids)
        self.assertEqual(sent.attachment_ids, signed.attachment_ids)

    def test_spanish_error(self):
        activate_frontend_lang(self.env, "es_ES")
        self.portal_user.lang = "es_ES"
        self.authenticate("perez_portal", "perez_portal")
        result = self.make_jsonrpc_request(
            self._sign_url(self.task), {"name": " ", "signature": SIGNATURE}
        )
        self.assertIn("nombre completo", result["error"])
