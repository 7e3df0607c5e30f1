# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, madrid


class CustomerMailCase(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.contact.write({"lang": "en_US", "tz": "Europe/Madrid"})
        cls.spanish_contact = cls.env["res.partner"].create(
            {
                "name": "Jorge Lanuza",
                "parent_id": cls.customer.id,
                "email": "jorge@ebro.example.com",
                "lang": "es_ES",
                "tz": "Europe/Madrid",
            }
        )
        cls.no_contract_contact = cls.env["res.partner"].create(
            {
                "name": "Marta Sierra",
                "parent_id": cls.other_customer.id,
                "email": "marta@sierra.example.com",
                "lang": "en_US",
                "tz": "Europe/Madrid",
            }
        )
        cls.email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        # Real tracking: helpdesk_mgmt's stage mails must be seen to be counted.
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))

    def mails_to(self, partner, ticket):
        """Mails queued for ``partner`` about ``ticket``, once the transaction's
        tracking (stage mail templates) has been finalised as at commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", partner.ids),
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestAcknowledgement(CustomerMailCase):
    def test_email_ticket_gets_one_acknowledgement(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            # What the mail gateway calls for an e-mail to a team's alias
            # (helpdesk_ticket_partner_response's router cannot take a forced model).
            ticket = self.env["helpdesk.ticket"].message_new(
                {
                    "subject": "Error de numeración al validar una factura",
                    "from": "Lucía Gracia <lucia@ebro.example.com>",
                    "email_from": "Lucía Gracia <lucia@ebro.example.com>",
                    "author_id": self.contact.id,
                    "body": "<p>Al validar la factura sale un error.</p>",
                    "to": "soporte@qubiq.example.com",
                },
                custom_values={
                    "team_id": self.team.id,
                    "type_id": self.incidencia.id,
                    "priority": "2",
                },
            )
            mails = self.mails_to(self.contact, ticket)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(len(mails), 1)
        self.assertIn(ticket.number, mails.subject)
        body = str(mails.body_html)
        self.assertIn(ticket.number, body)
        self.assertIn(ticket.get_portal_url(), body.replace("&amp;", "&"))
        self.assertIn("access_token=", ticket.get_portal_url())
        # 4 working hours from Monday 09:00, shown in Madrid time, to the minute.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 13, 0))
        self.assertIn("Monday, March 9, 2026 at 13:00 (Europe/Madrid)", body)
        self.assertIn("Under your maintenance contract", body)
        self.assertNotIn("indicative", body)
        # An automatic mail is not the support team's first response.
        self.assertEqual(self.clock(ticket, "response").state, "running")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: (
                    m.message_type == "auto_comment" and self.contact in m.partner_ids
                )
            ),
            "the acknowledgement shows in the chatter",
        )

    def test_spanish_customer_gets_spanish_text(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(
                partner=self.spanish_contact, channel_id=self.phone.id
            )
            mails = self.mails_to(self.spanish_contact, ticket)
        self.assertEqual(len(mails), 1)
        self.assertIn("Hemos recibido", mails.subject)
        body = str(mails.body_html)
        self.assertIn("lunes, 9 de marzo de 2026 a las 13:00 (Europe/Madrid)", body)
        self.assertIn("Según vuestro contrato de mantenimiento", body)

    def test_indicative_wording_without_contract(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(
                partner=self.no_contract_contact, channel_id=self.email.id
            )
            mails = self.mails_to(self.no_contract_contact, ticket)
        self.assertTrue(ticket.sla_indicative)
        # 4 h x 1.5 = 6 working hours: 09:00-14:00, then 15:00-16:00.
        self.assertEqual(ticket.sla_response_deadline, madrid(2026, 3, 9, 16, 0))
        body = str(mails.body_html)
        self.assertIn("Monday, March 9, 2026 at 16:00 (Europe/Madrid)", body)
        self.assertIn("indicative: you have no maintenance contract", body)
        self.assertNotIn("Under your maintenance contract", body)

    def test_new_requirement_without_response_time(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(
                ticket_type=self.evolutivo, channel_id=self.email.id
            )
            mails = self.mails_to(self.contact, ticket)
        self.assertEqual(len(mails), 1)
        self.assertIn(ticket.number, str(mails.body_html))
        self.assertNotIn("answer you by", str(mails.body_html))

    def test_switched_off_team_sends_none(self):
        self.team.acknowledge_tickets = False
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(channel_id=self.email.id)
            self.assertFalse(self.mails_to(self.contact, ticket))

    def test_portal_and_backend_tickets_get_none(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            portal = self.new_ticket(channel_id=self.web.id)
            backend = self.new_ticket()
            self.assertEqual(portal.channel, "portal")
            self.assertEqual(backend.channel, "backend")
            self.assertFalse(self.mails_to(self.contact, portal))
            self.assertFalse(self.mails_to(self.contact, backend))

    def test_imported_past_ticket_gets_none(self):
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.env["helpdesk.ticket"]._sla_import_history(
                [
                    {
                        "name": "Importado de la herramienta anterior",
                        "description": "<p>Ticket del sistema anterior.</p>",
                        "team_id": self.team.id,
                        "partner_id": self.contact.id,
                        "channel_id": self.email.id,
                        "sla_start_date": madrid(2026, 2, 2, 9, 0),
                    }
                ]
            )
            self.assertFalse(self.mails_to(self.contact, ticket))

    def test_stage_mail_on_creation_is_not_doubled(self):
        # A first stage with a mail template: helpdesk_mgmt mails the customer on
        # creation already; the acknowledgement stays out.
        template = self.env.ref("helpdesk_mgmt.changed_stage_template")
        self.stage_new.mail_template_id = template
        with freeze_time(madrid(2026, 3, 9, 9, 0)):
            ticket = self.new_ticket(channel_id=self.email.id)
            self.assertEqual(ticket.stage_id, self.stage_new)
            mails = self.mails_to(self.contact, ticket)
        self.assertEqual(len(mails), 1)
        self.assertNotIn("We have received your request", mails.subject or "")
