# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's view of its contract, over HTTP, as portal users of two customers
and as the public user.

The server thread runs on the real clock: the tickets are received this month."""

import re

from lxml import html

from odoo.tests import tagged

from odoo.addons.qubiq_helpdesk_portal.tests.common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalCompliance(PortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["qubiq.support.contract"].create(
            {
                "name": "Mantenimiento Bodegas",
                "partner_id": cls.other_customer.id,
                "policy_id": cls.policy.id,
                "date_start": "2026-01-01",
                "state": "active",
            }
        )
        cls.designated_b = cls._portal_user(
            "portal_designated_b", "Rosa Sierra", cls.other_customer, designated=True
        )
        # Bodegas' only ticket is Critical; Muebles Ebro's are Serious.
        cls.ticket_b = cls._ticket(
            cls.designated_b, "La bodega no factura", priority="3"
        )
        cls.support_manager = cls.agent
        cls.company.qubiq_support_manager_id = cls.agent

    def compliance_rows(self, response):
        tree = html.fromstring(response.content)
        return [
            " ".join(row.text_content().split())
            for row in tree.xpath(
                "//table[contains(@class, 'o_qubiq_compliance_table')]/tbody/tr"
            )
        ]

    def test_designated_contact_sees_its_company_figures_only(self):
        self.login(self.designated)
        response = self.url_open("/my/compliance")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Muebles Ebro", response.text)
        self.assertNotIn("Bodegas", response.text)
        # No hours bank for Muebles Ebro here: no hours card.
        self.assertNotIn("o_qubiq_hours_left", response.text)
        rows = self.compliance_rows(response)
        # Muebles Ebro's tickets: the Serious one answered in time, the Normal
        # one still open; nothing of Bodegas' Critical ticket.
        self.assertIn("Response Serious 1 0 100.0 04:00", rows[0])
        self.assertEqual(
            [row.split()[:2] for row in rows],
            [
                ["Response", "Serious"],
                ["Response", "Normal"],
                ["Resolution", "Serious"],
                ["Resolution", "Normal"],
            ],
        )

    def test_home_links_the_contract_for_designated_contacts_only(self):
        # The website prefixes its links with the page's language when it is not
        # the default one (/en/my/compliance).
        link = re.compile(r'href="(/[a-z]{2}(_[A-Z]{2})?)?/my/compliance"')
        self.login(self.designated)
        self.assertRegex(self.url_open("/my").text, link)
        self.login(self.colleague)
        self.assertNotRegex(self.url_open("/my").text, link)

    def test_other_company_sees_its_own(self):
        self.login(self.designated_b)
        response = self.url_open("/my/compliance")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bodegas", response.text)
        self.assertNotIn("Muebles Ebro", response.text)
        rows = self.compliance_rows(response)
        self.assertIn(["Response", "Critical"], [row.split()[:2] for row in rows])
        # Muebles Ebro's answered ticket is not counted here.
        self.assertFalse(any(row.endswith("100.0 04:00 00:00 00:00") for row in rows))

    def test_ordinary_contact_and_other_company_are_refused(self):
        self.login(self.colleague)
        self.assertEqual(self.url_open("/my/compliance").status_code, 403)
        self.assertEqual(
            self.url_open("/my/compliance/support-manager").status_code, 403
        )
        self.login(self.outsider)
        self.assertEqual(self.url_open("/my/compliance").status_code, 403)

    def test_public_user_goes_to_login(self):
        response = self.url_open("/my/compliance")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("Muebles Ebro", response.text)

    def test_talk_to_the_support_manager(self):
        self.login(self.designated)
        response = self.post(
            "/my/compliance/support-manager/send",
            {"reason": "misunderstanding", "message": "El ticket se entendió mal."},
        )
        self.assertEqual(response.status_code, 303)
        request = self.env["qubiq.account.review.request"].search(
            [("partner_id", "=", self.designated.partner_id.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.priority, "1")
        self.assertEqual(request.commercial_partner_id, self.customer)
        self.assertEqual(request.activity_ids.user_id, self.support_manager)
        # Not a ticket: nothing new in the helpdesk.
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "ilike", "entendió mal")])
        )
        # A bad reason is refused with the field named.
        response = self.post(
            "/my/compliance/support-manager/send",
            {"reason": "bogus", "message": "x"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Reason:", response.text)
        # An ordinary contact cannot post.
        self.login(self.colleague)
        response = self.post(
            "/my/compliance/support-manager/send",
            {"reason": "delays", "message": "Tardan mucho."},
        )
        self.assertEqual(response.status_code, 403)
