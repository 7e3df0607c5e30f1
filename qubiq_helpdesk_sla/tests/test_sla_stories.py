# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..hooks import post_init_hook
from .common import SlaCase, madrid


@tagged("post_install", "-at_install")
class TestSlaStories(SlaCase):
    def test_grave_opened_friday_afternoon(self):
        with freeze_time(madrid(2026, 3, 6, 16, 30)):
            ticket = self.new_ticket(priority="2")
        # 1 h on Friday, 3 h on Monday; 48 h = six working days later at the same time.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 11, 30))
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 16, 16, 30))
        self.assertEqual(ticket.sla_deadline, madrid(2026, 3, 9, 11, 30))
        self.assertEqual(ticket.sla_contract_id, self.contract)
        self.assertFalse(ticket.sla_indicative)
        self.assertEqual(
            ticket.sla_history_ids.filtered(lambda h: h.kind == "response").reason,
            "start",
        )

    def test_critica_on_the_eve_of_a_holiday(self):
        # Thursday 2 April 2026 16:30; Friday 3 April is Good Friday.
        with freeze_time(madrid(2026, 4, 2, 16, 30)):
            ticket = self.new_ticket(priority="3")
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 4, 6, 9, 30))
        # 1 h Thursday + 8 h Monday + 8 h Tuesday + 7 h Wednesday (lunch 14-15).
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 4, 8, 16, 30))

    def test_paused_two_days_waiting_for_the_customer(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1")
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 17, 13, 0))
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            ticket.with_user(self.agent).message_post(
                body="¿Nos indicas el número de factura?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            ticket.with_user(self.agent).stage_id = self.stage_waiting
        self.assertTrue(ticket.sla_paused)
        self.assertEqual(self.clock(ticket, "response").state, "met")
        self.assertEqual(self.clock(ticket, "resolution").state, "paused")
        self.assertFalse(ticket.sla_resolution_deadline)
        self.assertEqual(ticket.sla_status, "paused")
        with freeze_time(madrid(2026, 3, 11, 10, 0)):
            ticket.message_post(
                body="Es la factura COMP/0001",
                author_id=self.contact.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(ticket.sla_paused)
        # 16 working hours paused (Mon 10:00-17:30, Tue, Wed 8:30-10:00) move the
        # resolution from Tuesday 17 13:00 to Thursday 19 13:00.
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 19, 13, 0))
        resumed = ticket.sla_history_ids.filtered(lambda h: h.reason == "resume")
        self.assertEqual(resumed.paused_minutes, 16 * 60)
        self.assertEqual(resumed.new_deadline, madrid(2026, 3, 19, 13, 0))

    def test_customer_reply_moves_stage_when_team_says_so(self):
        self.team.write(
            {
                "autoupdate_ticket_stage": True,
                "autopupdate_src_stage_ids": [(6, 0, self.stage_waiting.ids)],
                "autopupdate_dest_stage_id": self.stage_progress.id,
            }
        )
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1")
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(madrid(2026, 3, 11, 10, 0)):
            ticket.message_post(
                body="Respuesta desde el portal",
                author_id=self.contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertFalse(ticket.sla_paused)
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 19, 13, 0))

    def test_priority_raised_midway(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1")
        with freeze_time(madrid(2026, 3, 9, 10, 30)):
            ticket.with_user(self.agent).priority = "3"
        # Re-targeted from the ticket's start: 2 h response, 24 h resolution.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 11, 0))
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 12, 9, 0))
        line = ticket.sla_history_ids.filtered(
            lambda h: h.reason == "retarget" and h.kind == "resolution"
        )
        self.assertEqual(line.old_deadline, madrid(2026, 3, 17, 13, 0))
        self.assertEqual(line.new_deadline, madrid(2026, 3, 12, 9, 0))
        self.assertEqual(line.user_id, self.agent)
        self.assertIn("Critical", line.description)
        note = ticket.message_ids.filtered(
            lambda m: "SLA deadlines updated" in (m.body or "")
        )
        self.assertEqual(len(note), 1)

    def test_multi_edit_retargets_each_ticket_with_its_own_history(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            normal = self.new_ticket(priority="1")
            leve = self.new_ticket(priority="0")
        with freeze_time(madrid(2026, 3, 9, 10, 30)):
            (normal | leve).with_user(self.agent).write({"priority": "3"})
        for ticket in normal | leve:
            self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 11, 0))
            self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 12, 9, 0))
        line = normal.sla_history_ids.filtered(
            lambda h: h.reason == "retarget" and h.kind == "response"
        )
        self.assertIn("Normal → Critical", line.description)
        line = leve.sla_history_ids.filtered(
            lambda h: h.reason == "retarget" and h.kind == "response"
        )
        self.assertIn("Low → Critical", line.description)
        # Leve: 6 h from 9:00 = 9:00-14:00 and 15:00-16:00.
        self.assertEqual(line.old_deadline, madrid(2026, 3, 9, 16, 0))

    def test_evolutivo_has_no_clock_and_an_approval_flow(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2", ticket_type=self.evolutivo)
        self.assertFalse(ticket.sla_clock_ids)
        self.assertFalse(ticket.sla_response_deadline)
        self.assertEqual(ticket.sla_status, "none")
        with self.assertRaisesRegex(Exception, "Estimated hours"):
            ticket.action_estimate_send()
        ticket.estimate_hours = 12
        ticket.action_estimate_send()
        with freeze_time(madrid(2026, 3, 10, 12, 0)):
            ticket.action_estimate_approve()
        self.assertEqual(ticket.estimate_state, "approved")
        self.assertEqual(ticket.estimate_approved_by_id, self.contact)
        self.assertEqual(ticket.estimate_approved_date, madrid(2026, 3, 10, 12, 0))
        self.assertEqual(ticket.priority, "0")
        self.assertFalse(ticket.sla_clock_ids)

    def test_changing_to_evolutivo_cancels_the_clocks(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
            ticket.type_id = self.evolutivo
        self.assertEqual(set(ticket.sla_clock_ids.mapped("state")), {"cancelled"})
        self.assertFalse(ticket.sla_deadline)

    def test_customer_without_contract_gets_indicative_targets(self):
        contact = self.env["res.partner"].create(
            {"name": "Marta Ruiz", "parent_id": self.other_customer.id}
        )
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2", partner=contact)
        self.assertTrue(ticket.sla_indicative)
        self.assertFalse(ticket.sla_contract_id)
        # 4 h x 1.5 = 6 h: 9:00-14:00 and 15:00-16:00.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 16, 0))
        self.assertTrue(
            all(self.clock(ticket, k).indicative for k in ("response", "resolution"))
        )

    def test_no_indicative_policy_means_no_target(self):
        self.company.qubiq_sla_indicative_policy_id = False
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2", partner=self.other_customer)
        self.assertFalse(ticket.sla_clock_ids)
        self.assertFalse(ticket.sla_response_deadline)

    def test_internal_note_is_not_a_response(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="2")
        with freeze_time(madrid(2026, 3, 9, 9, 30)):
            ticket.with_user(self.agent).message_post(
                body="Nota interna: revisar secuencia", subtype_xmlid="mail.mt_note"
            )
        self.assertFalse(ticket.sla_first_response_date)
        self.assertEqual(self.clock(ticket, "response").state, "running")
        with freeze_time(madrid(2026, 3, 9, 11, 0)):
            ticket.with_user(self.agent).message_post(
                body="Hola Lucía, ya lo estamos revisando.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.sla_first_response_date, madrid(2026, 3, 9, 11, 0))
        response = self.clock(ticket, "response")
        self.assertEqual(response.state, "met")
        self.assertEqual(response.reached_minutes, 120)

    def test_late_response_is_missed_and_breached(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="3")
        with freeze_time(madrid(2026, 3, 9, 12, 0)):
            self.assertTrue(ticket.sla_breached)
            self.assertIn(ticket, ticket.search([("sla_breached", "=", True)]))
            ticket.with_user(self.agent).message_post(
                body="Ya estamos",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self.clock(ticket, "response").state, "missed")

    def test_close_then_reopen_restarts_resolution_where_it_stopped(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1")
        with freeze_time(madrid(2026, 3, 9, 12, 0)):
            ticket.stage_id = self.stage_done
        resolution = self.clock(ticket, "resolution")
        self.assertEqual(resolution.state, "met")
        self.assertEqual(resolution.reached_minutes, 180)
        self.assertFalse(ticket.sla_deadline)
        # Reopened Wednesday 9:00: the 3 h consumed count, the closed time does not.
        with freeze_time(madrid(2026, 3, 11, 9, 0)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(resolution.state, "running")
        # 49 h left from Wednesday 9:00: Wed 7.5, Thu, Fri, Mon, Tue 8 -> 39.5,
        # Wednesday 18th 8 -> 47.5, Thursday 19th 1.5 h -> 10:00.
        self.assertEqual(ticket.sla_resolution_deadline, madrid(2026, 3, 19, 10, 0))

    def test_install_hook_starts_clocks_of_open_tickets(self):
        with freeze_time(madrid(2026, 3, 6, 16, 30)):
            ticket = self.new_ticket(priority="2")
        # As if the ticket predated the module: no clocks, no SLA fields.
        ticket.sudo().sla_clock_ids.unlink()
        ticket.sudo().sla_history_ids.unlink()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET sla_start_date = NULL, sla_response_deadline = "
            "NULL,"
            " create_date = %s WHERE id = %s",
            [madrid(2026, 3, 6, 16, 30), ticket.id],
        )
        ticket.invalidate_recordset()
        post_init_hook(self.env)
        self.assertEqual(ticket.sla_start_date, madrid(2026, 3, 6, 16, 30))
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 11, 30))
        self.assertEqual(len(ticket.sla_clock_ids), 2)

    def test_created_in_waiting_stage_is_paused(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1", stage_id=self.stage_waiting.id)
        self.assertTrue(ticket.sla_paused)

    def test_portal_reply_resumes_a_paused_ticket(self):
        portal = new_test_user(
            self.env, login="sla_portal", groups="base.group_portal", name="Lucía"
        )
        portal.partner_id.parent_id = self.customer
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(priority="1", partner=portal.partner_id)
        with freeze_time(madrid(2026, 3, 9, 10, 0)):
            ticket.stage_id = self.stage_waiting
        self.assertTrue(ticket.sla_paused)
        with freeze_time(madrid(2026, 3, 10, 10, 0)):
            ticket.with_user(portal).message_post(
                body="Ya os he enviado el dato.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(ticket.sla_paused)
        self.assertTrue(ticket.sla_resolution_deadline)

    def test_priority_labels_in_spanish_are_the_guides(self):
        self.env["res.lang"]._activate_lang("es_ES")
        labels = dict(
            self.env["helpdesk.ticket"]
            .with_context(lang="es_ES")
            ._fields["priority"]
            ._description_selection(self.env(context={"lang": "es_ES"}))
        )
        self.assertEqual(
            [labels[key] for key in "0123"], ["Leve", "Normal", "Grave", "Crítica"]
        )
