# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible

from .common import SIGNATURE


@tagged("post_install", "-at_install")
class TestIntervention(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # assertions read English messages; Spanish is checked on its own
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        cls.agent = new_test_user(
            cls.env,
            login="intervention_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,project.group_project_user",
        )
        cls.technician = new_test_user(
            cls.env, login="technician", groups="project.group_project_user"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Talleres Pérez", "is_company": True}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Ferretería Gómez", "is_company": True}
        )
        cls.portal_user = new_test_user(
            cls.env, login="perez_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_portal_user = new_test_user(
            cls.env, login="gomez_portal", groups="base.group_portal"
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_customer
        cls.project = cls.env["project.project"].create(
            {"name": "Field service", "privacy_visibility": "portal"}
        )
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
        cls.Task = cls.env["project.task"]

    def _form(self):
        action = self.ticket.with_user(self.agent).action_aftersales_intervention()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        return Form(Wizard.with_context(**action["context"]))

    @freeze_time("2025-03-10 09:00:00")
    def test_plan_intervention(self):
        form = self._form()
        self.assertEqual(form.name, self.ticket.name)
        self.assertEqual(form.project_id, self.project)
        self.assertEqual(form.user_ids[:], self.agent)
        form.planned_start = datetime.datetime(2025, 3, 12, 10, 0)
        form.user_ids.add(self.technician)
        form.save().action_create_task()
        task = self.ticket.intervention_task_ids
        self.assertEqual(task.project_id, self.project)
        self.assertEqual(task.partner_id, self.portal_user.partner_id)
        self.assertEqual(task.helpdesk_ticket_id, self.ticket)
        self.assertEqual(task.user_ids, self.agent + self.technician)
        self.assertEqual(
            task.intervention_planned_start, datetime.datetime(2025, 3, 12, 10, 0)
        )
        # the deadline is the end of the slot (one hour by default)
        self.assertEqual(task.date_deadline, datetime.datetime(2025, 3, 12, 11, 0))
        self.assertEqual(self.ticket.with_user(self.agent).intervention_task_count, 1)
        self.assertIn(task.name, self.ticket.message_ids[0].body)
        self.assertIn(self.portal_user.partner_id, task.message_partner_ids)
        # the report to sign is asked for by default; nothing to sign yet
        self.assertTrue(task.intervention_sign_required)
        self.assertEqual(task.intervention_state, "draft")
        action = self.ticket.with_user(
            self.agent
        ).action_view_aftersales_interventions()
        self.assertEqual(action["res_id"], task.id)

    def test_create_and_view_task(self):
        action = self._form().save().action_create_and_view_task()
        task = self.ticket.intervention_task_ids
        self.assertEqual(len(task), 1)
        self.assertEqual(action["res_model"], "project.task")
        self.assertEqual(action["res_id"], task.id)
        self.assertEqual(action["views"], [(False, "form")])

    def test_plan_without_signature(self):
        form = self._form()
        form.sign_required = False
        form.save().action_create_task()
        task = self.ticket.intervention_task_ids
        self.assertFalse(task.intervention_sign_required)
        self.assertEqual(task.intervention_state, "none")
        with self.assertRaises(ValidationError):
            task._intervention_sign("Ana Pérez", SIGNATURE)

    def test_signed_report_is_locked(self):
        self._form().save().action_create_task()
        task = self.ticket.intervention_task_ids.with_user(self.agent)
        task.intervention_report = "<p>Fan replaced.</p>"
        self.assertEqual(task.intervention_state, "draft")
        task.action_intervention_ready()
        self.assertEqual(task.intervention_state, "to_sign")
        task.sudo()._intervention_sign("  Ana Pérez ", SIGNATURE)
        self.assertEqual(task.intervention_state, "signed")
        self.assertEqual(task.intervention_signed_by, "Ana Pérez")
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            task.intervention_report = "<p>Something else.</p>"
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            task.action_intervention_draft()
        with self.assertRaisesRegex(ValidationError, "not waiting for a signature"):
            task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        # the other fields of the task stay editable
        task.name = "Cooling check (done)"
        # a project manager removes the signature: the customer signs again
        manager = new_test_user(
            self.env, login="fs_manager", groups="project.group_project_manager"
        )
        task.with_user(manager).action_intervention_reset_signature()
        self.assertEqual(task.intervention_state, "to_sign")
        self.assertFalse(task.intervention_signed_by)
        self.assertIn("sign it again", task.message_ids[0].body)

    def test_portal_user_reads_intervention_fields(self):
        self._form().save().action_create_task()
        task = self.ticket.intervention_task_ids
        task.intervention_report = "<p>Fan replaced.</p>"
        task.action_intervention_ready()
        task.invalidate_recordset()
        values = task.with_user(self.portal_user).read(
            ["intervention_state", "intervention_report", "helpdesk_ticket_id"]
        )[0]
        self.assertEqual(values["intervention_state"], "to_sign")
        self.assertIn("Fan replaced.", values["intervention_report"])

    def test_task_visible_to_customer_portal_only(self):
        self._form().save().action_create_task()
        task = self.ticket.intervention_task_ids
        task.invalidate_recordset()
        self.assertEqual(
            task.with_user(self.portal_user).read(["name"])[0]["name"],
            self.ticket.name,
        )
        self.assertIn(
            task, self.Task.with_user(self.portal_user).search([("id", "=", task.id)])
        )
        self.assertFalse(
            self.Task.with_user(self.other_portal_user).search([("id", "=", task.id)])
        )
        with self.assertRaises(AccessError):
            task.with_user(self.other_portal_user).read(["name"])

    @freeze_time("2025-03-10 09:00:00")
    def test_past_date_refused(self):
        count = self.Task.search_count([])
        form = self._form()
        form.planned_start = datetime.datetime(2025, 3, 9, 10, 0)
        with self.assertRaisesRegex(ValidationError, "in the past"):
            form.save()
        self.assertEqual(self.Task.search_count([]), count)

    @freeze_time("2025-03-10 09:00:00")
    def test_past_date_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        count = self.Task.search_count([])
        action = self.ticket.with_user(self.agent).action_aftersales_intervention()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(lang="es_ES", **action["context"]))
        form.planned_start = datetime.datetime(2025, 3, 9, 10, 0)
        with self.assertRaisesRegex(ValidationError, "está en el pasado"):
            form.save()
        self.assertEqual(self.Task.search_count([]), count)

    def test_switch_off_refused(self):
        ticket = self.ticket.with_user(self.agent)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_intervention"))
        wizard = self._form().save()
        self.team.use_aftersales_intervention = False
        self.assertFalse(
            ticket_button_visible(ticket, "action_aftersales_intervention")
        )
        count = self.Task.search_count([])
        with self.assertRaisesRegex(UserError, "not enabled"):
            self.ticket.with_user(self.agent).action_aftersales_intervention()
        with self.assertRaisesRegex(UserError, "not enabled"):
            wizard.action_create_task()
        self.assertEqual(self.Task.search_count([]), count)
