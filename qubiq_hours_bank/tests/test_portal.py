# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
class TestHoursBankPortal(HoursBankCase, HttpCase):
    """ "Mi bolsa de horas": a customer's portal users see their own company's bank,
    with the figures the account manager sees, and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell_pack(cls.other_contact, 20, day="2026-04-01")
        cls.sell_pack(cls.contact, 40, day="2026-04-01")
        cls.bank = cls.bank_of(cls.other_customer)
        cls.ebro_bank = cls.bank_of(cls.customer)
        cls.incident = cls.ticket_for(cls.other_contact, name="Error al facturar")
        cls.evo_ticket = cls.ticket_for(
            cls.other_contact, ticket_type=cls.evolutivo, name="Informe de ventas"
        )
        cls.log(cls.incident, 170, day="2026-04-08")  # 3:00 billed in April
        cls.log(cls.evo_ticket, 100, day="2026-05-04")  # 2:00 billed in May
        ebro_ticket = cls.ticket_for(cls.contact, ticket_type=cls.evolutivo)
        cls.log(ebro_ticket, 60 * 7, day="2026-04-10")
        cls.portal_sierra = new_test_user(
            cls.env,
            login="hb_portal_sierra",
            groups="base.group_portal",
            partner_id=cls.other_contact.id,
        )
        cls.portal_ebro = new_test_user(
            cls.env,
            login="hb_portal_ebro",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        nobody = cls.env["res.partner"].create(
            {"name": "Panadería Aldaba", "is_company": True}
        )
        cls.portal_nobank = new_test_user(
            cls.env,
            login="hb_portal_nobank",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Iñaki Goñi", "parent_id": nobody.id})
            .id,
        )

    def test_record_rules_keep_to_the_own_company(self):
        Bank = self.env["qubiq.hours.bank"].with_user(self.portal_sierra)
        self.assertEqual(Bank.search([]), self.bank)
        with self.assertRaises(AccessError):
            self.ebro_bank.with_user(self.portal_sierra).read(["name"])
        Pack = self.env["qubiq.hours.pack"].with_user(self.portal_sierra)
        self.assertEqual(Pack.search([]), self.bank.pack_ids)
        with self.assertRaises(AccessError):
            self.env["qubiq.hours.allocation"].with_user(self.portal_sierra).search([])

    @freeze_time("2026-05-20 12:00:00")
    def test_portal_page_shows_the_own_bank_only(self):
        self.authenticate("hb_portal_sierra", "hb_portal_sierra")
        page = self.url_open("/my/hours")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Bodegas Sierra Alta", page.text)
        self.assertNotIn("Muebles Ebro", page.text)
        self.assertIn('o_hours_value_remaining">15:00<', page.text)
        self.assertIn("Informe de ventas", page.text)
        # Someone else's bank id (or one that does not exist) in the URL: not found,
        # as for any record the user may not see.
        for bank_id in (self.ebro_bank.id, 987654321):
            other = self.url_open(f"/my/hours/{bank_id}")
            self.assertEqual(other.status_code, 404)
            self.assertNotIn("Muebles Ebro", other.text)
            self.assertNotIn('o_hours_value_remaining">33:00<', other.text)
            statement = self.url_open(
                f"/my/hours/{bank_id}/statement", allow_redirects=False
            )
            self.assertEqual(statement.status_code, 404)
            self.assertNotIn("Muebles Ebro", statement.text)

    @freeze_time("2026-05-20 12:00:00")
    def test_other_company_sees_its_own(self):
        self.authenticate("hb_portal_ebro", "hb_portal_ebro")
        page = self.url_open("/my/hours?period=all")
        self.assertIn("Muebles Ebro", page.text)
        self.assertIn('o_hours_value_remaining">33:00<', page.text)
        self.assertNotIn("Bodegas Sierra Alta", page.text)

    def test_customer_without_bank(self):
        self.authenticate("hb_portal_nobank", "hb_portal_nobank")
        page = self.url_open("/my/hours")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_hours_no_bank", page.text)
        self.assertNotIn("o_portal_hours_bank", page.text)
        counters = self._counters()
        self.assertEqual(counters["hours_bank_count"], 0, "no entry on the home page")

    def _counters(self):
        response = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": ["hours_bank_count"]}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    @freeze_time("2026-05-20 12:00:00")
    def test_home_counter_and_statement(self):
        self.authenticate("hb_portal_sierra", "hb_portal_sierra")
        self.assertEqual(self._counters()["hours_bank_count"], "15:00 h")
        statement = self.url_open("/my/hours/statement?period=last_month")
        self.assertEqual(statement.status_code, 200)
        self.assertIn("o_hours_statement", statement.text)
        self.assertIn("Bodegas Sierra Alta", statement.text)
        self.assertIn("Error al facturar", statement.text)
        self.assertNotIn("Informe de ventas", statement.text, "May is not in April")

    @freeze_time("2026-05-20 12:00:00")
    def test_ordinary_contact_sees_only_the_tickets_they_may_open(self):
        """A contact of the same company who may not open Marta's tickets sees
        the bank's figures, not the tickets' titles nor the agents' timesheet
        descriptions, and gets no statement (it lists them all)."""
        self.log(self.incident, 30, day="2026-05-05", name="DESCRIPCION-AGENTE")
        colleague = self.env["res.partner"].create(
            {"name": "Pablo Sierra", "parent_id": self.other_customer.id}
        )
        user = new_test_user(
            self.env,
            login="hb_portal_colleague",
            groups="base.group_portal",
            partner_id=colleague.id,
        )
        self.authenticate("hb_portal_colleague", "hb_portal_colleague")
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .with_user(user)
            .search([("id", "=", self.incident.id)])
        )
        page = self.url_open("/my/hours?period=all")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_hours_value_remaining", page.text)
        for secret in ("Error al facturar", "Informe de ventas", "DESCRIPCION-AGENTE"):
            self.assertNotIn(secret, page.text)
        self.assertNotIn("o_hours_statement_download", page.text)
        statement = self.url_open(
            "/my/hours/statement?period=all", allow_redirects=False
        )
        self.assertNotEqual(statement.status_code, 200)
        self.assertNotIn("Error al facturar", statement.text)
        # Marta, who opened them, still sees everything.
        self.authenticate("hb_portal_sierra", "hb_portal_sierra")
        page = self.url_open("/my/hours?period=all")
        self.assertIn("Error al facturar", page.text)
        self.assertIn("DESCRIPCION-AGENTE", page.text)

    @freeze_time("2026-05-20 12:00:00")
    def test_bad_period_does_not_break_the_page(self):
        self.authenticate("hb_portal_sierra", "hb_portal_sierra")
        page = self.url_open("/my/hours?period=custom&date_from=yesterday")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_hours_value_remaining", page.text)
        page = self.url_open("/my/hours?period=whatever")
        self.assertEqual(page.status_code, 200)

    @freeze_time("2026-05-20 12:00:00")
    def test_portal_tour(self):
        self.start_tour("/my", "qubiq_hours_bank_portal", login="hb_portal_sierra")

    @freeze_time("2026-05-20 12:00:00")
    def test_dashboard_tour(self):
        self.manager.groups_id |= self.env.ref("helpdesk_mgmt.group_helpdesk_user")
        self.start_tour(
            "/web#action=qubiq_hours_bank.qubiq_hours_bank_dashboard_action",
            "qubiq_hours_bank_dashboard",
            login="hb_account_manager",
        )
