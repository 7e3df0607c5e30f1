# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal's security walk: every route the suite adds or overrides, and Odoo's
generic routes that reach tickets, as each portal role (designated contact, plain
colleague, another customer, anonymous visitor, holder of a ticket's access token),
with forged ids, missing CSRF tokens, wrong methods and bad parameters."""

import json

from lxml import html

from odoo.tests import new_test_user, tagged

from .common import PNG, PortalHttpCase


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

    def test_incomplete_minimal_submission_rerenders_the_form(self):
        """A helpdesk_mgmt-style post the coaching refuses (here: no description),
        from an employee without helpdesk rights, shows the form again with the
        field's message and the typed text: never a bare error page."""
        self.login(self.employee)
        before = self.all_tickets()
        response = self.post(
            "/submitted/ticket",
            {
                "category": str(self.category.id),
                "subject": "No puedo validar la factura de compra",
                "description": "",
            },
        )
        self.assertIn(response.status_code, (200, 400), response.text[:2000])
        tree = html.fromstring(response.content)
        box = " ".join(
            tree.xpath("//*[contains(@class, 'o_qubiq_form_errors')]//text()")
        )
        # the description field's message, in the site's language
        self.assertRegex(
            " ".join(box.split()),
            r"What happens: explain|Qué ocurre: explica",
        )
        self.assertIn(b'name="subject"', response.content)
        self.assertIn("No puedo validar la factura de compra", response.text)
        self.assertFalse(self.new_tickets(before))

    # ------------------------------------------------------------------ messages

    def chatter_post(self, ticket, message, **extra):
        params = dict(
            res_model="helpdesk.ticket", res_id=ticket.id, message=message, **extra
        )
        return self.jsonrpc("/mail/chatter_post", params)

    def rpc_post(self, ticket, **kwargs):
        return self.jsonrpc(
            "/web/dataset/call_kw/helpdesk.ticket/message_post",
            {
                "model": "helpdesk.ticket",
                "method": "message_post",
                "args": [[ticket.id]],
                "kwargs": dict({"message_type": "comment"}, **kwargs),
            },
        )

    def test_chatter_on_open_own_ticket_is_the_customer_message(self):
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        status, _result, error = self.chatter_post(
            self.ticket_colleague, "CHATTER-OK ya funciona"
        )
        self.assertEqual((status, error), (200, None))
        new = self.messages(self.ticket_colleague) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.author_id, self.colleague.partner_id)

    def test_chatter_and_rpc_refuse_a_closed_ticket(self):
        self.ticket_colleague.stage_id = self.stage_done
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        status, _result, error = self.chatter_post(
            self.ticket_colleague, "CHATTER-CLOSED ¿hola?"
        )
        self.assertTrue(error or status != 200)
        if error:
            self.assertIn("This ticket is closed", json.dumps(error))
        status, _result, error = self.rpc_post(
            self.ticket_colleague, body="RPC-CLOSED ¿hola?"
        )
        self.assertTrue(error or status != 200)
        self.assertEqual(self.messages(self.ticket_colleague), before)

    def test_token_holder_cannot_post(self):
        token = self.ticket_colleague.sudo()._portal_ensure_token()
        before = self.messages(self.ticket_colleague)
        # An anonymous visitor with the e-mailed link.
        self.authenticate(None, None)
        status, _result, error = self.chatter_post(
            self.ticket_colleague, "TOKEN-ANON escrito por otro", token=token
        )
        self.assertTrue(error or status != 200)
        # Another customer, logged in, with the same link.
        self.login(self.outsider)
        status, _result, error = self.chatter_post(
            self.ticket_colleague, "TOKEN-OUTSIDER escrito por otro", token=token
        )
        self.assertTrue(error or status != 200)
        self.assertEqual(self.messages(self.ticket_colleague), before)
        # Reading with the token still works.
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/ticket/{self.ticket_colleague.id}?access_token={token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_colleague.name.encode(), response.content)

    def test_rpc_author_is_forced_to_the_poster(self):
        self.ticket_colleague.message_subscribe(
            partner_ids=self.designated.partner_id.ids
        )
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        self.rpc_post(
            self.ticket_colleague,
            body="RPC-AUTHOR suplantando",
            author_id=self.designated.partner_id.id,
        )
        # Odoo refuses a portal user's RPC message_post (no write access on the
        # ticket), or the gate stores it as the colleague's own message.
        new = self.messages(self.ticket_colleague) - before
        self.assertTrue(
            all(message.author_id == self.colleague.partner_id for message in new)
        )
        # A route that posts in sudo on the customer's behalf (the portal's
        # forms, the chatter with a token) cannot name another author either.
        message = (
            self.ticket_colleague.with_user(self.colleague)
            .sudo()
            .message_post(
                body="SUDO-AUTHOR suplantando",
                author_id=self.designated.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        self.assertEqual(message.author_id, self.colleague.partner_id)

    def test_other_customer_cannot_post_by_chatter_or_rpc(self):
        self.login(self.outsider)
        before = self.messages(self.ticket_colleague)
        status, _result, error = self.chatter_post(
            self.ticket_colleague, "FORGED-ID escrito por otro"
        )
        self.assertTrue(error or status != 200)
        status, _result, error = self.rpc_post(
            self.ticket_colleague, body="FORGED-RPC escrito por otro"
        )
        self.assertTrue(error or status != 200)
        self.assertEqual(self.messages(self.ticket_colleague), before)

    # ------------------------------------------------------------------ files

    def mail_upload(self, ticket, name, content, **extra):
        data = {
            "thread_model": "helpdesk.ticket",
            "thread_id": str(ticket.id),
            "csrf_token": self.csrf(),
        }
        data.update(extra)
        return self.url_open(
            "/mail/attachment/upload",
            data=data,
            files={"ufile": (name, content, "application/octet-stream")},
        )

    def test_mail_upload_applies_the_reply_form_rules(self):
        self.login(self.colleague)
        Attachment = self.env["ir.attachment"]
        response = self.mail_upload(self.ticket_colleague, "tool.exe", b"MZ\x90\x00")
        self.assertFalse(Attachment.search([("name", "=", "tool.exe")]))
        self.assertNotIn("Traceback", response.text)
        big = PNG + b"\x00" * (2 * 1024 * 1024)  # the company accepts 1 MB
        self.mail_upload(self.ticket_colleague, "enorme.png", big)
        self.assertFalse(Attachment.search([("name", "=", "enorme.png")]))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        self.mail_upload(self.ticket_colleague, "dibujo.png", svg)
        self.assertFalse(Attachment.search([("name", "=", "dibujo.png")]))
        response = self.mail_upload(self.ticket_colleague, "captura.png", PNG)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            Attachment.search(
                [
                    ("name", "=", "captura.png"),
                    ("res_id", "=", self.ticket_colleague.id),
                ]
            )
        )
        # Someone else's ticket: nothing is stored.
        self.login(self.outsider)
        self.mail_upload(self.ticket_colleague, "ajena.png", PNG)
        self.assertFalse(Attachment.search([("name", "=", "ajena.png")]))

    def test_pending_upload_then_chatter_post_applies_the_rules(self):
        self.login(self.colleague)
        response = self.mail_upload(
            self.ticket_colleague, "tool.exe", b"MZ\x90\x00", is_pending="true"
        )
        before = self.messages(self.ticket_colleague)
        if response.status_code == 200 and "id" in response.json():
            data = response.json()
            self.chatter_post(
                self.ticket_colleague,
                "PENDING-EXE",
                attachment_ids=[data["id"]],
                attachment_tokens=[data.get("accessToken")],
            )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("name", "=", "tool.exe"),
                    ("res_model", "=", "helpdesk.ticket"),
                ]
            )
        )
        self.assertEqual(self.messages(self.ticket_colleague), before)

    def test_internal_files_not_downloadable(self):
        note_file = self.env["ir.attachment"].search(
            [("name", "=", "nota-interna.txt")]
        )
        self.assertTrue(note_file)
        for user in (self.designated, self.colleague, self.outsider):
            self.login(user)
            for url in (
                f"/web/content/{note_file.id}",
                f"/web/content/{note_file.id}?download=true",
                f"/web/image/{note_file.id}",
            ):
                response = self.url_open(url)
                # /web/image answers a placeholder image instead of the file.
                if url.startswith("/web/content"):
                    self.assertIn(response.status_code, (403, 404), (user.login, url))
                self.assertNotIn(b"internal only", response.content)
        self.authenticate(None, None)
        response = self.url_open(f"/web/content/{note_file.id}")
        self.assertNotIn(b"internal only", response.content)

    def test_other_customer_file_not_downloadable_without_token(self):
        public_file = self.env["ir.attachment"].search(
            [("name", "=", "respuesta-publica.txt")]
        )
        self.login(self.outsider)
        response = self.url_open(f"/web/content/{public_file.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"public answer", response.content)

    # ------------------------------------------------------------------ parameters

    def test_bad_list_parameters_fall_back_to_defaults(self):
        self.login(self.colleague)
        for query in (
            "date_begin=x&date_end=y",
            "date_begin=x&date_end=y&debug=1",
            "date_begin=2026-13-45&date_end=2026-01-01",
            "page=abc",
            "groupby=evil&search_in=evil",
        ):
            response = self.url_open(f"/my/tickets?{query}")
            self.assertIn(response.status_code, (200, 404), query)
            self.assertFalse("Traceback" in response.text, query)
            if response.status_code == 200:
                self.assertEqual(
                    self.listed_numbers(response), {self.ticket_colleague.number}, query
                )
        response = self.url_open("/my/tickets?search=%27%22%3Cscript%3E")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(b"<script>" in response.content.split(b"</head>")[1])

    # ------------------------------------------------------------------ ratings

    def test_demo_rating_tokens_are_random(self):
        ratings = self.env.ref(
            "qubiq_helpdesk_portal.rating_javier_albaran_demo"
        ) | self.env.ref("qubiq_helpdesk_portal.rating_javier_conciliacion_demo")
        for rating in ratings:
            self.assertNotIn("qubiq-demo", rating.access_token)
            self.assertGreaterEqual(len(rating.access_token), 32)
            self.assertTrue(rating.consumed and rating.rating)
        self.authenticate(None, None)
        for token in ("qubiq-demo-rating-albaran", "qubiq-demo-rating-conciliacion"):
            response = self.url_open(f"/rate/{token}/1")
            self.assertEqual(response.status_code, 404)

    # ------------------------------------------------------------ the suite routes

    def ticket_routes(self, ticket):
        return {
            f"/my/ticket/{ticket.id}/reply": {"message": "WALK-REPLY"},
            f"/my/ticket/{ticket.id}/close": {
                "stage_id": str(self.stage_done.id),
                "reason": "WALK-CLOSE",
            },
            f"/my/ticket/{ticket.id}/reopen": {"reason": "WALK-REOPEN"},
        }

    def assert_untouched(self, ticket, stage, messages):
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, stage)
        self.assertEqual(self.messages(ticket), messages)

    def test_writing_routes_refuse_get_and_missing_csrf(self):
        self.login(self.colleague)
        ticket = self.ticket_colleague
        stage, messages = ticket.stage_id, self.messages(ticket)
        routes = dict(
            self.ticket_routes(ticket),
            **{
                "/my/account-manager/send": {
                    "topic": "dissatisfaction",
                    "message": "WALK-AM",
                },
            },
        )
        followups = self.env["qubiq.satisfaction.followup"].search([])
        for url, data in routes.items():
            query = "&".join(f"{key}={value}" for key, value in data.items())
            response = self.url_open(f"{url}?{query}", allow_redirects=False)
            self.assertEqual(response.status_code, 405, url)
            response = self.url_open(url, data=data, allow_redirects=False)
            self.assertEqual(response.status_code, 400, url)
        self.assert_untouched(ticket, stage, messages)
        self.assertEqual(self.env["qubiq.satisfaction.followup"].search([]), followups)

    def test_token_holder_reads_but_cannot_act(self):
        ticket = self.ticket_colleague
        token = ticket.sudo()._portal_ensure_token()
        stage, messages = ticket.stage_id, self.messages(ticket)
        for user in (None, self.outsider):
            if user:
                self.login(user)
            else:
                self.authenticate(None, None)
            response = self.url_open(f"/my/ticket/{ticket.id}?access_token={token}")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn(b"qubiq_reply", response.content.split(b"<main")[-1])
            for url, data in self.ticket_routes(ticket).items():
                response = self.post(f"{url}?access_token={token}", data)
                if user:
                    self.assertEqual(response.status_code, 404, url)
                else:
                    self.assertIn("/web/login", response.headers.get("Location", ""))
        self.assert_untouched(ticket, stage, messages)

    def test_forged_ids_answer_not_found(self):
        self.login(self.outsider)
        ticket = self.ticket_colleague
        stage, messages = ticket.stage_id, self.messages(ticket)
        for target in (ticket.id, 999999):
            response = self.url_open(f"/my/ticket/{target}")
            self.assertEqual(response.status_code, 404)
            for url, data in self.ticket_routes(ticket.browse(target)).items():
                response = self.post(url, data)
                self.assertEqual(response.status_code, 404, url)
            response = self.url_open(f"/ticket/close?ticket_id={target}")
            self.assertEqual(response.status_code, 404)
        for bad in ("abc", "-1", "1 OR 1=1"):
            response = self.url_open(f"/ticket/close?ticket_id={bad}")
            self.assertEqual(response.status_code, 404, bad)
        followups = self.env["qubiq.satisfaction.followup"].search([])
        response = self.post(
            "/my/account-manager/send",
            {"topic": "other", "message": "WALK-AM", "ticket_id": str(ticket.id)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"choose one of your tickets", response.content)
        self.assertEqual(self.env["qubiq.satisfaction.followup"].search([]), followups)
        self.assert_untouched(ticket, stage, messages)

    def test_portal_upload_route_refuses_token_only_and_foreign_tickets(self):
        token = self.ticket_colleague.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(
            "/portal/attachment/add",
            data={
                "name": "anon.png",
                "res_model": "helpdesk.ticket",
                "res_id": str(self.ticket_colleague.id),
                "access_token": token,
                "csrf_token": self.csrf(),
            },
            files={"file": ("anon.png", PNG, "image/png")},
        )
        # Odoo keeps such a file pending (not on the ticket) until a message
        # links it, and the message gate refuses token holders.
        status, _result, error = self.chatter_post(
            self.ticket_colleague,
            "ANON-FILE",
            token=token,
            attachment_ids=[response.json()["id"]] if response.ok else [],
            attachment_tokens=[response.json()["access_token"]] if response.ok else [],
        )
        self.assertTrue(error or status != 200)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("name", "=", "anon.png"), ("res_model", "=", "helpdesk.ticket")]
            )
        )
