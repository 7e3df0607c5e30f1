# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from lxml import html

from odoo import Command
from odoo.tests import Form, TransactionCase, tagged

from .common import PHOTO, SIGNATURE, create_worksheet_fixture, plan_intervention

REPORT = "qubiq_helpdesk_aftersales_intervention.action_report_intervention"


@tagged("post_install", "-at_install")
class TestWorksheetReport(TransactionCase):
    """The signed report shows the whole worksheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US", tz="UTC")
        )
        create_worksheet_fixture(cls)
        cls.env.user.tz = "UTC"
        cls.customer.lang = "en_US"
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Till switches off",
                "description": "<p>x</p>",
                "team_id": cls.team.id,
                "partner_id": cls.customer.id,
            }
        )
        cls.task = plan_intervention(
            ticket,
            cls.agent,
            name="Till check",
            user_ids=[Command.set(cls.technician.ids)],
        )
        answers = cls.task.worksheet_answer_ids
        answers[0].value_bool = True  # serial number checked
        answers[1].value_text = "Power supply overheating:\nreplaced."
        answers[3].value_image = PHOTO
        cls.task.intervention_part_ids = [
            Command.create({"product_id": cls.product.id, "quantity": 2}),
        ]
        Line = cls.env["account.analytic.line"]
        for start, hours, name in (
            (datetime.datetime(2025, 3, 10, 9, 0), 1.25, "Repair"),
            (datetime.datetime(2025, 3, 10, 10, 30), 0.5, "Tests with the customer"),
        ):
            Line.create(
                {
                    "task_id": cls.task.id,
                    "project_id": cls.project.id,
                    "employee_id": cls.employee.id,
                    "name": name,
                    "date_time": start,
                    "unit_amount": hours,
                }
            )
        cls.task.action_intervention_ready()
        cls.task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)

    def _render(self):
        content = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, self.task.ids
        )[0]
        return html.fromstring(content)

    def _text(self, root, name):
        nodes = root.xpath(f"//*[@name='{name}']")
        self.assertEqual(len(nodes), 1, name)
        return " ".join(nodes[0].text_content().split())

    def test_signed_report_content(self):
        root = self._render()
        self.assertIn("Tomás Técnico", self._text(root, "technicians"))
        self.assertFalse(root.xpath("//*[@name='worksheet_technicians']"))
        self.assertIn("03/10/2025 09:00", self._text(root, "worksheet_start"))
        self.assertIn("03/10/2025 11:00", self._text(root, "worksheet_end"))
        self.assertIn("01:45", self._text(root, "worksheet_hours"))
        answers = self._text(root, "worksheet_answers")
        self.assertIn("Serial number checked ✓ Yes", answers)
        self.assertIn("Cables tidied ✗ No", answers)
        self.assertIn("Diagnosis Power supply overheating: replaced.", answers)
        photos = root.xpath("//*[@name='worksheet_photo']")
        self.assertEqual(len(photos), 1)
        self.assertIn("Photo of the unit", photos[0].text_content())
        self.assertTrue(
            photos[0].xpath(".//img")[0].get("src").startswith("data:image/")
        )
        parts = self._text(root, "worksheet_parts")
        self.assertIn("Power supply 24 V", parts)
        self.assertIn("2.00 Units", parts)
        timesheets = self._text(root, "worksheet_timesheets")
        self.assertIn("Repair", timesheets)
        self.assertIn("Tests with the customer", timesheets)
        self.assertIn("01:15", timesheets)
        self.assertIn("00:30", timesheets)
        self.assertIn("Total 01:45", timesheets)
        signature = self._text(root, "signature")
        self.assertIn("Ana Pérez", signature)
        self.assertTrue(root.xpath("//*[@name='signature']//img"))
        self.assertFalse(root.xpath("//*[@name='not_signed']"))
        # no free report written: no empty "Work Done" title
        self.assertFalse(root.xpath("//*[@name='work_done']"))

    def test_report_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        self.task.partner_id.lang = "es_ES"
        root = self._render()
        self.assertIn("Hoja de trabajo", root.text_content())
        self.assertIn("Piezas utilizadas", root.text_content())
        self.assertIn("✓ Sí", self._text(root, "worksheet_answers"))

    def test_signed_report_mail_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.task.partner_id.lang = "es_ES"
        self.customer.email = "taller@perez.example.com"
        attachment = self.env["ir.attachment"].create(
            {
                "name": "Informe.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "project.task",
                "res_id": self.task.id,
            }
        )
        message = self.task._intervention_send_signed_report(self.customer, attachment)
        self.assertEqual(message.subject, "Informe de intervención firmado: Till check")
        self.assertIn("Gracias por firmar el informe", message.body)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.attachment_ids, attachment)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        # nobody without an e-mail address: nothing is sent
        self.customer.email = False
        self.assertFalse(
            self.task._intervention_send_signed_report(self.customer, attachment)
        )

    def test_project_user_without_timesheet_rights(self):
        """An agent with project but no timesheet rights opens the worksheet and
        prints the report, time included."""
        agent = self.agent
        self.assertFalse(agent.has_group("hr_timesheet.group_hr_timesheet_user"))
        task = self.task.with_user(agent)
        task.invalidate_recordset()
        self.assertAlmostEqual(task.worksheet_hours, 1.75)
        self.assertEqual(task.worksheet_technician_ids, self.technician)
        Form(task)  # the form view with its worksheet tab loads
        content = (
            self.env["ir.actions.report"]
            .with_user(agent)
            ._render_qweb_html(REPORT, task.ids)[0]
        )
        self.assertIn("Tests with the customer", content.decode())

    def test_templates_of_another_company_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other company"})
        hidden = self.env["qubiq.worksheet.template"].create(
            {"name": "Other company's check", "company_id": other_company.id}
        )
        Template = self.env["qubiq.worksheet.template"].with_user(self.agent)
        visible = Template.search([])
        self.assertIn(self.template, visible)
        self.assertNotIn(hidden, visible)
