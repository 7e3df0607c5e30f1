# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PHOTO, SIGNATURE, create_worksheet_fixture, plan_intervention


@tagged("post_install", "-at_install")
class TestWorksheet(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        create_worksheet_fixture(cls)
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Till switches off",
                "description": "<p>Several times a day</p>",
                "team_id": cls.team.id,
                "partner_id": cls.customer.id,
                "user_id": cls.agent.id,
            }
        )

    def _plan(self, **values):
        values.setdefault("name", "Till check")
        values.setdefault("user_ids", [Command.set(self.technician.ids)])
        return plan_intervention(self.ticket, self.agent, **values)

    def _fill(self, task):
        answers = task.worksheet_answer_ids
        answers.filtered(lambda a: a.question_id == self.q_serial).value_bool = True
        answers.filtered(
            lambda a: a.question_id == self.q_diagnosis
        ).value_text = "Power supply overheating: replaced."
        answers.filtered(lambda a: a.question_id == self.q_photo).value_image = PHOTO

    def _log(self, task, start, hours, name="On site"):
        return (
            self.env["account.analytic.line"]
            .with_user(self.technician)
            .create(
                {
                    "task_id": task.id,
                    "project_id": task.project_id.id,
                    "employee_id": self.employee.id,
                    "name": name,
                    "date_time": start,
                    "unit_amount": hours,
                }
            )
        )

    # ------------------------------------------------------------ templates

    def test_template_copied_onto_the_intervention(self):
        task = self._plan()
        self.assertEqual(task.worksheet_template_id, self.template)
        answers = task.worksheet_answer_ids
        self.assertEqual(answers.question_id, self.template.question_ids)
        self.assertEqual(
            [(a.name, a.kind, a.required) for a in answers],
            [
                ("Serial number checked", "checkbox", True),
                ("Diagnosis", "text", True),
                ("Cables tidied", "checkbox", False),
                ("Photo of the unit", "photo", False),
            ],
        )
        self.assertFalse(any(answers.mapped("answered")))
        self.assertEqual(task.worksheet_missing_count, 2)
        # the answers keep the wording the technician answered
        self.q_diagnosis.name = "Diagnosis and work done"
        self.assertEqual(answers[1].name, "Diagnosis")

    def test_team_template_overrides_the_project(self):
        other = self.env["qubiq.worksheet.template"].create(
            {
                "name": "Installation",
                "question_ids": [
                    Command.create({"name": "Installed", "required": True})
                ],
            }
        )
        self.team.intervention_worksheet_template_id = other
        action = self.ticket.with_user(self.agent).action_aftersales_intervention()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        self.assertEqual(form.worksheet_template_id, other)
        form.save().action_create_task()
        task = self.ticket.intervention_task_ids
        self.assertEqual(task.worksheet_template_id, other)
        self.assertEqual(task.worksheet_answer_ids.mapped("name"), ["Installed"])

    def test_no_template_chosen_in_the_wizard(self):
        task = self._plan(worksheet_template_id=False)
        self.assertFalse(task.worksheet_template_id)
        self.assertFalse(task.worksheet_answer_ids)

    def test_task_of_the_project_gets_its_template(self):
        task = self.env["project.task"].create(
            {"name": "Yearly check", "project_id": self.project.id}
        )
        self.assertEqual(len(task.worksheet_answer_ids), 4)
        copy = task.copy()
        self.assertEqual(copy.worksheet_template_id, self.template)
        self.assertEqual(len(copy.worksheet_answer_ids), 4)
        self.assertNotEqual(copy.worksheet_answer_ids, task.worksheet_answer_ids)

    def test_changing_the_template_replaces_the_questions(self):
        task = self._plan()
        kept = task.worksheet_answer_ids.filtered(
            lambda a: a.question_id == self.q_serial
        )
        kept.value_bool = True
        other = self.env["qubiq.worksheet.template"].create(
            {"name": "Short", "question_ids": [Command.create({"name": "Tested"})]}
        )
        task.worksheet_template_id = other
        self.assertEqual(task.worksheet_answer_ids.mapped("name"), ["Tested"])
        self.assertFalse(kept.exists())

    # --------------------------------------------- required answers, locking

    def test_required_answers_block_the_signature_step(self):
        task = self._plan().with_user(self.technician)
        self.assertEqual(task.intervention_state, "draft")
        with self.assertRaises(UserError) as error:
            task.action_intervention_ready()
        message = error.exception.args[0]
        self.assertIn("not complete", message)
        self.assertIn("- Serial number checked", message)
        self.assertIn("- Diagnosis", message)
        self.assertNotIn("Cables tidied", message)
        self.assertNotIn("Photo of the unit", message)
        self.assertEqual(task.intervention_state, "draft")
        # a blank text is no answer
        task.worksheet_answer_ids[1].value_text = "   "
        task.worksheet_answer_ids[0].value_bool = True
        with self.assertRaisesRegex(UserError, "- Diagnosis"):
            task.action_intervention_ready()
        task.worksheet_answer_ids[1].value_text = "Fan replaced"
        task.action_intervention_ready()
        self.assertEqual(task.intervention_state, "to_sign")
        # cleared after "ready": the customer cannot sign it
        task.worksheet_answer_ids[0].value_bool = False
        with self.assertRaisesRegex(UserError, "Serial number checked"):
            task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        self.assertFalse(task.intervention_signature)
        # and back to draft to complete it
        task.action_intervention_draft()
        self.assertEqual(task.intervention_state, "draft")

    def test_required_answers_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        task = self._plan().with_user(self.technician).with_context(lang="es_ES")
        with self.assertRaises(UserError) as error:
            task.action_intervention_ready()
        message = error.exception.args[0]
        self.assertIn("La hoja de trabajo", message)
        self.assertIn("- Serial number checked", message)

    def test_empty_report_cannot_be_signed(self):
        task = self._plan(worksheet_template_id=False)
        with self.assertRaisesRegex(UserError, "is empty"):
            task.action_intervention_ready()

    def test_without_signature_nothing_to_make_ready(self):
        task = self._plan(sign_required=False)
        with self.assertRaisesRegex(UserError, "Customer Signature"):
            task.action_intervention_ready()

    def test_worksheet_locked_once_signed(self):
        task = self._plan().with_user(self.technician)
        self._fill(task)
        task.intervention_part_ids = [Command.create({"product_id": self.product.id})]
        line = self._log(task, datetime.datetime(2025, 3, 10, 9, 0), 1.0)
        task.action_intervention_ready()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        answer = task.worksheet_answer_ids[0]
        part = task.intervention_part_ids
        locked = "can no longer be changed"
        with self.assertRaisesRegex(UserError, locked):
            answer.value_bool = False
        with self.assertRaisesRegex(UserError, locked):
            answer.unlink()
        with self.assertRaisesRegex(UserError, locked):
            task.worksheet_answer_ids = [Command.create({"name": "Added later"})]
        with self.assertRaisesRegex(UserError, locked):
            task.worksheet_template_id = False
        with self.assertRaisesRegex(UserError, locked):
            part.quantity = 3
        with self.assertRaisesRegex(UserError, locked):
            part.unlink()
        with self.assertRaisesRegex(UserError, locked):
            self.env["qubiq.intervention.part"].create(
                {"task_id": task.id, "product_id": self.product.id}
            )
        with self.assertRaisesRegex(UserError, locked):
            line.unit_amount = 2.0
        with self.assertRaisesRegex(UserError, locked):
            line.unlink()
        with self.assertRaisesRegex(UserError, locked):
            self._log(task, datetime.datetime(2025, 3, 10, 12, 0), 0.5)
        self.assertTrue(line.readonly_timesheet)
        # the rest of the task stays editable
        task.name = "Till check (done)"
        # a project manager removes the signature: everything opens again
        manager = new_test_user(
            self.env, login="ws_manager", groups="project.group_project_manager"
        )
        task.with_user(manager).action_intervention_reset_signature()
        answer.value_text = "note"
        part.quantity = 3
        line.unit_amount = 2.0
        self.assertEqual(task.intervention_state, "to_sign")

    # ---------------------------------------------------------------- parts

    def test_parts_used(self):
        task = self._plan()
        uom_unit = self.env.ref("uom.product_uom_unit")
        uom_dozen = self.env.ref("uom.product_uom_dozen")
        form = Form(task.with_user(self.technician))
        with form.intervention_part_ids.new() as part:
            part.product_id = self.product
            self.assertEqual(part.name, "Power supply 24 V")
            self.assertEqual(part.quantity, 1.0)
            part.quantity = 2
            part.billable = False
        form.save()
        part = task.intervention_part_ids
        self.assertEqual(
            (part.product_id, part.quantity, part.product_uom_id, part.billable),
            (self.product, 2.0, uom_unit, False),
        )
        part.product_uom_id = uom_dozen
        with self.assertRaisesRegex(ValidationError, "choose a unit"):
            part.product_uom_id = self.env.ref("uom.product_uom_kgm")
        # parts are part of the report: they make it non-empty
        task.worksheet_template_id = False
        task.action_intervention_ready()
        self.assertEqual(task.intervention_state, "to_sign")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            part.quantity = 0

    # ----------------------------------------------------------------- time

    def test_time_spent_on_the_worksheet(self):
        task = self._plan()
        self.assertFalse(task.worksheet_start)
        self._log(task, datetime.datetime(2025, 3, 10, 11, 0), 0.5, "Tests")
        first = self._log(task, datetime.datetime(2025, 3, 10, 9, 0), 1.25, "Repair")
        # the time on site is time on the ticket
        self.assertEqual(first.ticket_id, self.ticket)
        self.assertEqual(task.timesheet_ids.ticket_id, self.ticket)
        self.assertIn(first, self.ticket.timesheet_ids)
        self.assertAlmostEqual(self.ticket.total_hours, 1.75)
        task.invalidate_recordset()
        self.assertEqual(task.worksheet_start, datetime.datetime(2025, 3, 10, 9, 0))
        self.assertEqual(task.worksheet_end, datetime.datetime(2025, 3, 10, 11, 30))
        self.assertAlmostEqual(task.worksheet_hours, 1.75)
        self.assertEqual(
            task._worksheet_timesheets().mapped("name"), ["Repair", "Tests"]
        )
        self.assertEqual(task.worksheet_technician_ids, self.technician)
        # without assignees, the technicians are who logged the time
        task.user_ids = False
        self.assertEqual(task.worksheet_technician_ids, self.technician)

    def test_ticket_project_change_keeps_time_on_the_intervention(self):
        task = self._plan()
        line = self._log(task, datetime.datetime(2025, 3, 10, 9, 0), 1.0)
        support = self.env["project.project"].create({"name": "Support"})
        self.ticket.project_id = support
        self.assertEqual(line.project_id, self.project)
        self.assertEqual(line.task_id, task)

    @freeze_time("2025-03-12 10:00:00")
    def test_time_consumes_the_hours_bank_when_installed(self):
        """With qubiq_hours_bank installed, the time on site is billed by the
        ticket's rules (here: no maintenance contract, so it consumes the
        customer's bank), as time logged on the ticket itself."""
        task = self._plan()
        line = self._log(task, datetime.datetime(2025, 3, 12, 8, 0), 1.0)
        self.assertEqual(line.ticket_id, self.ticket)
        if "hours_bank_id" not in line._fields:
            return  # the hours bank is not installed: nothing more to check
        self.assertEqual(line.hours_bank_id.partner_id, self.customer)
        self.assertTrue(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "no_contract")
