# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged, users

from odoo.addons.qubiq_helpdesk_sla.tests.role_matrix import open_menus

D = datetime.datetime
SLOT_TEMPLATE = "qubiq_helpdesk_aftersales_intervention.mail_template_intervention_slot"


@tagged("post_install", "-at_install")
class TestInterventionSchedule(TransactionCase):
    """Slot, technician, conflicts and the customer's mails of an intervention."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        # a "Team tickets" agent with project rights, not a helpdesk manager
        cls.agent = new_test_user(
            cls.env,
            login="schedule_agent",
            tz="Europe/Madrid",
            groups="helpdesk_mgmt.group_helpdesk_user_team,project.group_project_user",
        )
        cls.luis, cls.ana = (
            new_test_user(
                cls.env,
                login=login,
                name=name,
                tz="Europe/Madrid",
                groups="project.group_project_user",
            )
            for login, name in (
                ("luis_tech", "Luis Técnico"),
                ("ana_tech", "Ana Técnica"),
            )
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Talleres Pérez",
                "is_company": True,
                "street": "Calle Mayor 1",
                "city": "Zaragoza",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ana Pérez",
                "parent_id": cls.customer.id,
                "type": "contact",
                "email": "ana@talleres-perez.example.com",
                "tz": "Europe/Madrid",
                "lang": "en_US",
            }
        )
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
                "partner_id": cls.contact.id,
                "user_id": cls.agent.id,
            }
        )
        cls.Task = cls.env["project.task"]

    def _task(self, start, end, technician=None, **values):
        technician = technician or self.luis
        return self.Task.create(
            {
                "name": values.pop("name", "Intervention"),
                "project_id": self.project.id,
                "user_ids": [Command.set(technician.ids)],
                "intervention_planned_start": start,
                "intervention_planned_end": end,
                **values,
            }
        )

    def _slot_messages(self, task):
        """Messages of the task e-mailed to the ticket's contact."""
        return task.message_ids.filtered(lambda msg: self.contact in msg.partner_ids)

    # --- slot and technician ----------------------------------------------------

    def test_end_must_follow_start(self):
        task = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11))
        with self.assertRaisesRegex(
            ValidationError, "Planned End .* after .*Planned Start"
        ):
            task.intervention_planned_end = D(2025, 3, 12, 9)
        with self.assertRaisesRegex(
            ValidationError, "Planned End .* after .*Planned Start"
        ):
            task.intervention_planned_end = D(2025, 3, 12, 8)
        with self.assertRaisesRegex(
            ValidationError, "both a Planned Start and a Planned End"
        ):
            task.intervention_planned_end = False
        task.write(
            {"intervention_planned_start": False, "intervention_planned_end": False}
        )
        self.assertFalse(task.intervention_slot_display)

    def test_end_must_follow_start_in_spanish(self):
        task = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11)).with_context(
            lang="es_ES"
        )
        with self.assertRaisesRegex(ValidationError, "Fin previsto"):
            task.intervention_planned_end = D(2025, 3, 12, 8)

    def test_technician_is_an_assignee(self):
        task = self.Task.create(
            {
                "name": "Two assignees",
                "project_id": self.project.id,
                "user_ids": [Command.set([self.ana.id, self.luis.id])],
            }
        )
        self.assertEqual(task.intervention_technician_id, task.user_ids[:1])
        task.intervention_technician_id = self.agent
        self.assertIn(self.agent, task.user_ids)  # "My Tasks" of the technician
        task.user_ids = [Command.unlink(self.agent.id)]
        self.assertIn(task.intervention_technician_id, task.user_ids)
        task.user_ids = [Command.clear()]
        self.assertFalse(task.intervention_technician_id)

    # --- conflicts --------------------------------------------------------------

    def test_conflicts_exact(self):
        nine_to_eleven = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11))
        touching = self._task(D(2025, 3, 12, 11), D(2025, 3, 12, 12))
        one_minute = self._task(D(2025, 3, 12, 8), D(2025, 3, 12, 9, 1))
        other_technician = self._task(
            D(2025, 3, 12, 9), D(2025, 3, 12, 11), technician=self.ana
        )
        tasks = nine_to_eleven | touching | one_minute | other_technician
        self.assertEqual(tasks.mapped("intervention_conflict_count"), [1, 0, 1, 0])
        self.assertEqual(
            self.Task.search(
                [("id", "in", tasks.ids), ("intervention_conflict", "=", True)]
            ),
            nine_to_eleven | one_minute,
        )
        self.assertEqual(
            self.Task.search(
                [("id", "in", tasks.ids), ("intervention_conflict", "=", False)]
            ),
            touching | other_technician,
        )
        # a cancelled or archived intervention frees the slot (another
        # record's change: read again, as the web client does)
        one_minute.state = "1_canceled"
        tasks.invalidate_recordset(["intervention_conflict"])
        self.assertFalse(nine_to_eleven.intervention_conflict)
        self.assertFalse(one_minute.intervention_conflict)
        one_minute.state = "01_in_progress"
        tasks.invalidate_recordset(["intervention_conflict"])
        self.assertTrue(nine_to_eleven.intervention_conflict)
        one_minute.active = False
        tasks.invalidate_recordset(["intervention_conflict"])
        self.assertFalse(nine_to_eleven.intervention_conflict)
        # an unsaved move in the form counts
        with Form(touching.with_user(self.agent)) as form:
            form.intervention_planned_start = D(2025, 3, 12, 10)
            self.assertTrue(form.intervention_conflict)
            form.intervention_planned_start = D(2025, 3, 12, 11)
            self.assertFalse(form.intervention_conflict)

    def test_conflict_with_another_company_task(self):
        """The technician cannot be in two places: a task of another company
        that the agent may not read still flags the conflict."""
        other_company = self.env["res.company"].create({"name": "Qubiq Levante"})
        self.luis.write(
            {"company_ids": [Command.link(other_company.id)]},
        )
        other_project = self.env["project.project"].create(
            {"name": "Levante field service", "company_id": other_company.id}
        )
        foreign = self._task(
            D(2025, 3, 12, 10), D(2025, 3, 12, 12), project_id=other_project.id
        )
        self.assertEqual(foreign.company_id, other_company)
        mine = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11))
        mine_as_agent = mine.with_user(self.agent)
        self.assertEqual(mine_as_agent.intervention_conflict_count, 1)
        self.assertEqual(
            self.Task.with_user(self.agent).search(
                [
                    ("intervention_conflict", "=", True),
                    ("id", "in", (mine | foreign).ids),
                ]
            ),
            mine,
        )

    def test_conflict_compute_is_batched(self):
        tasks = self.Task.create(
            [
                {
                    "name": f"Slot {hour}",
                    "project_id": self.project.id,
                    "user_ids": [Command.set(self.luis.ids)],
                    "intervention_planned_start": D(2025, 3, 12, hour),
                    "intervention_planned_end": D(2025, 3, 12, hour + 1, 30),
                }
                for hour in range(4, 20)
            ]
        )
        tasks.invalidate_recordset()
        self.env.flush_all()
        with self.assertQueryCount(2):  # the batch's fields, the booked slots
            counts = tasks.mapped("intervention_conflict_count")
        self.assertEqual(counts, [1] + [2] * 14 + [1])

    # --- the creation wizard ----------------------------------------------------

    @freeze_time("2025-03-10 09:00:00")
    def test_wizard_asks_slot_and_technician(self):
        action = self.ticket.with_user(self.agent).action_aftersales_intervention()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(**action["context"]))
        self.assertEqual(form.technician_id, self.agent)
        form.planned_start = D(2025, 3, 12, 9)
        self.assertEqual(form.planned_end, D(2025, 3, 12, 10))  # one hour by default
        form.planned_end = D(2025, 3, 12, 11)
        form.user_ids.add(self.luis)
        form.technician_id = self.luis
        self.assertEqual(form.conflict_count, 0)
        busy = self._task(D(2025, 3, 12, 10), D(2025, 3, 12, 13)).sudo()
        form.planned_start = D(2025, 3, 12, 9, 30)  # end kept: 11:00
        self.assertEqual(form.conflict_count, 1)
        form.planned_start = D(2025, 3, 12, 9)
        busy.active = False
        form.technician_id = self.agent
        form.technician_id = self.luis
        self.assertEqual(form.conflict_count, 0)
        form.save().action_create_task()
        task = self.ticket.intervention_task_ids
        self.assertEqual(task.intervention_planned_start, D(2025, 3, 12, 9))
        self.assertEqual(task.intervention_planned_end, D(2025, 3, 12, 11))
        self.assertEqual(task.intervention_technician_id, self.luis)
        self.assertEqual(task.user_ids, self.agent | self.luis)
        self.assertEqual(task.date_deadline, D(2025, 3, 12, 11))
        # told once, in the customer's time zone (UTC+1 in March)
        (message,) = self._slot_messages(task)
        self.assertIn("Intervention scheduled", message.subject)
        self.assertIn("Wednesday, March 12, 2025, 10:00-12:00", message.body)
        self.assertIn("Europe/Madrid", message.body)
        self.assertIn("Luis Técnico", message.body)
        self.assertIn("Calle Mayor 1", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(
            message.notification_ids.filtered(
                lambda notif: notif.res_partner_id == self.contact
            ).notification_type,
            "email",
        )

    @freeze_time("2025-03-10 09:00:00")
    def test_wizard_refuses_reversed_slot(self):
        action = self.ticket.with_user(self.agent).action_aftersales_intervention()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(Wizard.with_context(**action["context"]))
        form.planned_start = D(2025, 3, 12, 9)
        form.planned_end = D(2025, 3, 12, 8)
        with self.assertRaisesRegex(ValidationError, "Planned End"):
            form.save()
        form.planned_start = D(2025, 3, 9, 9)
        form.planned_end = D(2025, 3, 9, 10)
        with self.assertRaisesRegex(ValidationError, "in the past"):
            form.save()

    # --- the customer's mails ---------------------------------------------------

    @freeze_time("2025-03-10 09:00:00")
    def test_mail_once_per_change(self):
        task = self._task(
            D(2025, 3, 12, 9),
            D(2025, 3, 12, 11),
            helpdesk_ticket_id=self.ticket.id,
            partner_id=self.contact.id,
        ).with_user(self.agent)
        self.assertEqual(len(self._slot_messages(task)), 1)
        # the same slot written again, or another field: no mail
        task.write(
            {
                "intervention_planned_start": D(2025, 3, 12, 9),
                "intervention_planned_end": D(2025, 3, 12, 11),
                "intervention_technician_id": self.luis.id,
            }
        )
        task.name = "Cooling check"
        task.user_ids = [Command.link(self.ana.id)]
        self.assertEqual(len(self._slot_messages(task)), 1)
        # moved (the calendar's drag and drop writes both ends)
        task.write(
            {
                "intervention_planned_start": D(2025, 3, 13, 15),
                "intervention_planned_end": D(2025, 3, 13, 16, 30),
            }
        )
        messages = self._slot_messages(task)
        self.assertEqual(len(messages), 2)
        self.assertIn("Intervention rescheduled", messages[0].subject)
        self.assertIn("has been <strong>rescheduled</strong>", messages[0].body)
        self.assertIn("Thursday, March 13, 2025, 16:00-17:30", messages[0].body)
        # another technician: the customer is told who comes
        task.intervention_technician_id = self.ana
        messages = self._slot_messages(task)
        self.assertEqual(len(messages), 3)
        self.assertIn("Ana Técnica", messages[0].body)
        # cancelled: told once; archiving it then says nothing more
        task.state = "1_canceled"
        messages = self._slot_messages(task)
        self.assertEqual(len(messages), 4)
        self.assertIn("Intervention cancelled", messages[0].subject)
        self.assertIn("Thursday, March 13, 2025, 16:00-17:30", messages[0].body)
        task.active = False
        self.assertEqual(len(self._slot_messages(task)), 4)

    @freeze_time("2025-03-10 09:00:00")
    def test_archived_intervention_tells_the_customer(self):
        task = self._task(
            D(2025, 3, 12, 9), D(2025, 3, 12, 11), helpdesk_ticket_id=self.ticket.id
        )
        task.active = False
        messages = self._slot_messages(task)
        self.assertEqual(len(messages), 2)
        self.assertIn("Intervention cancelled", messages[0].subject)

    @freeze_time("2025-07-10 09:00:00")
    def test_mail_in_the_customer_language_and_time_zone(self):
        self.contact.write({"lang": "es_ES", "tz": "Atlantic/Canary"})
        task = self._task(
            D(2025, 7, 16, 8), D(2025, 7, 16, 9, 30), helpdesk_ticket_id=self.ticket.id
        )
        (message,) = self._slot_messages(task)
        self.assertIn("Intervención programada", message.subject)
        # summer time in the Canaries: UTC+1
        self.assertIn("miércoles, 16 de julio de 2025, 09:00-10:30", message.body)
        self.assertIn("Atlantic/Canary", message.body)

    def test_no_mail_without_ticket_contact(self):
        task = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11))
        task.intervention_planned_end = D(2025, 3, 12, 12)
        self.assertFalse(task.message_ids.filtered(lambda msg: msg.partner_ids))

    # --- the planning screen ----------------------------------------------------

    @users("schedule_agent")
    def test_team_agent_opens_the_planning(self):
        self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11)).sudo()
        menu = self.env.ref(
            "qubiq_helpdesk_aftersales_intervention.project_task_schedule_menu"
        )
        self.assertIn(menu.id, self.env["ir.ui.menu"]._visible_menu_ids())
        self.assertEqual(open_menus(self.env), [])

    def test_planning_of_the_field_service_project(self):
        other = self.env["project.project"].create({"name": "Internal"})
        project = self.project.with_user(self.agent)
        self.assertTrue(project.is_intervention_project)
        self.assertFalse(other.with_user(self.agent).is_intervention_project)
        task = self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11))
        self._task(D(2025, 3, 12, 9), D(2025, 3, 12, 11), project_id=other.id)
        action = project.action_view_intervention_planning()
        self.assertEqual(action["res_model"], "project.task")
        self.assertEqual(
            self.Task.with_user(self.agent).search(
                [*action["domain"], ("intervention_planned_start", "!=", False)]
            ),
            task,
        )

    def test_agent_without_project_rights_does_not_see_the_planning(self):
        agent = new_test_user(
            self.env,
            login="schedule_agent_no_project",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        menu = self.env.ref(
            "qubiq_helpdesk_aftersales_intervention.project_task_schedule_menu"
        )
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(agent)._visible_menu_ids()
        )
        self.assertEqual(open_menus(self.env(user=agent)), [])
