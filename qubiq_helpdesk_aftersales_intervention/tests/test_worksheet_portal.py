# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import activate_frontend_lang

from .common import PHOTO, SIGNATURE, create_worksheet_fixture, plan_intervention


@tagged("post_install", "-at_install")
class TestWorksheetPortal(HttpCase):
    """The customer reads the worksheet (answers, parts, time) and signs it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_frontend_lang(cls.env, "en_US")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        create_worksheet_fixture(cls)
        cls.portal_user = new_test_user(
            cls.env,
            login="ws_portal",
            name="Ana Pérez",
            email="ana.perez@talleres-perez.example.com",
            groups="base.group_portal",
            lang="en_US",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        other_customer = cls.env["res.partner"].create(
            {"name": "Ferretería Gómez", "is_company": True}
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="ws_other_portal",
            name="Luis Gómez",
            groups="base.group_portal",
            lang="en_US",
        )
        cls.other_portal_user.partner_id.parent_id = other_customer
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Till switches off",
                "description": "<p>x</p>",
                "team_id": cls.team.id,
                "partner_id": cls.portal_user.partner_id.id,
                "user_id": cls.agent.id,
            }
        )
        cls.task = plan_intervention(
            cls.ticket,
            cls.agent,
            name="Till check",
            user_ids=[Command.set(cls.technician.ids)],
        )
        answers = cls.task.worksheet_answer_ids
        answers[0].value_bool = True
        answers[1].value_text = "Power supply overheating: replaced."
        answers[3].value_image = PHOTO
        cls.task.intervention_part_ids = [
            Command.create({"product_id": cls.product.id, "quantity": 2}),
        ]
        cls.env["account.analytic.line"].create(
            {
                "task_id": cls.task.id,
                "project_id": cls.project.id,
                "employee_id": cls.employee.id,
                "name": "Repair",
                "date_time": datetime.datetime(2025, 3, 10, 9, 0),
                "unit_amount": 1.75,
            }
        )
        cls.task.action_intervention_ready()
        # another customer's intervention, with its own access token
        other_ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Door lock",
                "description": "<p>x</p>",
                "team_id": cls.team.id,
                "partner_id": cls.other_portal_user.partner_id.id,
            }
        )
        cls.other_task = plan_intervention(
            other_ticket, cls.agent, name="Lock check", worksheet_template_id=False
        )

    def test_customer_signs_the_worksheet(self):
        self.start_tour(
            f"/my/tasks/{self.task.id}",
            "qubiq_helpdesk_worksheet_sign",
            login="ws_portal",
        )
        task = self.task
        task.invalidate_recordset()
        self.assertEqual(task.intervention_state, "signed")
        self.assertEqual(task.intervention_signed_by, "Ana Pérez")
        # the customer gets the signed report by e-mail, from the company
        sent = task.message_ids.filtered(
            lambda msg: self.portal_user.partner_id in msg.partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent.author_id, (task.company_id or self.env.company).partner_id
        )
        self.assertIn("Signed intervention report", sent.subject)
        self.assertIn(
            self.portal_user.partner_id,
            sent.notification_ids.filtered(
                lambda notif: notif.notification_type == "email"
            ).res_partner_id,
        )
        self.assertEqual(len(sent.attachment_ids), 1)
        self.assertIn("Intervention", sent.attachment_ids.name)
        # the same report as the chatter's signature message
        signed = task.message_ids.filtered(
            lambda msg: "signed by Ana Pérez" in (msg.body or "")
        )
        self.assertEqual(signed.attachment_ids, sent.attachment_ids)
        # the worksheet is locked
        self.assertFalse(task.worksheet_answer_ids[2].value_bool)
        with self.assertRaisesRegex(Exception, "can no longer be changed"):
            task.worksheet_answer_ids[2].value_bool = True

    def test_worksheet_shown_before_signing(self):
        self.authenticate("ws_portal", "ws_portal")
        page = self.url_open(f"/my/tasks/{self.task.id}")
        self.assertEqual(page.status_code, 200)
        for text in (
            "Serial number checked",
            "Power supply overheating: replaced.",
            "Power supply 24 V",
            "Repair",
            "01:45",
            "Tomás Técnico",
            "Awaiting your signature",
        ):
            self.assertIn(text, page.text)

    def test_other_customer_cannot_see_nor_sign_the_worksheet(self):
        self.authenticate("ws_other_portal", "ws_other_portal")
        page = self.url_open(f"/my/tasks/{self.task.id}")
        self.assertTrue(page.url.endswith("/my"), page.url)
        self.assertNotIn("Power supply overheating", page.text)
        report = self.url_open(
            f"/my/tasks/{self.task.id}/intervention/report?report_type=html"
        )
        self.assertEqual(report.status_code, 404)
        self.assertNotIn("Power supply overheating", report.text)
        sign_url = f"/my/tasks/{self.task.id}/intervention/sign"
        result = self.make_jsonrpc_request(
            sign_url, {"name": "Luis Gómez", "signature": SIGNATURE}
        )
        self.assertEqual(
            result["error"], "This intervention does not exist or is not yours."
        )
        # the token of their own intervention does not open this one
        token = self.other_task._portal_ensure_token()
        result = self.make_jsonrpc_request(
            f"{sign_url}?access_token={token}",
            {"name": "Luis Gómez", "signature": SIGNATURE},
        )
        self.assertIn("error", result)
        report = self.url_open(
            f"/my/tasks/{self.task.id}/intervention/report"
            f"?report_type=html&access_token={token}"
        )
        self.assertEqual(report.status_code, 404)
        self.task.invalidate_recordset()
        self.assertFalse(self.task.intervention_signature)
        self.assertEqual(self.task.intervention_state, "to_sign")
