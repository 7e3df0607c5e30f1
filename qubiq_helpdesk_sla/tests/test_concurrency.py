# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two workers at once on one ticket, with two real database cursors.

Each race runs two transactions, A and B, the way two Odoo workers do under
REPEATABLE READ: B takes its snapshot, A does its work and commits, then B does
the same work from its stale snapshot and must fail with a serialization error
(Odoo retries HTTP requests on it with a fresh snapshot) instead of acting on what
it read; the retry is emulated on a new cursor and the invariant checked. The
set-up is committed and deleted again in the clean-up.
"""

from datetime import timedelta

from psycopg2 import errors

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTicketConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.customer_id = (
                env["res.partner"]
                .create(
                    {
                        "name": "Concurrencia Clientes SA",
                        "is_company": True,
                        "email": "soporte@concurrencia.example.com",
                    }
                )
                .id
            )
            cls.agent_id = env.ref("base.user_admin").id
        cls.addClassCleanup(cls._delete_customer)

    @classmethod
    def _delete_customer(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["helpdesk.ticket"].with_context(active_test=False).search(
                [("partner_id", "=", cls.customer_id)]
            ).unlink()
            env["res.partner"].browse(cls.customer_id).unlink()

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            self.ticket_id = (
                env["helpdesk.ticket"]
                .create(
                    {
                        "name": "No arranca el TPV",
                        "description": "<p>...</p>",
                        "partner_id": self.customer_id,
                    }
                )
                .id
            )

    def env_of(self, cr, uid=SUPERUSER_ID):
        # A worker sends notification e-mails after the commit; a test thread sends
        # them at once, flushing every pending write on the way. Queue them, so
        # that the writes happen in the order a worker does them.
        return api.Environment(cr, uid, {"mail_notify_force_send": False})

    def race(self, work, uid=SUPERUSER_ID):
        """``work(env)`` on A, committed after B took its snapshot, then on B,
        which must fail with a serialization error; then on a fresh cursor (Odoo's
        retry). Returns what the retry returned."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env_of(cr_a, uid), self.env_of(cr_b, uid)
            # B's snapshot: REPEATABLE READ takes it at the transaction's first query.
            env_b["helpdesk.ticket"].browse(self.ticket_id).stage_id.mapped("name")
            work(env_a)
            cr_a.commit()
            with (
                self.assertRaises(errors.SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                work(env_b)
                env_b.flush_all()
            cr_b.rollback()
        with self.registry.cursor() as cr:
            return work(self.env_of(cr, uid))

    def test_one_open_pause_when_two_agents_wait_for_the_customer(self):
        """Two agents put the ticket in "Awaiting" at once: the second conflicts on
        the ticket's row and, retried, finds it already waiting (one pause)."""

        def wait(env):
            env["helpdesk.ticket"].browse(self.ticket_id).stage_id = env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_awaiting"
            )

        self.race(wait)
        with self.registry.cursor() as cr:
            pauses = self.env_of(cr)["qubiq.sla.pause"].search(
                [("ticket_id", "=", self.ticket_id)]
            )
            self.assertEqual(len(pauses), 1)
            self.assertFalse(pauses.date_end)

    def test_second_open_pause_is_refused_by_the_database(self):
        """Whatever the path (an import, a future flow that does not write the
        ticket), the database keeps one open pause per ticket."""
        with self.registry.cursor() as cr:
            Pause = self.env_of(cr)["qubiq.sla.pause"]
            now = fields.Datetime.now()
            Pause.create(
                {"ticket_id": self.ticket_id, "date_start": now - timedelta(hours=1)}
            )
            with (
                self.assertRaises(errors.UniqueViolation),
                mute_logger("odoo.sql_db"),
            ):
                Pause.create({"ticket_id": self.ticket_id, "date_start": now})
            cr.rollback()

    def test_first_response_recorded_once(self):
        """Two agents answer at once: the second conflicts on the ticket's row and,
        retried, keeps the first one's response time."""

        def answer(env):
            ticket = env["helpdesk.ticket"].browse(self.ticket_id)
            return ticket.message_post(
                body="Lo revisamos ahora mismo.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        self.race(answer, uid=self.agent_id)
        with self.registry.cursor() as cr:
            ticket = self.env_of(cr)["helpdesk.ticket"].browse(self.ticket_id)
            answers = ticket.message_ids.filtered(
                lambda m: m.message_type == "comment" and "revisamos" in m.body
            )
            self.assertEqual(len(answers), 2)
            self.assertEqual(
                ticket.sla_first_response_date, min(answers.mapped("date"))
            )
