# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every portal route of the suite, for every portal role: the page in Spanish, or a
refusal (403/404, or the login page) that leaks nothing. Routes are taken from the
routing map, so a new route is covered without editing this test."""

import re

from odoo import Command
from odoo.tests import HttpCase, tagged

FORGED_ID = 987654321
PORTAL_ROLES = {
    "designated contact": "base.demo_user0",
    "ordinary contact": "qubiq_helpdesk_portal.user_portal_lucia_demo",
    "customer without contract": "qubiq_helpdesk_portal.user_portal_marta_demo",
    "hours-bank customer": "qubiq_hours_bank.user_portal_moncayo_demo",
    "intervention signer": (
        "qubiq_helpdesk_aftersales_intervention.res_users_aftersales_portal_demo"
    ),
}
REFUSALS = (403, 404)


@tagged("post_install", "-at_install")
class TestPortalRoleMatrix(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spanish = cls.env["res.lang"]._activate_lang("es_ES")
        if "website" in cls.env:  # an after-sales add-on pulls it in
            cls.env["website"].search([]).write(
                {
                    "language_ids": [Command.link(spanish.id)],
                    "default_lang_id": spanish.id,
                }
            )
        cls.roles = {}
        for role, xmlid in PORTAL_ROLES.items():
            user = cls.env.ref(xmlid, raise_if_not_found=False)
            if user:
                user.write({"lang": "es_ES", "password": user.login})
                cls.roles[role] = user
        cls.roles["public user"] = None
        cls.env.ref("base.public_user").partner_id.lang = "es_ES"

    def _routes(self):
        """(url with forged ids, has ids) of the suite's GET pages."""
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            func = getattr(endpoint, "original_endpoint", endpoint)
            if not getattr(func, "__module__", "").startswith("odoo.addons.qubiq_"):
                continue
            if endpoint.routing.get("type") != "http":
                continue
            if rule.methods and "GET" not in rule.methods:
                continue
            url = re.sub(r"<int:page>", "1", rule.rule)  # a pager, not a record
            url, forged = re.subn(r"<int:\w+_id>", str(FORGED_ID), url)
            if "<" in url:
                continue  # a converter this matrix does not forge yet
            yield url, bool(forged)

    def test_portal_routes(self):
        failures = []
        routes = sorted(set(self._routes()))
        self.assertTrue(routes)
        for role, user in self.roles.items():
            if user:
                self.authenticate(user.login, user.login)
            else:
                self.authenticate(None, None)
            for url, forged in routes:
                response = self.url_open(url, allow_redirects=False)
                location = response.headers.get("Location", "")
                if response.is_redirect and re.search(
                    rf"^(https?://[^/]+)?/[a-z]{{2}}(_[A-Z]{{2}})?{re.escape(url)}$",
                    location,
                ):
                    # The website's language prefix for a visitor: same page.
                    response = self.url_open(location, allow_redirects=False)
                status = response.status_code
                label = f"{role}: GET {url} -> {status}"
                if response.is_redirect:
                    label += f" ({response.headers.get('Location')})"
                if forged and status not in REFUSALS and not self._to_login(response):
                    failures.append(f"{label}: a forged id must answer 403/404")
                elif status == 200 and "text/html" in response.headers.get(
                    "Content-Type", ""
                ):
                    if 'lang="es-ES"' not in response.text:
                        failures.append(f"{label}: not in Spanish")
                elif status >= 500:
                    failures.append(f"{label}: server error")
                elif (
                    status not in (200, *REFUSALS)
                    and not self._to_login(response)
                    and not 300 <= status < 400
                ):
                    failures.append(f"{label}: unexpected answer")
        self.assertFalse(failures, "\n".join(failures))

    def _to_login(self, response):
        return response.is_redirect and "/web/login" in response.headers.get(
            "Location", ""
        )
