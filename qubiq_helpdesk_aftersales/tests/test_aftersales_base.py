# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAftersalesBase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # assertions read English messages; Spanish is checked on its own
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        cls.agent = new_test_user(
            cls.env, login="base_agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="base_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Posventa"})
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Noise", "description": "<p>x</p>", "team_id": cls.team.id}
        )

    def test_team_form_has_aftersales_section(self):
        Team = self.env["helpdesk.ticket.team"].with_user(self.manager)
        arch = etree.fromstring(Team.get_view(view_type="form")["arch"])
        self.assertTrue(arch.xpath("//div[@name='aftersales']"))
        self.assertTrue(arch.xpath("//div[@name='aftersales_options']/setting"))

    def test_check_partner(self):
        with self.assertRaisesRegex(UserError, "Set the customer"):
            self.ticket.with_user(self.agent)._aftersales_check_partner()
        self.ticket.partner_id = self.env["res.partner"].create({"name": "Pérez"})
        self.ticket.with_user(self.agent)._aftersales_check_partner()

    def test_log_links_records(self):
        partner = self.env["res.partner"].create({"name": "Pérez & Hijos"})
        ticket = self.ticket.with_user(self.agent)
        ticket._aftersales_log(partner, "Made")
        message = ticket.message_ids[0]
        self.assertIn(f'data-oe-id="{partner.id}"', message.body)
        self.assertIn("Pérez &amp; Hijos", message.body)
        self.assertEqual(message.author_id, self.agent.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        # custom link text and author (a customer signing in the portal)
        ticket._aftersales_log(
            partner, "Signed", label=lambda rec: f"<{rec.name}>", author=partner
        )
        message = ticket.message_ids[0]
        self.assertIn("&lt;Pérez &amp; Hijos&gt;", message.body)
        self.assertEqual(message.author_id, partner)

    def test_action_open(self):
        partners = self.env["res.partner"].create([{"name": "A"}, {"name": "B"}])
        action = self.ticket._aftersales_action_open(partners, "Partners")
        self.assertEqual(action["domain"], [("id", "in", partners.ids)])
        action = self.ticket._aftersales_action_open(partners[:1], "Partners")
        self.assertEqual(action["res_id"], partners[0].id)
        self.assertEqual(action["view_mode"], "form")

    def test_error_translated_to_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        ticket = self.ticket.with_user(self.agent).with_context(lang="es_ES")
        with self.assertRaisesRegex(UserError, "Indique primero el cliente"):
            ticket._aftersales_check_partner()
        ticket.sudo().team_id = False  # no team: no after-sales option enabled
        with self.assertRaisesRegex(UserError, "no está activada en el equipo"):
            ticket._aftersales_check_enabled("active")
