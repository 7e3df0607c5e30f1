# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's portal over real HTTP: who lists, opens, answers and closes which
ticket, and what they never see."""

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import PNG, PortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalTickets(PortalHttpCase):
    # ------------------------------------------------------------------ list

    def test_contact_lists_only_own_and_followed_tickets(self):
        self.login(self.colleague)
        response = self.url_open("/my/tickets?filterby=all")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.listed_numbers(response), {self.ticket_colleague.number})
        # Following a colleague's ticket (added in copy) shows it too.
        self.ticket_designated.message_subscribe(
            partner_ids=self.colleague.partner_id.ids
        )
        response = self.url_open("/my/tickets?filterby=all")
        self.assertEqual(
            self.listed_numbers(response),
            {self.ticket_colleague.number, self.ticket_designated.number},
        )
        response = self.url_open("/my/tickets?filterby=all&scope=mine")
        self.assertEqual(self.listed_numbers(response), {self.ticket_colleague.number})

    def test_designated_contact_lists_the_whole_company(self):
        self.login(self.designated)
        response = self.url_open("/my/tickets?filterby=all")
        self.assertEqual(
            self.listed_numbers(response),
            {self.ticket_designated.number, self.ticket_colleague.number},
        )
        self.assertIn(b"o_qubiq_designated_note", response.content)
        response = self.url_open("/my/tickets?filterby=all&scope=mine")
        self.assertEqual(self.listed_numbers(response), {self.ticket_designated.number})

    def test_list_columns_and_sla(self):
        self.login(self.colleague)
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        row = self._row(response, self.ticket_colleague)
        text = " ".join(row.text_content().split())
        self.assertIn(self.ticket_colleague.name, text)
        self.assertIn(self.agent.name, text)  # assignee
        self.assertIn("Incident", text)  # type
        self.assertIn("Normal", text)  # priority label
        # The contract applies: the first answer is due, not indicative.
        self.assertIn("Answer by", text)
        self.assertFalse(row.xpath(".//*[contains(@class, 'o_qubiq_sla_indicative')]"))
        cell = row.xpath(".//*[@data-status]")[0]
        self.assertEqual(cell.get("data-status"), "due")

    def test_list_dates_in_the_customer_time_zone(self):
        """The list formats its dates with one formatter per page: the customer
        reads them in their own time zone (Europe/Madrid), as the widgets did."""
        # 23:30 UTC on 31 March is 1 April in Madrid; closed 2 April 22:30 UTC,
        # 00:30 on 3 April there.
        self.ticket_colleague.sla_start_date = "2026-03-31 23:30:00"
        self.login(self.colleague)
        text = " ".join(
            self._row(self.url_open("/my/tickets"), self.ticket_colleague)
            .text_content()
            .split()
        )
        self.assertIn("04/01/2026", text)  # en_US: month first
        self.ticket_colleague.stage_id = self.stage_done
        self.ticket_colleague.closed_date = "2026-04-02 22:30:00"
        response = self.url_open("/my/tickets?filterby=closed")
        text = " ".join(
            self._row(response, self.ticket_colleague).text_content().split()
        )
        self.assertIn("Closed on 04/03/2026", text)
        # A ticket created in a closing stage (imported, or the demo's) has no
        # closing date: no "Closed on" with nothing after it.
        self.ticket_colleague.closed_date = False
        response = self.url_open("/my/tickets?filterby=closed")
        text = " ".join(
            self._row(response, self.ticket_colleague).text_content().split()
        )
        self.assertIn("Ticket closed", text)
        self.assertNotIn("Closed on", text)

    def test_newest_first_by_reception_date(self):
        # The colleague's ticket was recorded last but received two days before
        # the designated contact's one: "Newest" follows the date the list shows.
        now = fields.Datetime.now()
        self.ticket_colleague.sla_start_date = now - timedelta(days=3)
        self.ticket_designated.sla_start_date = now - timedelta(days=1)
        self.assertGreater(self.ticket_colleague.id, self.ticket_designated.id)
        self.login(self.designated)
        response = self.url_open("/my/tickets?filterby=all&sortby=date")
        numbers = html.fromstring(response.content).xpath("//tr/@data-ticket-number")
        self.assertEqual(
            numbers, [self.ticket_designated.number, self.ticket_colleague.number]
        )

    def test_list_marks_indicative_targets_without_contract(self):
        # Bodegas has no maintenance contract: the company's indicative policy.
        self.login(self.outsider)
        response = self.url_open("/my/tickets")
        row = self._row(response, self.ticket_outsider)
        self.assertTrue(self.ticket_outsider.sla_indicative)
        self.assertTrue(row.xpath(".//*[contains(@class, 'o_qubiq_sla_indicative')]"))

    def test_open_and_closed_filters(self):
        self.ticket_colleague.stage_id = self.stage_done
        self.login(self.colleague)
        self.assertFalse(self.listed_numbers(self.url_open("/my/tickets")))
        self.assertEqual(
            self.listed_numbers(self.url_open("/my/tickets?filterby=closed")),
            {self.ticket_colleague.number},
        )
        # A crafted sort or filter falls back to the defaults instead of failing.
        response = self.url_open("/my/tickets?sortby=evil&filterby=nope&scope=all")
        self.assertEqual(response.status_code, 200)

    def test_search_and_pager(self):
        self.login(self.designated)
        response = self.url_open("/my/tickets?filterby=all&search=albarán")
        self.assertEqual(self.listed_numbers(response), {self.ticket_colleague.number})
        response = self.url_open(
            f"/my/tickets?filterby=all&search_in=number&search="
            f"{self.ticket_designated.number}"
        )
        self.assertEqual(self.listed_numbers(response), {self.ticket_designated.number})

    def test_home_counter_counts_visible_tickets(self):
        self.login(self.colleague)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["ticket_count"]}
        )
        self.assertEqual(counters["ticket_count"], 1)
        self.login(self.designated)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["ticket_count"]}
        )
        self.assertEqual(counters["ticket_count"], 2)

    # ------------------------------------------------------------------ page

    def test_ticket_page_shows_public_history_only(self):
        self.login(self.designated)
        response = self.url_open(f"/my/ticket/{self.ticket_designated.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_designated.name.encode(), response.content)
        self.assertIn(b"respuesta-publica.txt", response.content)
        self.assertNotIn(b"NOTA-INTERNA", response.content)
        self.assertNotIn(b"nota-interna.txt", response.content)
        self.assertIn(b'id="qubiq_portal_ticket_extra"', response.content)
        # The history the page's chatter loads: the public answer, no note.
        data = self.make_jsonrpc_request(
            "/mail/chatter_init",
            {"res_model": "helpdesk.ticket", "res_id": self.ticket_designated.id},
        )
        bodies = " ".join(message["body"] for message in data["messages"])
        self.assertIn("RESPUESTA-PUBLICA", bodies)
        self.assertNotIn("NOTA-INTERNA", bodies)
        files = [a["name"] for m in data["messages"] for a in m["attachment_ids"]]
        self.assertIn("respuesta-publica.txt", files)
        self.assertNotIn("nota-interna.txt", files)

    def test_other_customer_ticket_is_not_found(self):
        self.login(self.outsider)
        response = self.url_open(f"/my/ticket/{self.ticket_designated.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.ticket_designated.name.encode(), response.content)
        self.assertNotIn(self.ticket_designated.number.encode(), response.content)
        # Same answer as for a ticket that does not exist.
        missing = self.url_open("/my/ticket/999999")
        self.assertEqual(missing.status_code, 404)
        # The chatter of that ticket returns nothing to them either.
        data = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"res_model": "helpdesk.ticket", "res_id": self.ticket_designated.id},
        )
        self.assertEqual((data["messages"], data["message_count"]), ([], 0))

    def test_colleague_ticket_only_for_designated_contacts(self):
        self.login(self.colleague)
        response = self.url_open(f"/my/ticket/{self.ticket_designated.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.ticket_designated.name.encode(), response.content)
        self.login(self.designated)
        response = self.url_open(f"/my/ticket/{self.ticket_colleague.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_colleague.name.encode(), response.content)

    # ------------------------------------------------------------------ reply

    def test_reply_with_attachment(self):
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reply",
            {"message": "Adjunto la captura completa del error."},
            files=[("attachment", ("captura.png", PNG, "image/png"))],
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("done=sent", response.headers["Location"])
        new = self.messages(self.ticket_colleague) - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.author_id, self.colleague.partner_id)
        self.assertEqual(new.message_type, "comment")
        self.assertFalse(new.subtype_id.internal)
        self.assertIn("captura completa", new.body)
        self.assertEqual(new.attachment_ids.mapped("name"), ["captura.png"])
        self.assertEqual(new.attachment_ids.res_id, self.ticket_colleague.id)
        page = self.url_open(f"/my/ticket/{self.ticket_colleague.id}?done=sent")
        self.assertIn(b"captura.png", page.content)

    def test_designated_contact_answers_a_colleague_ticket(self):
        self.login(self.designated)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reply",
            {"message": "Lo reviso yo, Ana está de vacaciones."},
        )
        self.assertEqual(response.status_code, 303)
        last = self.messages(self.ticket_colleague)[:1]
        self.assertEqual(last.author_id, self.designated.partner_id)

    def test_forged_ticket_id_in_reply_url_writes_nothing(self):
        for user in (self.outsider, self.colleague):
            self.login(user)
            messages = self.messages(self.ticket_designated)
            attachments = self.attachments(self.ticket_designated)
            response = self.post(
                f"/my/ticket/{self.ticket_designated.id}/reply",
                {"message": "Mensaje colado"},
                files=[("attachment", ("colado.png", PNG, "image/png"))],
            )
            self.assertEqual(response.status_code, 404)
            self.assertIn(b"does not exist or you cannot see it", response.content)
            self.assertNotIn(self.ticket_designated.name.encode(), response.content)
            self.assertEqual(self.messages(self.ticket_designated), messages)
            self.assertEqual(self.attachments(self.ticket_designated), attachments)
        # Odoo's own chatter route follows the same rules.
        self.login(self.outsider)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/chatter_post",
                {
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket_designated.id,
                    "message": "Mensaje colado",
                },
            )
        self.assertFalse(
            self.messages(self.ticket_designated).filtered(
                lambda m: "colado" in (m.body or "")
            )
        )

    def test_empty_reply_and_bad_file_are_refused(self):
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        response = self.post(f"/my/ticket/{self.ticket_colleague.id}/reply", {})
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"Message: write your answer", response.content)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reply",
            {"message": "Texto que no se pierde"},
            files=[("attachment", ("programa.exe", b"MZ\x90\x00", "application/x"))],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            b"programa.exe: this type of file is not accepted", response.content
        )
        self.assertIn(b"Texto que no se pierde", response.content)
        self.assertEqual(self.messages(self.ticket_colleague), before)

    def test_odoo_portal_upload_checks_ticket_files(self):
        self.login(self.colleague)
        Attachment = self.env["ir.attachment"]

        def upload(ticket, name, content):
            return self.url_open(
                "/portal/attachment/add",
                data={
                    "name": name,
                    "res_model": "helpdesk.ticket",
                    "res_id": str(ticket.id),
                    "csrf_token": self.csrf(),
                },
                files={"file": (name, content, "application/octet-stream")},
            )

        response = upload(self.ticket_colleague, "programa.exe", b"MZ\x90\x00")
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(Attachment.search([("name", "=", "programa.exe")]))
        response = upload(self.ticket_colleague, "captura.png", PNG)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["name"], "captura.png")
        # Someone else's ticket: Odoo refuses it before any check of the file.
        response = upload(self.ticket_designated, "captura-ajena.png", PNG)
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(Attachment.search([("name", "=", "captura-ajena.png")]))

    # ------------------------------------------------------------------ close

    def test_close_own_ticket_with_reason(self):
        self.login(self.colleague)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/close",
            {"stage_id": str(self.stage_done.id), "reason": "Ya imprime el lote."},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.ticket_colleague.stage_id, self.stage_done)
        self.assertTrue(self.ticket_colleague.closed_date)
        log = self.messages(self.ticket_colleague).filtered(
            lambda m: "closed the ticket from the portal" in (m.body or "")
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.author_id, self.colleague.partner_id)
        self.assertFalse(log.subtype_id.internal)
        self.assertIn("Ya imprime el lote.", log.body)
        # helpdesk_mgmt_rating asked for the faces.
        request = self.ticket_colleague.rating_ids.filtered(
            lambda r: r.partner_id == self.colleague.partner_id and not r.consumed
        )
        self.assertEqual(len(request), 1)
        page = self.url_open(f"/my/ticket/{self.ticket_colleague.id}?done=closed")
        self.assertIn(f"/rate/{request.access_token}/1".encode(), page.content)

    def test_close_other_customer_ticket_is_refused(self):
        for user in (self.outsider, self.colleague):
            self.login(user)
            messages = self.messages(self.ticket_designated)
            response = self.post(
                f"/my/ticket/{self.ticket_designated.id}/close",
                {"stage_id": str(self.stage_done.id), "reason": "cerrado ajeno"},
            )
            self.assertEqual(response.status_code, 404)
            self.assertEqual(self.ticket_designated.stage_id, self.stage_new)
            self.assertEqual(self.messages(self.ticket_designated), messages)

    def test_close_into_a_stage_not_offered_is_refused(self):
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        self.login(self.colleague)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/close",
            {"stage_id": str(rejected.id)},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.ticket_colleague.stage_id, self.stage_new)

    def test_helpdesk_mgmt_close_route_writes_nothing(self):
        # helpdesk_mgmt's GET /ticket/close closed any ticket id it was given.
        self.login(self.outsider)
        response = self.url_open(
            f"/ticket/close?ticket_id={self.ticket_designated.id}"
            f"&stage_id={self.stage_done.id}"
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.ticket_designated.name.encode(), response.content)
        self.assertEqual(self.ticket_designated.stage_id, self.stage_new)
        # On their own ticket it only leads to the page (closing is confirmed there).
        self.login(self.colleague)
        response = self.url_open(
            f"/ticket/close?ticket_id={self.ticket_colleague.id}"
            f"&stage_id={self.stage_done.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/ticket/{self.ticket_colleague.id}", response.url)
        self.assertEqual(self.ticket_colleague.stage_id, self.stage_new)

    # ------------------------------------------------------------------ reopen

    def test_reopen_within_the_window_only(self):
        self.ticket_colleague.stage_id = self.stage_done
        self.login(self.colleague)
        # Without a reason: refused, nothing changes.
        response = self.post(f"/my/ticket/{self.ticket_colleague.id}/reopen", {})
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"Reason: tell us what is still wrong", response.content)
        self.assertTrue(self.ticket_colleague.closed)
        # Closed 8 days ago, the window is 7 days: refused.
        self.ticket_colleague.closed_date = fields.Datetime.now() - timedelta(days=8)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reopen",
            {"reason": "Vuelve a fallar"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"send a new ticket", response.content)
        self.assertTrue(self.ticket_colleague.closed)
        # Closed 2 days ago: reopened into the team's first open stage, logged.
        self.ticket_colleague.closed_date = fields.Datetime.now() - timedelta(days=2)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reopen",
            {"reason": "Vuelve a fallar"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.ticket_colleague.closed)
        self.assertEqual(self.ticket_colleague.stage_id, self.stage_new)
        log = self.messages(self.ticket_colleague).filtered(
            lambda m: "Vuelve a fallar" in (m.body or "")
        )
        self.assertEqual(log.author_id, self.colleague.partner_id)
        self.assertIn("reopened the ticket from the portal", log.body)

    def test_closed_ticket_refuses_replies(self):
        self.ticket_colleague.stage_id = self.stage_done
        self.login(self.colleague)
        before = self.messages(self.ticket_colleague)
        response = self.post(
            f"/my/ticket/{self.ticket_colleague.id}/reply", {"message": "¿Hola?"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"This ticket is closed", response.content)
        self.assertEqual(self.messages(self.ticket_colleague), before)

    # ------------------------------------------------------------------ helpers

    def _row(self, response, ticket):
        rows = html.fromstring(response.content).xpath(
            f"//tr[@data-ticket-number='{ticket.number}']"
        )
        self.assertEqual(len(rows), 1, f"{ticket.number} is listed once")
        return rows[0]
