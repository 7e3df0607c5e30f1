# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from email.message import EmailMessage

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SlaCase, madrid


class FloorCase(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env,
            login="sla_leader",
            name="Raquel Líder",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="sla_support_manager",
            name="Andrés Responsable",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        cls.team.user_id = cls.leader
        cls.company.write(
            {"qubiq_support_manager_id": cls.manager.id, "qubiq_sla_risk_threshold": 75}
        )

    def reply(self, ticket, when, user=None):
        with freeze_time(when):
            ticket.with_user(user or self.agent).message_post(
                body="Te respondemos en el ticket.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )


@tagged("post_install", "-at_install")
class TestQueue(FloorCase):
    def test_queue_order_deadline_priority_fifo_then_waiting_and_evolutivos(self):
        Ticket = self.env["helpdesk.ticket"]
        # Saturday and Sunday tickets both start counting on Monday 8:30: same
        # deadline, first in first out.
        with freeze_time(madrid(2026, 3, 7, 10, 0)):
            saturday = self.new_ticket(priority="1", name="Sábado")
        with freeze_time(madrid(2026, 3, 8, 18, 0)):
            sunday = self.new_ticket(priority="1", name="Domingo")
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            critica = self.new_ticket(priority="3", name="Crítica 9:00")
            normal = self.new_ticket(priority="1", name="Normal 9:00")
            waiting = self.new_ticket(priority="3", name="Esperando cliente")
            evolutivo = self.new_ticket(
                priority="3", ticket_type=self.evolutivo, name="Evolutivo"
            )
        with freeze_time(madrid(2026, 3, 9, 9, 5)):
            waiting.stage_id = self.stage_waiting
        with freeze_time(madrid(2026, 3, 9, 11, 0)):
            grave = self.new_ticket(priority="2", name="Grave 11:00")
        self.company.qubiq_sla_indicative_policy_id = False
        with freeze_time(madrid(2026, 3, 9, 11, 30)):
            no_sla = self.new_ticket(
                priority="3", partner=self.other_customer, name="Sin SLA"
            )
        # Normal 9:00 (6 h) and Grave 11:00 (4 h) are both due Monday 16:00: the
        # higher priority goes first even though it arrived later.
        self.assertEqual(normal.sla_response_deadline, madrid(2026, 3, 9, 16, 0))
        self.assertEqual(grave.sla_response_deadline, madrid(2026, 3, 9, 16, 0))
        self.assertEqual(saturday.sla_deadline, sunday.sla_deadline)
        mine = (
            saturday | sunday | critica | normal | waiting | evolutivo | grave | no_sla
        )
        queue = Ticket.search([("id", "in", mine.ids)], order=QUEUE_ORDER)
        self.assertEqual(
            queue.mapped("name"),
            [
                "Crítica 9:00",  # due 11:00
                "Sábado",  # due Monday 14:30, received first
                "Domingo",  # due Monday 14:30
                "Grave 11:00",  # due 16:00, priority Grave
                "Normal 9:00",  # due 16:00, priority Normal
                "Sin SLA",  # open, no deadline
                "Esperando cliente",  # nothing to do until the customer answers
                "Evolutivo",  # new requirements last
            ],
        )
        # The queue views sort exactly this way.
        for xmlid in ("ticket_view_tree_queue", "view_helpdesk_ticket_kanban_queue"):
            arch = self.env.ref(f"qubiq_helpdesk_sla.{xmlid}").get_combined_arch()
            self.assertIn(f'default_order="{QUEUE_ORDER}"', arch)

    def test_queue_action_shows_open_tickets_of_my_teams(self):
        action = self.env.ref("qubiq_helpdesk_sla.helpdesk_ticket_queue_action")
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            mine = self.new_ticket(priority="2")
            closed = self.new_ticket(priority="2")
            closed.stage_id = self.stage_done
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Otro equipo"})
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            other = self.new_ticket(priority="3", team_id=other_team.id)
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        domain = safe_eval(action.domain) + [("team_id.user_ids", "in", self.agent.id)]
        found = Ticket.search(domain + [("id", "in", (mine | closed | other).ids)])
        self.assertEqual(found, mine)

    def test_levels_start_at_the_team_entry_and_filter_by_agent_level(self):
        self.team.support_level = "2"
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        self.assertEqual(ticket.support_level, "2")
        Ticket = self.env["helpdesk.ticket"]
        junior = new_test_user(
            self.env, login="sla_junior", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        self.assertEqual(junior.helpdesk_support_level, "1")
        self.assertFalse(
            Ticket.with_user(junior).search(
                [("id", "=", ticket.id), ("sla_for_my_level", "=", True)]
            )
        )
        junior.helpdesk_support_level = "2"
        self.assertEqual(
            Ticket.with_user(junior).search(
                [("id", "=", ticket.id), ("sla_for_my_level", "=", True)]
            ),
            ticket,
        )


QUEUE_ORDER = "sla_queue_rank, sla_deadline, priority desc, create_date, id"


@tagged("post_install", "-at_install")
class TestEscalation(FloorCase):
    def activities(self, ticket):
        kind = self.env.ref("qubiq_helpdesk_sla.mail_activity_type_sla_escalation")
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def cron(self, when):
        with freeze_time(when):
            return self.env["qubiq.sla.clock"]._cron_escalate()

    def test_crossing_75_then_100_escalates_once_each(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        response = self.clock(ticket, "response")
        # Grave: 4 h response from 9:00 -> 13:00; 75% = 3 h -> 12:00.
        self.assertEqual(response.deadline, madrid(2026, 3, 9, 13, 0))
        self.assertEqual(response.risk_date, madrid(2026, 3, 9, 12, 0))
        self.assertEqual(ticket.support_level, "1")

        self.assertEqual(self.cron(madrid(2026, 3, 9, 11, 59)), 0)
        self.assertFalse(ticket.sla_at_risk)
        self.assertFalse(self.activities(ticket))

        self.assertEqual(self.cron(madrid(2026, 3, 9, 12, 1)), 1)
        self.assertEqual(response.escalation, "at_risk")
        self.assertTrue(ticket.sla_at_risk)
        self.assertEqual(ticket.support_level, "2")
        activity = self.activities(ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.leader)
        self.assertIn("at risk", activity.summary)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "SLA at risk" in (m.body or ""))),
            1,
        )
        # Running again (or after a restart) changes nothing.
        self.assertEqual(self.cron(madrid(2026, 3, 9, 12, 30)), 0)
        self.assertEqual(len(self.activities(ticket)), 1)

        manager_inbox = self.env["mail.message"].search_count(
            [("partner_ids", "in", self.manager.partner_id.ids)]
        )
        self.assertEqual(self.cron(madrid(2026, 3, 9, 13, 1)), 1)
        self.assertEqual(response.escalation, "breached")
        self.assertEqual(ticket.support_level, "3")
        self.assertTrue(ticket.sla_breached)
        activities = self.activities(ticket)
        self.assertEqual(len(activities), 2)
        self.assertEqual((activities - activity).user_id, self.manager)
        notice = self.env["mail.message"].search(
            [("partner_ids", "in", self.manager.partner_id.ids)], order="id desc"
        )
        self.assertEqual(len(notice), manager_inbox + 1)
        self.assertIn(ticket.number, notice[0].body)
        self.assertEqual(self.cron(madrid(2026, 3, 9, 16, 0)), 0)
        self.assertEqual(len(self.activities(ticket)), 2)
        # The resolution clock escalates on its own thresholds later (36 h of 48 h),
        # without raising the level any further or touching the response clock.
        self.assertEqual(self.cron(madrid(2026, 3, 13, 15, 0)), 1)
        self.assertEqual(self.clock(ticket, "resolution").escalation, "at_risk")
        self.assertEqual(ticket.support_level, "3")

    def test_answered_or_paused_clocks_do_not_escalate(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            answered = self.new_ticket(priority="2")
            paused = self.new_ticket(priority="2")
        self.reply(answered, madrid(2026, 3, 9, 10, 0))
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            paused.stage_id = self.stage_waiting
        self.assertFalse(self.clock(paused, "response").risk_date)
        self.assertEqual(self.cron(madrid(2026, 3, 9, 16, 0)), 0)
        self.assertEqual(answered.support_level, "1")
        self.assertFalse(self.activities(answered | paused))

    def test_team_without_leader_goes_to_the_support_manager(self):
        self.team.user_id = False
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="3")
        self.cron(madrid(2026, 3, 9, 10, 40))
        self.assertEqual(self.activities(ticket).user_id, self.manager)

    def test_cron_queries_do_not_grow_with_the_number_of_tickets(self):
        def escalate(count):
            with freeze_time(madrid(2026, 3, 9, 9, 0)):
                tickets = (
                    self.env["helpdesk.ticket"]
                    .with_context(tracking_disable=True, mail_create_nolog=True)
                    .create(
                        [
                            {
                                "name": f"Ticket {i}",
                                "description": "<p>Sin descripción</p>",
                                "team_id": self.team.id,
                                "partner_id": self.contact.id,
                                "type_id": self.incidencia.id,
                                "priority": "2",
                            }
                            for i in range(count)
                        ]
                    )
                )
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(madrid(2026, 3, 9, 12, 30)):
                before = self.env.cr.sql_log_count
                escalated = self.env["qubiq.sla.clock"]._cron_escalate()
                self.env.flush_all()
                queries = self.env.cr.sql_log_count - before
            self.assertEqual(escalated, count)
            self.assertTrue(all(t.support_level == "2" for t in tickets))
            return queries

        escalate(5)  # warm the caches (xml ids, selections, defaults)
        small = escalate(100)
        large = escalate(1000)
        # Reads and updates are one statement per batch whatever its size; the only
        # growth is the ORM inserting notes, activities and followers 100 rows per
        # INSERT statement: 3 statements per 100 tickets.
        self.assertLessEqual(
            large - small, 3 * 9, f"100 tickets: {small}, 1000: {large}"
        )
        self.assertLess(large, 100)


@tagged("post_install", "-at_install")
class TestComplianceReport(FloorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["qubiq.sla.report"].search([]).clock_id.ticket_id.unlink()

    def _story(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            grave = self.new_ticket(priority="2", name="Grave")
            normal = self.new_ticket(priority="1", name="Normal")
            critica = self.new_ticket(priority="3", name="Crítica")
            self.new_ticket(priority="3", ticket_type=self.evolutivo, name="Evolutivo")
            indicative = self.new_ticket(
                priority="2", partner=self.other_customer, name="Sin contrato"
            )
        self.reply(grave, madrid(2026, 3, 9, 10, 0))  # 1 h: met (4 h)
        self.reply(indicative, madrid(2026, 3, 9, 10, 30))  # 1.5 h: met (6 h)
        self.reply(normal, madrid(2026, 3, 10, 9, 0))  # 8 h: missed (6 h)
        with freeze_time(madrid(2026, 3, 10, 9, 0)):
            grave.stage_id = self.stage_done  # resolved in 8 h (48 h)
        return grave, normal, critica, indicative

    def test_report_figures(self):
        self._story()
        Report = self.env["qubiq.sla.report"]
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            rows = Report.read_group(
                [("indicative", "=", False), ("kind", "=", "response")],
                ["nbr:sum", "met_count:sum", "breached_count:sum", "met_rate:avg"]
                + ["reached_hours:avg"],
                [],
            )
            (row,) = rows
            # Grave met, Normal missed, Crítica still running past 11:00.
            self.assertEqual(row["nbr"], 3)
            self.assertEqual(row["met_count"], 1)
            self.assertEqual(row["breached_count"], 2)
            self.assertAlmostEqual(row["met_rate"], 100 / 3)
            self.assertAlmostEqual(row["reached_hours"], 4.5)  # (1 h + 8 h) / 2
            resolution = Report.read_group(
                [("indicative", "=", False), ("kind", "=", "resolution")],
                ["nbr:sum", "met_count:sum", "reached_hours:avg"],
                [],
            )[0]
            self.assertEqual((resolution["nbr"], resolution["met_count"]), (3, 1))
            self.assertAlmostEqual(resolution["reached_hours"], 8.0)
            indicative = Report.search([("indicative", "=", True)])
            self.assertEqual(set(indicative.mapped("kind")), {"resolution", "response"})
            self.assertFalse(Report.search([("type_id", "=", self.evolutivo.id)]))

    def test_compliance_summary_by_priority_and_by_team(self):
        self._story()
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            wizard = self.env["qubiq.sla.compliance"].create(
                {
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                    "group_by": "team",
                }
            )
            wizard.action_compute()
        contractual = wizard.line_ids.filtered(
            lambda line: not line.indicative and line.kind == "response"
        )
        self.assertEqual(contractual.name, "Soporte")
        self.assertEqual(
            (
                contractual.count,
                contractual.met,
                contractual.missed,
                contractual.overdue,
            ),
            (2, 1, 1, 1),
        )
        self.assertAlmostEqual(contractual.met_rate, 100 / 3)
        self.assertAlmostEqual(contractual.mean_hours * 60, 270)  # 4 h 30 min
        # 90th percentile of 60 and 480 min: 60 + 0.9 * 420 = 438 min.
        self.assertAlmostEqual(contractual.p90_hours * 60, 438)
        indicative = wizard.line_ids.filtered(
            lambda line: line.indicative and line.kind == "response"
        )
        self.assertEqual((indicative.count, indicative.met), (1, 1))
        self.assertAlmostEqual(indicative.mean_hours * 60, 90)

        wizard.group_by = "priority"
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            wizard.action_compute()
        response = wizard.line_ids.filtered(
            lambda line: not line.indicative and line.kind == "response"
        )
        self.assertEqual(response.mapped("name"), ["Critical", "Serious", "Normal"])
        self.assertEqual(response.mapped("overdue"), [1, 0, 0])
        self.assertEqual(response.mapped("met_rate"), [0.0, 100.0, 0.0])

    def test_customer_pdf_and_empty_period(self):
        self._story()
        wizard = self.env["qubiq.sla.compliance"].create(
            {
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
                "partner_id": self.customer.id,
            }
        )
        self.assertEqual(wizard.contract_id, self.contract)
        self.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "qubiq_helpdesk_sla.report_sla_compliance"
        )
        # The customer reads it in their language.
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer.lang = "es_ES"
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "qubiq_helpdesk_sla.report_sla_compliance", wizard.ids
        )[0].decode()
        self.assertIn("Cumplimiento del contrato de mantenimiento", html)
        self.assertIn("Mantenimiento Ebro", html)
        self.assertIn("Muebles Ebro S.L.", html)
        self.assertIn("Respuesta", html)
        self.assertIn("Grave", html)
        self.assertNotIn("res.partner(", html)
        # Only this customer's tickets: the one without contract is not there.
        self.assertNotIn("Objetivos orientativos", html)
        empty = self.env["qubiq.sla.compliance"].create(
            {"date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        with self.assertRaisesRegex(Exception, "Period: no ticket under SLA"):
            empty.action_print()
        self.assertFalse(empty.line_ids)


@tagged("post_install", "-at_install")
class TestPhoneAndQuality(FloorCase):
    def test_phone_call_becomes_a_ticket_in_four_fields(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            form = Form(self.env["qubiq.helpdesk.phone.ticket"].with_user(self.agent))
            form.partner_id = self.customer
            form.contact_id = self.contact
            form.name = "No podemos entrar en Odoo: el servidor no responde"
            form.priority = "3"
            self.assertIn("whole service", form.priority_description)
            action = form.save().action_create()
        ticket = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.channel, "phone")
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.type_id, self.incidencia)
        self.assertEqual(ticket.user_id, self.agent)
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 11, 0))

    def test_caller_of_another_customer_is_refused(self):
        other_contact = self.env["res.partner"].create(
            {"name": "Marta Ruiz", "parent_id": self.other_customer.id}
        )
        wizard = self.env["qubiq.helpdesk.phone.ticket"].create(
            {
                "partner_id": self.customer.id,
                "contact_id": other_contact.id,
                "name": "Llamada",
                "team_id": self.team.id,
            }
        )
        before = self.env["helpdesk.ticket"].search_count([])
        with self.assertRaisesRegex(Exception, "Caller"):
            wizard.action_create()
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)

    def test_checklist_hint_for_a_vague_portal_ticket(self):
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        vague = self.new_ticket(
            name="URGENTE NO PUEDO FACTURAR",
            description="<p>Se me ha repetido la factura COMP/0001</p>",
            channel_id=web.id,
        )
        self.assertIn("the user it happens with", vague.quality_hint)
        self.assertIn("the steps to reproduce it", vague.quality_hint)
        good = self.new_ticket(
            description="<p>Desde Contabilidad/Facturas de clientes he clicado en "
            "crear, he cambiado al diario de compras intracomunitarias y al validar me "
            "ha repetido el número anterior, con el usuario de Lucía.</p>"
            "<pre>Traceback (most recent call last): odoo.exceptions.UserError</pre>",
            channel_id=web.id,
        )
        self.assertFalse(good.quality_hint)
        # Tickets an agent typed in need no hint.
        self.assertFalse(self.new_ticket(description="<p>x</p>").quality_hint)

    def test_paused_ticket_says_how_much_working_time_is_left(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1")
        with freeze_time(madrid(2026, 3, 9, 10, 40)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            ticket.invalidate_recordset()
            self.assertFalse(ticket.sla_response_deadline)
            # 6 h target, 1 h 40 min used before the pause.
            self.assertEqual(
                ticket.sla_response_info,
                "Paused, waiting for the customer: 4 h 20 min of working time left",
            )
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            running = self.new_ticket(priority="3")
        with freeze_time(madrid(2026, 3, 9, 12, 30)):
            self.assertEqual(
                running.sla_response_info, "Overdue by 30 min of working time"
            )


@tagged("post_install", "-at_install")
class TestMailGateway(FloorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "qubiq.example.com"})
        cls.company.alias_domain_id = domain
        cls.team.write(
            {"alias_name": "soporte", "user_ids": [Command.link(cls.leader.id)]}
        )
        cls.customer_email = "lucia@ebro.example.com"

    def raw_mail(self, subject, body, msg_id, in_reply_to=None, attachment=None):
        message = EmailMessage()
        message["From"] = f"Lucía Gracia <{self.customer_email}>"
        message["To"] = "soporte@qubiq.example.com"
        message["Subject"] = subject
        message["Message-ID"] = msg_id
        message["Date"] = "Mon, 09 Mar 2026 09:00:00 +0100"
        if in_reply_to:
            message["In-Reply-To"] = in_reply_to
            message["References"] = in_reply_to
        message.set_content(body)
        if attachment:
            message.add_attachment(
                attachment[1], maintype="image", subtype="png", filename=attachment[0]
            )
        return message.as_string()

    def process(self, raw):
        return self.env["mail.thread"].message_process(False, raw)

    def test_new_thread_opens_a_ticket_and_replies_join_it(self):
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        ticket_id = self.process(
            self.raw_mail(
                "Error al validar la factura de compra nº 3",
                "Al validar la factura aparece el error «Número duplicado». Adjunto la "
                "captura de pantalla completa.",
                "<primer-correo@ebro.example.com>",
                attachment=("captura-pantalla-completa.png", png),
            )
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.name, "Error al validar la factura de compra nº 3")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.contact)
        # Waits in the queue rather than being assigned to the gateway's user.
        self.assertFalse(ticket.user_id)
        self.assertIn("Número duplicado", ticket.description)
        self.assertEqual(
            ticket.message_ids.attachment_ids.mapped("name"),
            ["captura-pantalla-completa.png"],
        )
        self.assertTrue(ticket.sla_clock_ids)
        count = self.env["helpdesk.ticket"].search_count([])
        again = self.process(
            self.raw_mail(
                "Re: Error al validar la factura de compra nº 3",
                "Os confirmo que también pasa con la nº 4.",
                "<segundo-correo@ebro.example.com>",
                in_reply_to="<primer-correo@ebro.example.com>",
            )
        )
        self.assertEqual(again, ticket.id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "también pasa" in (m.body or ""))
        )

    def test_mail_server_defaulting_to_tickets_opens_a_ticket(self):
        """An incoming mail server whose default model is the ticket (Odoo's
        fetchmail passes the model, no thread) opens a ticket for a new mail and
        files the answer on it, even when the mail is not addressed to an alias."""
        raw = self.raw_mail(
            "La impresora de etiquetas no imprime",
            "Desde esta mañana no sale ninguna etiqueta.",
            "<sin-alias@ebro.example.com>",
        ).replace("soporte@qubiq.example.com", "otra-cosa@ebro.example.com")
        ticket_id = self.env["mail.thread"].message_process("helpdesk.ticket", raw)
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.name, "La impresora de etiquetas no imprime")
        self.assertTrue(ticket.sla_clock_ids)
        reply = self.raw_mail(
            "Re: La impresora de etiquetas no imprime",
            "Ya sale alguna, pero cortada.",
            "<sin-alias-2@ebro.example.com>",
            in_reply_to="<sin-alias@ebro.example.com>",
        )
        again = self.env["mail.thread"].message_process("helpdesk.ticket", reply)
        self.assertEqual(again, ticket.id)

    def _closed_ticket(self, days_ago):
        ticket_id = self.process(
            self.raw_mail(
                "Permisos del usuario de almacén",
                "El usuario de almacén no ve el menú de Inventario.",
                "<antiguo@ebro.example.com>",
            )
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        departed = new_test_user(
            self.env, login="sla_departed", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        ticket.write({"user_id": departed.id, "stage_id": self.stage_done.id})
        ticket.closed_date -= timedelta(days=days_ago)
        departed.active = False
        return ticket

    def _late_reply(self):
        return self.process(
            self.raw_mail(
                "Re: Permisos del usuario de almacén",
                "Vuelve a pasar con el usuario nuevo de almacén.",
                "<respuesta-tardia@ebro.example.com>",
                in_reply_to="<antiguo@ebro.example.com>",
            )
        )

    def test_reply_to_a_long_closed_ticket_opens_a_linked_one_for_the_team(self):
        old = self._closed_ticket(days_ago=30)
        new_id = self._late_reply()
        self.assertNotEqual(new_id, old.id)
        new = self.env["helpdesk.ticket"].browse(new_id)
        self.assertEqual(new.origin_ticket_id, old)
        self.assertEqual(old.followup_ticket_ids, new)
        self.assertEqual(new.team_id, self.team)
        self.assertFalse(new.user_id)
        self.assertEqual(new.partner_id, self.contact)
        self.assertFalse(new.stage_id.closed)
        self.assertTrue(new.message_ids.filtered(lambda m: "Vuelve a pasar" in m.body))
        self.assertFalse(old.message_ids.filtered(lambda m: "Vuelve a pasar" in m.body))
        notice = new.message_ids.filtered(
            lambda m: "Follow-up of the closed ticket" in (m.body or "")
        )
        notified = notice.notification_ids.res_partner_id
        self.assertIn(self.agent.partner_id, notified)
        self.assertIn(self.leader.partner_id, notified)
        self.assertTrue(
            old.message_ids.filtered(lambda m: "answered this closed ticket" in m.body)
        )

    def test_reply_soon_after_closing_stays_in_the_ticket(self):
        old = self._closed_ticket(days_ago=2)
        self.assertEqual(self._late_reply(), old.id)

    def test_reopen_mode_reopens_and_unassigns_the_departed_agent(self):
        self.company.qubiq_closed_reply_mode = "reopen"
        old = self._closed_ticket(days_ago=30)
        self.assertEqual(self._late_reply(), old.id)
        self.assertFalse(old.stage_id.closed)
        self.assertFalse(old.user_id)
        notice = old.message_ids.filtered(lambda m: "open again" in (m.body or ""))
        self.assertIn(self.agent.partner_id, notice.notification_ids.res_partner_id)


@tagged("post_install", "-at_install")
class TestEscalationTracking(FloorCase):
    def test_level_change_is_tracked_on_the_escalation_note(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        with freeze_time(madrid(2026, 3, 9, 12, 1)):
            self.env["qubiq.sla.clock"]._cron_escalate()
        self.assertEqual(ticket.support_level, "2")
        note = ticket.message_ids.filtered(lambda m: "SLA at risk" in (m.body or ""))
        self.assertEqual(len(note), 1)
        tracking = note.sudo().tracking_value_ids
        self.assertEqual(tracking.field_id.name, "support_level")
        labels = dict(self.env["helpdesk.ticket"]._fields["support_level"].selection)
        self.assertEqual(tracking.old_value_char, labels["1"])
        self.assertEqual(tracking.new_value_char, labels["2"])


@tagged("post_install", "-at_install")
class TestLateReplies(TestMailGateway):
    def _reply(self, body, msg_id, headers=None, sender=None):
        raw = self.raw_mail(
            "Re: Permisos del usuario de almacén",
            body,
            msg_id,
            in_reply_to="<antiguo@ebro.example.com>",
        )
        if headers or sender:
            head, rest = raw.split("\n\n", 1)
            lines = head.split("\n")
            if sender:
                lines = [
                    f"From: {sender}" if h.startswith("From:") else h for h in lines
                ]
            raw = "\n".join(lines + list(headers or ())) + "\n\n" + rest
        return self.process(raw)

    def test_second_late_reply_joins_the_open_follow_up(self):
        old = self._closed_ticket(days_ago=30)
        first = self._late_reply()
        second = self._reply(
            "Y también con otro usuario.", "<otra-tardia@ebro.example.com>"
        )
        self.assertNotEqual(first, old.id)
        self.assertEqual(second, first)
        self.assertEqual(len(old.followup_ticket_ids), 1)

    def test_auto_reply_opens_no_follow_up(self):
        old = self._closed_ticket(days_ago=30)
        landed = self._reply(
            "Estoy fuera de la oficina hasta el lunes.",
            "<fuera-oficina@ebro.example.com>",
            headers=["Auto-Submitted: auto-replied"],
        )
        self.assertEqual(landed, old.id)
        self.assertFalse(old.followup_ticket_ids)
        self.assertTrue(old.stage_id.closed)

    def test_internal_author_opens_no_follow_up(self):
        old = self._closed_ticket(days_ago=30)
        self.leader.partner_id.email = "raquel@qubiq.example.com"
        landed = self._reply(
            "Nota interna: revisado con el cliente.",
            "<interno@qubiq.example.com>",
            sender="Raquel Líder <raquel@qubiq.example.com>",
        )
        self.assertEqual(landed, old.id)
        self.assertFalse(old.followup_ticket_ids)


@tagged("post_install", "-at_install")
class TestEscalationHygiene(FloorCase):
    def escalated(self, priority="2"):
        """A Grave ticket of Monday 9:00 (response due 13:00), escalated at risk at
        12:01 with the agent assigned."""
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority=priority)
            ticket.user_id = self.agent
        with freeze_time(madrid(2026, 3, 9, 12, 1)):
            self.env["qubiq.sla.clock"]._cron_escalate()
        self.assertTrue(ticket.sla_at_risk)
        return ticket

    def open_activities(self, ticket):
        kind = self.env.ref("qubiq_helpdesk_sla.mail_activity_type_sla_escalation")
        return ticket.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_answer_closes_the_escalation_activity(self):
        ticket = self.escalated()
        self.assertEqual(len(self.open_activities(ticket)), 1)
        with freeze_time(madrid(2026, 3, 9, 12, 30)):
            ticket.with_user(self.agent).message_post(
                body="Ya lo tenemos.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self.clock(ticket, "response").state, "met")
        self.assertFalse(self.open_activities(ticket))
        self.assertFalse(ticket.sla_at_risk)
        done = ticket.message_ids.filtered(
            lambda m: "No longer at risk" in (m.body or "")
        )
        self.assertEqual(len(done), 1)

    def test_pause_resets_the_flag_and_closes_the_activity(self):
        ticket = self.escalated()
        with freeze_time(madrid(2026, 3, 9, 12, 10)):
            ticket.stage_id = self.stage_waiting
        response = self.clock(ticket, "response")
        self.assertEqual(response.escalation, "none")
        self.assertFalse(ticket.sla_at_risk)
        self.assertFalse(self.open_activities(ticket))
        # Resumed the next morning: the cron escalates it again when it crosses 75%.
        with freeze_time(madrid(2026, 3, 10, 9, 0)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self.cron(madrid(2026, 3, 10, 9, 1)), 1)
        self.assertEqual(response.escalation, "at_risk")

    def test_retarget_away_from_risk_resets_the_flag(self):
        ticket = self.escalated()
        with freeze_time(madrid(2026, 3, 9, 12, 5)):
            # Normal: 6 h response from 9:00 -> 16:00; at risk from 14:30.
            ticket.priority = "1"
        self.assertEqual(self.clock(ticket, "response").escalation, "none")
        self.assertFalse(ticket.sla_at_risk)
        self.assertFalse(self.open_activities(ticket))

    def test_agent_is_told_and_unassigned_at_breach_when_the_company_says_so(self):
        self.company.qubiq_sla_unassign_on_breach = True
        ticket = self.escalated()
        note = ticket.message_ids.filtered(lambda m: "SLA at risk" in (m.body or ""))
        self.assertIn(self.agent.partner_id, note.notification_ids.res_partner_id)
        self.assertEqual(ticket.user_id, self.agent)
        self.cron(madrid(2026, 3, 9, 13, 1))
        self.assertFalse(ticket.user_id)
        breach = ticket.message_ids.filtered(lambda m: "SLA breached" in (m.body or ""))
        self.assertIn("Unassigned", breach.body)

    def cron(self, when):
        with freeze_time(when):
            return self.env["qubiq.sla.clock"]._cron_escalate()
