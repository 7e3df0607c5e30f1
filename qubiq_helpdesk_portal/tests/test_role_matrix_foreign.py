# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every portal route, requested by every portal role with the REAL ids of another
customer's records: a refusal (403/404, a JSON error, or the login page for the
public user), nothing of the other customer in the answer and nothing written.

The suite's routes come from the routing map (endpoints of a ``qubiq_*`` module):
each must have its requests in ``SUITE_ROUTES``, so a new route fails this test
until it is taught here. Odoo's generic routes a portal user reaches (chatter,
mail, attachments, RPC, ratings, tasks) are in ``GENERIC_REQUESTS``."""

import json
import re
import uuid

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PNG

REFUSALS = (403, 404)
# An answer that refuses: the page is not there for this visitor.
REFUSE = "refuse"
# A page of the visitor's own (a list, a form): it may render, but shows nothing
# of the other customer and writes nothing for it.
NO_LEAK = "no leak"
# Odoo's own task page sends a visitor without access back to /my (the portal
# home), as helpdesk_mgmt does for tickets: a refusal that shows nothing.
REFUSE_OR_HOME = "refuse or home"

# route rule -> requests: (method, url template, data template, expectation).
# Templates take the other customer's ids: {ticket}, {task}, {bank}, {picking}, {order},
# {ticket_token}. A route of the suite missing here fails the test.
SUITE_ROUTES = {
    "/my/ticket/<int:ticket_id>": [
        ("GET", "/my/ticket/{ticket}", None, REFUSE),
    ],
    "/my/ticket/<int:ticket_id>/reply": [
        ("POST", "/my/ticket/{ticket}/reply", {"message": "Intruso"}, REFUSE),
    ],
    "/my/ticket/<int:ticket_id>/close": [
        ("POST", "/my/ticket/{ticket}/close", {"reason": "Intruso"}, REFUSE),
    ],
    "/my/ticket/<int:ticket_id>/reopen": [
        ("POST", "/my/ticket/{ticket}/reopen", {"reason": "Intruso"}, REFUSE),
    ],
    "/my/ticket/<int:ticket_id>/slip/<int:picking_id>": [
        ("GET", "/my/ticket/{ticket}/slip/{picking}", None, REFUSE),
    ],
    "/my/tickets": [
        ("GET", "/my/tickets?search={ticket_name}&search_in=name", None, NO_LEAK),
    ],
    "/my/tickets/page/<int:page>": [
        ("GET", "/my/tickets/page/1?filterby=all", None, NO_LEAK),
    ],
    "/ticket/close": [
        ("GET", "/ticket/close?ticket_id={ticket}&stage_id={stage}", None, NO_LEAK),
    ],
    "/new/ticket": [("GET", "/new/ticket", None, NO_LEAK)],
    "/submitted/ticket": [
        # a ticket for the other customer's contact cannot be forged
        (
            "POST",
            "/submitted/ticket",
            {
                "subject": "Intruso",
                "description": "Intruso",
                "partner_id": "{partner}",
                "ticket_id": "{ticket}",
            },
            NO_LEAK,
        ),
    ],
    "/my/account-manager": [
        ("GET", "/my/account-manager?ticket_id={ticket}", None, NO_LEAK),
    ],
    "/my/account-manager/send": [
        (
            "POST",
            "/my/account-manager/send",
            {"topic": "other", "message": "Intruso", "ticket_id": "{ticket}"},
            NO_LEAK,
        ),
    ],
    "/portal/attachment/add": [
        (
            "UPLOAD",
            "/portal/attachment/add",
            {"res_model": "helpdesk.ticket", "res_id": "{ticket}"},
            REFUSE,
        ),
        (
            "UPLOAD",
            "/portal/attachment/add",
            {"res_model": "project.task", "res_id": "{task}"},
            REFUSE,
        ),
    ],
    "/my/hours": [("GET", "/my/hours", None, NO_LEAK)],
    # qubiq_helpdesk_estimate_sale extends Odoo's quotation accept and decline: the
    # other customer's estimate is neither signed nor declined.
    "/my/orders/<int:order_id>/accept": [
        (
            "JSON",
            "/my/orders/{order}/accept",
            {"name": "Intruso", "signature": PNG.hex()},
            REFUSE,
        ),
        (
            "JSON",
            "/my/orders/{order}/accept?access_token={forged_token}",
            {"name": "Intruso", "signature": PNG.hex()},
            REFUSE,
        ),
    ],
    "/my/orders/<int:order_id>/decline": [
        (
            "POST",
            "/my/orders/{order}/decline",
            {"decline_message": "Intruso"},
            REFUSE_OR_HOME,
        ),
    ],
    # qubiq_helpdesk_account_review: the visitor's own company's contract figures
    # (designated contacts only); no id to forge, nothing of the other customer.
    "/my/compliance": [("GET", "/my/compliance", None, NO_LEAK)],
    "/my/compliance/support-manager": [
        ("GET", "/my/compliance/support-manager", None, NO_LEAK),
    ],
    "/my/compliance/support-manager/send": [
        (
            "POST",
            "/my/compliance/support-manager/send",
            {"reason": "delays", "message": "Intruso"},
            NO_LEAK,
        ),
    ],
    "/my/hours/<int:bank_id>": [("GET", "/my/hours/{bank}", None, REFUSE)],
    "/my/hours/statement": [("GET", "/my/hours/statement", None, NO_LEAK)],
    "/my/hours/<int:bank_id>/statement": [
        ("GET", "/my/hours/{bank}/statement", None, REFUSE),
    ],
    "/my/tasks/<int:task_id>/intervention/report": [
        ("GET", "/my/tasks/{task}/intervention/report", None, REFUSE),
        ("GET", "/my/tasks/{task}/intervention/report?report_type=html", None, REFUSE),
        (
            "GET",
            "/my/tasks/{task}/intervention/report?access_token={ticket_token}",
            None,
            REFUSE,
        ),
    ],
    "/my/tasks/<int:task_id>/intervention/sign": [
        (
            "JSON",
            "/my/tasks/{task}/intervention/sign",
            {"name": "Intruso", "signature": PNG.hex()},
            REFUSE,
        ),
    ],
}


def _call_kw(model, method, args, kwargs=None):
    return (
        "JSON",
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        REFUSE,
    )


GENERIC_REQUESTS = [
    ("GET", "/my/ticket/{ticket}?access_token={rating_token}", None, REFUSE),
    ("GET", "/my/tasks/{task}", None, REFUSE_OR_HOME),
    ("GET", "/my/tasks/{task}?access_token={ticket_token}", None, REFUSE_OR_HOME),
    ("GET", "/my/task/{task}", None, REFUSE_OR_HOME),
    ("GET", "/rate/{forged_token}/5", None, REFUSE),
    ("POST", "/rate/{forged_token}/submit_feedback", {"rate": "1"}, REFUSE),
    ("GET", "/web/content/{ticket_attachment}", None, REFUSE),
    ("GET", "/web/content/{ticket_attachment}?download=true", None, REFUSE),
    (
        "GET",
        "/web/content/{ticket_attachment}?access_token={ticket_token}",
        None,
        REFUSE,
    ),
    ("GET", "/web/image/{ticket_attachment}", None, REFUSE),
    ("GET", "/web/content/{task_attachment}", None, REFUSE),
    ("GET", "/web/content/{task_attachment}?access_token={ticket_token}", None, REFUSE),
    ("GET", "/web/image/{task_attachment}", None, REFUSE),
    ("GET", "/web/content/helpdesk.ticket/{ticket}/description", None, REFUSE),
    (
        "JSON",
        "/mail/message/post",
        {
            "thread_model": "helpdesk.ticket",
            "thread_id": "{ticket}",
            "post_data": {"body": "Intruso", "message_type": "comment"},
        },
        REFUSE,
    ),
    (
        "JSON",
        "/mail/message/post",
        {
            "thread_model": "project.task",
            "thread_id": "{task}",
            "post_data": {"body": "Intruso", "message_type": "comment"},
        },
        REFUSE,
    ),
    (
        "JSON",
        "/mail/thread/data",
        {
            "thread_model": "helpdesk.ticket",
            "thread_id": "{ticket}",
            "request_list": ["followers", "attachments", "activities"],
        },
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/thread/messages",
        {"thread_model": "helpdesk.ticket", "thread_id": "{ticket}"},
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/thread/messages",
        {"thread_model": "project.task", "thread_id": "{task}"},
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/chatter_init",
        {"res_model": "helpdesk.ticket", "res_id": "{ticket}"},
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/chatter_fetch",
        {"res_model": "helpdesk.ticket", "res_id": "{ticket}"},
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/chatter_fetch",
        {"res_model": "project.task", "res_id": "{task}"},
        NO_LEAK,
    ),
    (
        "JSON",
        "/mail/chatter_post",
        {"res_model": "helpdesk.ticket", "res_id": "{ticket}", "message": "Intruso"},
        REFUSE,
    ),
    (
        "JSON",
        "/mail/chatter_post",
        {"res_model": "project.task", "res_id": "{task}", "message": "Intruso"},
        REFUSE,
    ),
    (
        "UPLOAD",
        "/mail/attachment/upload",
        {"thread_model": "helpdesk.ticket", "thread_id": "{ticket}"},
        REFUSE,
    ),
    (
        "UPLOAD",
        "/mail/attachment/upload",
        {"thread_model": "project.task", "thread_id": "{task}"},
        REFUSE,
    ),
    _call_kw("helpdesk.ticket", "read", [["{ticket}"], ["name", "description"]]),
    _call_kw(
        "helpdesk.ticket", "web_read", [["{ticket}"]], {"specification": {"name": {}}}
    ),
    _call_kw(
        "helpdesk.ticket",
        "message_post",
        [["{ticket}"]],
        {"body": "Intruso", "message_type": "comment"},
    ),
    _call_kw("helpdesk.ticket", "write", [["{ticket}"], {"name": "Intruso"}]),
    _call_kw("project.task", "read", [["{task}"], ["name", "description"]]),
    _call_kw("project.task", "write", [["{task}"], {"name": "Intruso"}]),
    _call_kw("ir.attachment", "read", [["{ticket_attachment}"], ["name", "datas"]]),
    _call_kw("ir.attachment", "read", [["{task_attachment}"], ["name", "datas"]]),
    _call_kw("rating.rating", "read", [["{rating}"], ["access_token", "feedback"]]),
    _call_kw("qubiq.hours.bank", "read", [["{bank}"], ["partner_id"]]),
    _call_kw("stock.picking", "read", [["{picking}"], ["name"]]),
]

PORTAL_DEMO_ROLES = {
    "customer without contract": "qubiq_helpdesk_portal.user_portal_marta_demo",
    "hours-bank customer": "qubiq_hours_bank.user_portal_moncayo_demo",
    "intervention signer": (
        "qubiq_helpdesk_aftersales_intervention.res_users_aftersales_portal_demo"
    ),
}


@tagged("post_install", "-at_install")
class TestPortalForeignIds(HttpCase):
    """Portal contacts of two customers (Alfa and Beta) and the demo's portal roles,
    each requesting every route with the ids of the other customer's records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        english = cls.env["res.lang"]._activate_lang("en_US")
        if "website" in cls.env:  # an after-sales add-on pulls it in
            cls.env["website"].search([]).write(
                {"language_ids": [Command.link(english.id)]}
            )
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Matriz de ids ajenos", "show_in_portal": True}
        )
        if "intervention_project_id" in cls.team._fields:
            cls.project = cls.env["project.project"].create(
                {"name": "Intervenciones matriz", "privacy_visibility": "portal"}
            )
            cls.team.write(
                {
                    "use_aftersales_intervention": True,
                    "intervention_project_id": cls.project.id,
                }
            )
        cls.alfa = cls.env["res.partner"].create(
            {"name": "Alfa Matriz S.L.", "is_company": True}
        )
        cls.beta = cls.env["res.partner"].create(
            {"name": "Beta Matriz S.A.", "is_company": True}
        )
        cls.roles = {
            "Alfa designated contact": cls._portal_user(
                "matrix_alfa_designated", cls.alfa, designated=True
            ),
            "Alfa ordinary contact": cls._portal_user("matrix_alfa_contact", cls.alfa),
            "Beta contact": cls._portal_user(
                "matrix_beta_designated", cls.beta, designated=True
            ),
        }
        for role, xmlid in PORTAL_DEMO_ROLES.items():
            user = cls.env.ref(xmlid, raise_if_not_found=False)
            if user:
                user.password = user.login
                cls.roles[role] = user
        cls.roles["public user"] = None
        cls.records = {
            "alfa": cls._customer_records(
                cls.alfa, cls.roles["Alfa ordinary contact"], "ALFA"
            ),
            "beta": cls._customer_records(cls.beta, cls.roles["Beta contact"], "BETA"),
        }

    @classmethod
    def _portal_user(cls, login, parent, designated=False):
        user = new_test_user(
            cls.env,
            login=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            groups="base.group_portal",
            lang="en_US",
            tz="Europe/Madrid",
        )
        user.partner_id.write(
            {"parent_id": parent.id, "helpdesk_designated_contact": designated}
        )
        return user

    @classmethod
    def _customer_records(cls, customer, contact, marker):
        """One of each record a customer reaches in the portal, named with
        ``marker`` so that an answer showing any of them is caught."""
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": f"{marker}-SECRET-TICKET",
                "description": f"<p>{marker}-SECRET-DESCRIPTION</p>",
                "team_id": cls.team.id,
                "partner_id": contact.partner_id.id,
            }
        )
        ticket.message_subscribe(partner_ids=contact.partner_id.ids)
        message = ticket.message_post(
            body=f"{marker}-SECRET-ANSWER",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(f"{marker}-secret.png", PNG)],
        )
        rating = cls.env["rating.rating"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "partner_id": contact.partner_id.id,
                "feedback": f"{marker}-SECRET-FEEDBACK",
            }
        )
        values = {
            "customer": customer,
            "contact": contact,
            "ticket": ticket,
            "ticket_attachment": message.attachment_ids,
            "ticket_token": ticket._portal_ensure_token(),
            "rating": rating,
            "task": cls.env["ir.attachment"].browse(),
            "task_attachment": cls.env["ir.attachment"].browse(),
            "bank": cls.env["ir.attachment"].browse(),
            "picking": cls.env["ir.attachment"].browse(),
            "order": cls.env["ir.attachment"].browse(),
            "markers": [
                f"{marker}-SECRET-TICKET",
                f"{marker}-SECRET-DESCRIPTION",
                f"{marker}-SECRET-ANSWER",
                f"{marker}-SECRET-FEEDBACK",
                f"{marker}-SECRET-TASK",
                f"{marker}-secret",
                rating.access_token,
                ticket.access_token,
            ],
        }
        if "qubiq.hours.bank" in cls.env:
            values["bank"] = cls.env["qubiq.hours.bank"].create(
                {"partner_id": customer.id}
            )
        if "intervention_task_ids" in ticket._fields:
            task = cls.env["project.task"].create(
                {
                    "name": f"{marker}-SECRET-TASK",
                    "project_id": cls.project.id,
                    "partner_id": contact.partner_id.id,
                    "helpdesk_ticket_id": ticket.id,
                    "intervention_sign_required": True,
                    "intervention_report": f"<p>{marker}-SECRET-REPORT</p>",
                }
            )
            task.message_subscribe(partner_ids=contact.partner_id.ids)
            task_message = task.message_post(
                body=f"{marker}-SECRET-TASK-NOTE",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=[(f"{marker}-secret-task.png", PNG)],
            )
            task._portal_ensure_token()
            values["task"] = task
            values["task_attachment"] = task_message.attachment_ids
            values["markers"] += [f"{marker}-SECRET-REPORT", task.access_token]
        if "estimate_order_ids" in ticket._fields:
            values["order"] = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "ticket_id": ticket.id,
                    "client_order_ref": f"{marker}-SECRET-ORDER",
                    "require_signature": True,
                }
            )
            values["markers"] += [f"{marker}-SECRET-ORDER"]
        if "return_picking_ids" in ticket._fields:
            picking_type = cls.env.ref("stock.picking_type_in")
            values["picking"] = cls.env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": contact.partner_id.id,
                    "helpdesk_ticket_id": ticket.id,
                    "location_id": cls.env.ref("stock.stock_location_customers").id,
                    "location_dest_id": picking_type.default_location_dest_id.id,
                }
            )
        return values

    # ------------------------------------------------------------------ helpers

    def _foreign(self, role):
        """The records a role must not reach: Beta's for Alfa's contacts, Alfa's
        for everyone else."""
        return self.records["beta" if role.startswith("Alfa") else "alfa"]

    def _ids(self, records):
        def ident(value):
            return value.id if value else 987654321

        return {
            "ticket": records["ticket"].id,
            "ticket_name": "SECRET-TICKET",
            "partner": records["contact"].partner_id.id,
            "stage": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            "task": ident(records["task"]),
            "bank": ident(records["bank"]),
            "picking": ident(records["picking"]),
            "order": ident(records["order"]),
            "rating": records["rating"].id,
            "ticket_attachment": records["ticket_attachment"].id,
            "task_attachment": ident(records["task_attachment"]),
            "ticket_token": records["ticket"].access_token,
            "rating_token": records["rating"].access_token,
            "forged_token": uuid.uuid4().hex,
        }

    @staticmethod
    def _fill(template, ids):
        if isinstance(template, str):
            value = template.format(**ids)
            return int(value) if template.startswith("{") and value.isdigit() else value
        if isinstance(template, dict):
            return {
                key: TestPortalForeignIds._fill(v, ids) for key, v in template.items()
            }
        if isinstance(template, list):
            return [TestPortalForeignIds._fill(v, ids) for v in template]
        return template

    def _state(self, records):
        """What a request could have changed on the other customer's records."""
        ticket = records["ticket"]
        self.env.invalidate_all()
        state = {
            "ticket": (ticket.name, ticket.stage_id.id, ticket.partner_id.id),
            "messages": len(ticket.message_ids),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ),
            "tickets": self.env["helpdesk.ticket"].search_count(
                [("partner_id", "=", records["contact"].partner_id.id)]
            ),
            "rating": (records["rating"].rating, records["rating"].consumed),
        }
        order = records["order"]
        if order:
            state["order"] = (order.state, order.signed_by, len(order.message_ids))
        task = records["task"]
        if task:
            state["task"] = (
                task.name,
                task.intervention_signed_by,
                len(task.message_ids),
                self.env["ir.attachment"].search_count(
                    [("res_model", "=", "project.task"), ("res_id", "=", task.id)]
                ),
            )
        return state

    def _raws(self, records):
        attachments = records["ticket_attachment"] | records["task_attachment"]
        return [attachment.raw for attachment in attachments.sudo()]

    def _request(self, method, url, data):
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        if method == "JSON":
            return self.url_open(
                url,
                data=json.dumps({"jsonrpc": "2.0", "params": data or {}}),
                headers={"Content-Type": "application/json"},
                allow_redirects=False,
            )
        data = dict(data or {}, csrf_token=self.csrf_token())
        files = None
        if method == "UPLOAD":
            data["name"] = "intruso.png"
            files = {"file" if "res_model" in data else "ufile": ("intruso.png", PNG)}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def csrf_token(self):
        return http.Request.csrf_token(self)

    def _follow_to_home(self, response):
        """Follow Odoo's redirects (old address, language); the portal home
        ends it."""
        for _hop in range(3):
            location = response.headers.get("Location", "")
            if not response.is_redirect or re.search(r"/my/?$|/web/login", location):
                break
            response = self.url_open(location, allow_redirects=False)
        return response

    def _refused(self, method, response, home_ok=False):
        location = response.headers.get("Location", "")
        if home_ok and re.search(r"^(https?://[^/]+)?(/[a-z]{2})?/my/?$", location):
            return True
        if response.status_code in REFUSALS:
            return True
        if response.is_redirect and "/web/login" in response.headers.get(
            "Location", ""
        ):
            return True
        if method == "JSON" and response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                return False
            return "error" in body or bool(
                isinstance(body.get("result"), dict) and body["result"].get("error")
            )
        return False

    # ------------------------------------------------------------------ tests

    def test_every_suite_route_is_in_the_matrix(self):
        missing = []
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            func = getattr(endpoint, "original_endpoint", endpoint)
            module = getattr(func, "__module__", "")
            if module.startswith("odoo.addons.qubiq_") and rule.rule not in (
                SUITE_ROUTES
            ):
                missing.append(f"{rule.rule} ({module})")
        self.assertFalse(
            missing,
            "Routes of the suite without forged-id requests in SUITE_ROUTES:\n"
            + "\n".join(sorted(set(missing))),
        )

    def test_foreign_ids_on_every_route(self):
        requests = [req for reqs in SUITE_ROUTES.values() for req in reqs]
        requests += GENERIC_REQUESTS
        failures = []
        for role, user in self.roles.items():
            if user:
                self.authenticate(user.login, user.login)
            else:
                self.authenticate(None, None)
            records = self._foreign(role)
            ids = self._ids(records)
            before = self._state(records)
            for method, url_template, data_template, expected in requests:
                url = self._fill(url_template, ids)
                data = self._fill(data_template, ids)
                response = self._request(method, url, data)
                location = response.headers.get("Location", "")
                if response.is_redirect and re.search(
                    rf"^(https?://[^/]+)?/[a-z]{{2}}(_[A-Z]{{2}})?{re.escape(url)}$",
                    location,
                ):
                    # The website's language prefix for a visitor: same request.
                    response = self._request(method, location, data)
                label = f"{role}: {method} {url} -> {response.status_code}"
                if response.is_redirect:
                    label += f" ({response.headers.get('Location')})"
                if response.status_code >= 500:
                    failures.append(f"{label}: server error")
                    continue
                if url.startswith("/web/image/") and response.status_code == 200:
                    # Odoo answers a placeholder image for a file one may not read
                    if response.content in self._raws(records):
                        failures.append(f"{label}: serves the other customer's file")
                    continue
                if expected == REFUSE_OR_HOME:
                    response = self._follow_to_home(response)
                if expected in (REFUSE, REFUSE_OR_HOME) and not self._refused(
                    method, response, home_ok=expected == REFUSE_OR_HOME
                ):
                    failures.append(
                        f"{label}: must refuse (403/404) {response.text[:300]}"
                    )
                if response.is_redirect:
                    continue  # no body but the address it was asked
                body = response.text
                # a token sent in the request may come back in a 404 page
                leaked = [
                    m for m in records["markers"] if m and m in body and m not in url
                ]
                if leaked:
                    failures.append(f"{label}: leaks {leaked}")
            after = self._state(records)
            if after != before:
                failures.append(
                    f"{role}: changed the other customer's {before} -> {after}"
                )
        self.assertFalse(failures, "\n".join(failures))

    def test_owner_reaches_its_records(self):
        """The control of the matrix: the same requests by the records' own
        contact do reach them, so a refusal above is the rules' doing."""
        records = self.records["alfa"]
        user = records["contact"]
        self.authenticate(user.login, user.login)
        page = self.url_open(f"/my/ticket/{records['ticket'].id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("ALFA-SECRET-TICKET", page.text)
        attachment = records["ticket_attachment"]
        content = self.url_open(
            f"/web/content/{attachment.id}?access_token="
            f"{attachment.sudo().generate_access_token()[0]}"
        )
        self.assertEqual(content.status_code, 200)
        if records["task"]:
            page = self.url_open(f"/my/tasks/{records['task'].id}")
            self.assertEqual(page.status_code, 200, page.url)
            self.assertIn("ALFA-SECRET-TASK", page.text)

    def test_intervention_task_files_pass_the_portal_checks(self):
        """Files on an intervention task (a task of a ticket) follow the portal's
        rules like a ticket's: the customer's own uploads are checked, another
        customer neither adds to nor reads its files."""
        alfa, beta = self.records["alfa"], self.records["beta"]
        if not alfa["task"]:
            return  # intervention add-on not installed: no such task
        task = beta["task"]
        user = beta["contact"]
        self.authenticate(user.login, user.login)
        token = self.csrf_token()
        executable = ("programa.exe", b"MZ\x90\x00" + b"\x00" * 64)
        # Odoo's chatter upload on the customer's own task
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "thread_model": "project.task",
                "thread_id": task.id,
                "csrf_token": token,
            },
            files={"ufile": executable},
        )
        self.assertNotEqual(response.status_code, 200, response.text[:500])
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "project.task"), ("name", "=", "programa.exe")]
            )
        )
        # a pending upload (the portal composer) linked to the task on posting
        pending = self.url_open(
            "/portal/attachment/add",
            data={
                "name": "programa.exe",
                "res_model": "project.task",
                "res_id": task.id,
                "access_token": task.access_token,
                "csrf_token": token,
            },
            files={"file": executable},
        )
        if pending.status_code == 200:
            attachment = pending.json()
            answer = self.url_open(
                "/mail/chatter_post",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "params": {
                            "res_model": "project.task",
                            "res_id": task.id,
                            "message": "Adjunto el programa",
                            "attachment_ids": [attachment["id"]],
                            "attachment_tokens": [attachment["access_token"]],
                            "token": task.access_token,
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            ).json()
            self.assertIn("error", answer)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "project.task"), ("name", "=", "programa.exe")]
            )
        )
        # Beta's contact on Alfa's task: no upload, no download, no stealing of
        # Alfa's file into Beta's own task's chatter
        foreign = alfa["task_attachment"]
        for url in (
            f"/web/content/{foreign.id}",
            f"/web/content/{foreign.id}?download=1",
        ):
            self.assertIn(self.url_open(url).status_code, REFUSALS, url)
        upload = self.url_open(
            "/mail/attachment/upload",
            data={
                "thread_model": "project.task",
                "thread_id": alfa["task"].id,
                "csrf_token": token,
            },
            files={"ufile": ("nota.png", PNG)},
        )
        self.assertIn(upload.status_code, REFUSALS)
        answer = self.url_open(
            "/mail/chatter_post",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "params": {
                        "res_model": "project.task",
                        "res_id": task.id,
                        "message": "Mira esto",
                        "attachment_ids": [foreign.id],
                        "attachment_tokens": ["x"],
                        "token": task.access_token,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", answer)
        foreign.invalidate_recordset()
        self.assertEqual(foreign.res_id, alfa["task"].id)

    def test_suite_models_by_rpc(self):
        """Every model of the suite tied to a ticket, read by RPC as each portal
        role with the other customer's ticket: nothing comes back (generated from
        the registry, so a new model is covered)."""
        models = []
        for name, model in self.env.registry.items():
            if not name.startswith("qubiq.") or model._abstract or model._transient:
                continue
            for field in model._fields.values():
                if field.type == "many2one" and field.comodel_name == "helpdesk.ticket":
                    models.append((name, field.name))
        self.assertTrue(models)
        failures = []
        for role, user in self.roles.items():
            if user:
                self.authenticate(user.login, user.login)
            else:
                self.authenticate(None, None)
            records = self._foreign(role)
            ticket = records["ticket"]
            for name, field_name in models:
                linked = self.env[name].sudo().search([(field_name, "=", ticket.id)])
                calls = [("search_read", [[(field_name, "=", ticket.id)]], {})]
                if linked:
                    calls.append(("read", [linked.ids[:5]], {}))
                for method, args, kwargs in calls:
                    response = self._request(
                        "JSON",
                        f"/web/dataset/call_kw/{name}/{method}",
                        {
                            "model": name,
                            "method": method,
                            "args": args,
                            "kwargs": kwargs,
                        },
                    )
                    label = f"{role}: {name}.{method} on {field_name}={ticket.id}"
                    body = response.json() if response.status_code == 200 else {}
                    if "error" not in body and body.get("result"):
                        failures.append(f"{label}: returns {body['result']!r:.200}")
                    leaked = [m for m in records["markers"] if m and m in response.text]
                    if leaked:
                        failures.append(f"{label}: leaks {leaked}")
        self.assertFalse(failures, "\n".join(failures))
