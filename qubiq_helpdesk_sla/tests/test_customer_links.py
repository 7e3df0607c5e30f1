# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestCustomerLinks(SlaCase):
    """The account manager and the channel every other module of the suite reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="sla_account_manager",
            groups="base.group_user",
            name="Marta Gestora",
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="sla_salesperson",
            groups="base.group_user",
            name="Pablo Ventas",
        )
        cls.leader = new_test_user(
            cls.env, login="sla_team_leader", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.team.user_id = cls.leader

    def test_contacts_share_the_company_account_manager(self):
        self.customer.account_manager_id = self.manager
        self.assertEqual(self.contact.account_manager_id, self.manager)
        newcomer = self.env["res.partner"].create(
            {"name": "Jorge Lanuza", "parent_id": self.customer.id}
        )
        self.assertEqual(newcomer.account_manager_id, self.manager)
        self.assertEqual(newcomer._qubiq_account_manager(), self.manager)

    def test_account_manager_falls_back_to_salesperson_then_team_leader(self):
        ticket = self.new_ticket()
        self.assertEqual(ticket._qubiq_account_manager(), self.leader)
        self.customer.user_id = self.salesperson
        self.assertEqual(ticket._qubiq_account_manager(), self.salesperson)
        self.customer.account_manager_id = self.manager
        self.assertEqual(ticket._qubiq_account_manager(), self.manager)

    def test_backend_ticket_has_the_backend_channel(self):
        ticket = self.new_ticket()
        self.assertEqual(ticket.channel, "backend")
        phone = self.new_ticket(
            channel_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id
        )
        self.assertEqual(phone.channel, "phone")

    def test_mail_gateway_ticket_has_the_email_channel(self):
        ticket = self.env["helpdesk.ticket"].message_new(
            {
                "subject": "No puedo validar facturas",
                "body": "<p>Error al validar</p>",
                "from": "lucia@ebro.example.com",
                "author_id": self.contact.id,
            },
            custom_values={"team_id": self.team.id},
        )
        self.assertEqual(ticket.channel, "email")
