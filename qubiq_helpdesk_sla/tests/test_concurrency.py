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
from email.message import EmailMessage

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


@tagged("post_install", "-at_install")
class TestClosedReplyConcurrency(BaseCase):
    """Two e-mails answering a ticket closed a month ago, delivered at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            company = env.ref("base.main_company")
            cls.company_settings = {
                "qubiq_closed_reply_mode": company.qubiq_closed_reply_mode,
                "qubiq_closed_reply_days": company.qubiq_closed_reply_days,
            }
            company.write(
                {"qubiq_closed_reply_mode": "new", "qubiq_closed_reply_days": 7}
            )
            cls.addClassCleanup(cls._restore)
            cls.contact_id = (
                env["res.partner"]
                .create(
                    {
                        "name": "Lucía Concurrente",
                        "email": "lucia@concurrencia.example.com",
                    }
                )
                .id
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Permisos del almacén",
                    "description": "<p>...</p>",
                    "partner_id": cls.contact_id,
                }
            )
            env["mail.message"].create(
                {
                    "model": ticket._name,
                    "res_id": ticket.id,
                    "message_type": "email",
                    "body": "El usuario de almacén no ve Inventario.",
                    "message_id": "<origen-concurrente@concurrencia.example.com>",
                }
            )
            ticket.stage_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            ticket.closed_date = fields.Datetime.now() - timedelta(days=30)
            cls.origin_id = ticket.id

    @classmethod
    def _restore(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].search(
                [("partner_id", "=", cls.contact_id)]
            )
            tickets.write({"origin_ticket_id": False})
            tickets.unlink()
            env["res.partner"].browse(cls.contact_id).unlink()
            env.ref("base.main_company").write(cls.company_settings)

    def reply(self, env, number):
        message = EmailMessage()
        message["From"] = "Lucía Concurrente <lucia@concurrencia.example.com>"
        message["To"] = "soporte@concurrencia.example.com"
        message["Subject"] = "Re: Permisos del almacén"
        message["Message-ID"] = f"<respuesta-{number}@concurrencia.example.com>"
        message["In-Reply-To"] = "<origen-concurrente@concurrencia.example.com>"
        message["References"] = "<origen-concurrente@concurrencia.example.com>"
        message.set_content(f"Vuelve a pasar ({number}).")
        return env["mail.thread"].message_process(False, message.as_string())

    def test_two_late_replies_open_one_followup(self):
        """The second delivery conflicts on the closed ticket's row; retried, it
        joins the follow-up the first one opened."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # B's snapshot: the closed ticket has no follow-up yet.
            origin_b = env_b["helpdesk.ticket"].browse(self.origin_id)
            self.assertFalse(origin_b.followup_ticket_ids)
            followup_id = self.reply(env_a, 1)
            cr_a.commit()
            self.assertNotEqual(followup_id, self.origin_id)
            with (
                self.assertRaises(errors.SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                self.reply(env_b, 2)
                env_b.flush_all()
            cr_b.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(self.reply(env, 2), followup_id)
            followup = env["helpdesk.ticket"].browse(followup_id)
            origin = env["helpdesk.ticket"].browse(self.origin_id)
            self.assertEqual(origin.followup_ticket_ids, followup)
            self.assertEqual(
                len(
                    followup.message_ids.filtered(lambda m: "Vuelve a pasar" in m.body)
                ),
                2,
            )
