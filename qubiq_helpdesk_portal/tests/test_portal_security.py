# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal's security walk: every route the suite adds or overrides, and Odoo's
generic routes that reach tickets, as each portal role (designated contact, plain
colleague, another customer, anonymous visitor, holder of a ticket's access token),
with forged ids, missing CSRF tokens, wrong methods and bad parameters."""

import json

from odoo.tests import new_test_user, tagged

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalSecurity(PortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "Facturación", "show_in_portal": True}
        )
        cls.employee = new_test_user(
            cls.env,
            login="portal_employee",
            name="Lucía Almacén",
            email="lucia@qubiq.example.com",
            groups="base.group_user",
            lang="en_US",
        )

    # ------------------------------------------------------------------ helpers

    def new_tickets(self, before):
        return self.env["helpdesk.ticket"].search([("id", "not in", before.ids)])

    def all_tickets(self):
        return self.env["helpdesk.ticket"].search([])

    def jsonrpc(self, url, params):
        """POST a JSON-RPC call; (HTTP status, result or None, error or None)."""
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            return response.status_code, None, None
        payload = response.json()
        return 200, payload.get("result"), payload.get("error")

    # -------------------------------------------------------- /submitted/ticket

    def test_submit_by_get_creates_nothing(self):
        self.login(self.colleague)
        before = self.all_tickets()
        query = "&".join(
            f"{key}={value}" for key, value in self.new_ticket_data().items()
        )
        response = self.url_open(f"/submitted/ticket?{query}", allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.assertFalse(self.new_tickets(before))

    def test_submit_without_csrf_creates_nothing(self):
        self.login(self.colleague)
        before = self.all_tickets()
        response = self.url_open(
            "/submitted/ticket", data=self.new_ticket_data(), allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.new_tickets(before))

    def test_anonymous_cannot_open_or_submit_the_form(self):
        self.authenticate(None, None)
        before = self.all_tickets()
        response = self.url_open("/new/ticket")
        self.assertIn("/web/login", response.url)
        response = self.url_open(
            "/submitted/ticket",
            data=dict(self.new_ticket_data(), csrf_token=self.csrf()),
        )
        self.assertIn("/web/login", response.url)
        self.assertFalse(self.new_tickets(before))

    def test_minimal_submission_as_helpdesk_mgmt_sends_it(self):
        """helpdesk_mgmt's own form (and integrators' website forms) send category,
        subject and description: the ticket is created with the default type and
        priority."""
        self.login(self.colleague)
        before = self.all_tickets()
        response = self.post(
            "/submitted/ticket",
            {
                "category": str(self.category.id),
                "subject": "No puedo validar la factura de compra",
                "description": "Al validar me repite el número de la anterior.",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        ticket = self.new_tickets(before)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.colleague.partner_id)
        self.assertEqual(ticket.category_id, self.category)
        self.assertEqual(ticket.type_id, self.incidencia)
        self.assertEqual(ticket.priority, "1")

    def test_employee_without_helpdesk_rights_submits_a_ticket(self):
        self.login(self.employee)
        response = self.url_open("/new/ticket")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'name="subject"', response.content)
        before = self.all_tickets()
        response = self.post(
            "/submitted/ticket",
            self.new_ticket_data(user_name="Lucía Almacén", company_name=""),
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        ticket = self.new_tickets(before)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.employee.partner_id)
        self.assertEqual(ticket.type_id, self.incidencia)
