# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who sees which ticket, decided by record rules (not by the pages), and what of a
ticket the customer's side may see."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..hooks import uninstall_hook
from .common import PNG, PortalCase


@tagged("post_install", "-at_install")
class TestRecordRules(PortalCase):
    def visible(self, user):
        return self.env["helpdesk.ticket"].with_user(user).search([])

    def test_helpdesk_mgmt_company_wide_rule_is_replaced(self):
        rule = self.env.ref("helpdesk_mgmt.helpdesk_ticket_rule_portal")
        self.assertFalse(rule.active)
        self.assertTrue(
            self.env.ref(
                "qubiq_helpdesk_portal.helpdesk_ticket_rule_portal_contact"
            ).active
        )

    def test_contact_sees_own_tickets_only(self):
        self.assertEqual(self.visible(self.colleague), self.ticket_colleague)
        self.assertEqual(self.visible(self.outsider), self.ticket_outsider)
        with self.assertRaises(AccessError):
            self.ticket_designated.with_user(self.colleague).read(["name"])

    def test_designated_contact_sees_the_company(self):
        self.assertEqual(
            self.visible(self.designated),
            self.ticket_designated | self.ticket_colleague,
        )
        # A ticket opened on the company itself, by an agent, too.
        company_ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Migración a Odoo 17",
                "description": "<p>Plan de migración</p>",
                "partner_id": self.customer.id,
                "team_id": self.team.id,
            }
        )
        self.assertIn(company_ticket, self.visible(self.designated))
        self.assertNotIn(company_ticket, self.visible(self.colleague))

    def test_followed_ticket_is_visible(self):
        self.ticket_designated.message_subscribe(
            partner_ids=self.colleague.partner_id.ids
        )
        self.assertEqual(
            self.visible(self.colleague), self.ticket_colleague | self.ticket_designated
        )
        self.ticket_designated.message_unsubscribe(
            partner_ids=self.colleague.partner_id.ids
        )
        self.assertEqual(self.visible(self.colleague), self.ticket_colleague)

    def test_flag_takes_effect_at_once(self):
        self.assertEqual(self.visible(self.colleague), self.ticket_colleague)
        self.colleague.partner_id.helpdesk_designated_contact = True
        self.assertEqual(
            self.visible(self.colleague),
            self.ticket_designated | self.ticket_colleague,
        )
        self.colleague.partner_id.helpdesk_designated_contact = False
        self.assertEqual(self.visible(self.colleague), self.ticket_colleague)
        # Moving the contact to another company moves what it sees.
        self.designated.partner_id.parent_id = self.other_customer
        self.assertEqual(
            self.visible(self.designated),
            self.ticket_designated | self.ticket_outsider,
        )

    def test_multi_company_is_respected(self):
        other_company_ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Error en la compañía de Levante",
                "description": "<p>Desde Levante</p>",
                "partner_id": self.designated.partner_id.id,
                "team_id": self.other_company_team.id,
            }
        )
        self.assertEqual(other_company_ticket.company_id, self.other_company)
        # The portal user belongs to the main company only.
        self.assertNotIn(other_company_ticket, self.visible(self.designated))
        self.designated.write({"company_ids": [Command.link(self.other_company.id)]})
        self.assertIn(other_company_ticket, self.visible(self.designated))

    def test_messages_follow_the_ticket_and_notes_stay_internal(self):
        Message = self.env["mail.message"]
        domain = [
            ("model", "=", "helpdesk.ticket"),
            ("res_id", "=", self.ticket_designated.id),
        ]
        # Not the colleague's ticket: none of its messages.
        self.assertFalse(Message.with_user(self.colleague).search(domain))
        seen = Message.with_user(self.designated).search(domain)
        bodies = " ".join(seen.mapped("body"))
        self.assertIn("RESPUESTA-PUBLICA", bodies)
        self.assertNotIn("NOTA-INTERNA", bodies)
        note = Message.search(domain + [("body", "ilike", "NOTA-INTERNA")])
        with self.assertRaises(AccessError):
            note.with_user(self.designated).read(["body"])

    def test_portal_files_exclude_internal_ones(self):
        agent_file = (
            self.env["ir.attachment"]
            .with_user(self.agent)
            .create(
                {
                    "name": "presupuesto-interno.xlsx",
                    "raw": b"agents only",
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket_designated.id,
                }
            )
        )
        customer_file = (
            self.env["ir.attachment"]
            .with_user(self.designated)
            .sudo()
            .create(
                {
                    "name": "captura-del-cliente.png",
                    "raw": PNG,  # a real image: the portal refuses fakes
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket_designated.id,
                }
            )
        )
        names = self.ticket_designated._qubiq_portal_attachments().mapped("name")
        self.assertEqual(
            sorted(names), ["captura-del-cliente.png", "respuesta-publica.txt"]
        )
        self.assertTrue(agent_file.exists() and customer_file.exists())

    def test_followups_are_internal(self):
        followup = self.env["qubiq.satisfaction.followup"].create(
            {
                "name": "Llamar a Muebles Ebro",
                "origin": "portal",
                "partner_id": self.colleague.partner_id.id,
                "user_id": self.account_manager.id,
            }
        )
        Followup = self.env["qubiq.satisfaction.followup"]
        self.assertEqual(Followup.with_user(self.account_manager).search([]), followup)
        self.assertIn(followup, Followup.with_user(self.agent).search([]))
        with self.assertRaises(AccessError):
            followup.with_user(self.agent).write({"resolution": "no es mío"})
        with self.assertRaises(AccessError):
            Followup.with_user(self.colleague).search([])

    def test_uninstall_gives_helpdesk_mgmt_its_rule_back(self):
        uninstall_hook(self.env)
        self.assertTrue(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_rule_portal").active
        )
