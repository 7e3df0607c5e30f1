# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two workers at once on one hours bank, with two real database cursors.

Each test runs two transactions, A and B, the way two Odoo workers do under
REPEATABLE READ: B takes its snapshot, A does its work and commits, then B does
the same work from its stale snapshot. Consuming time: B commits too, without
an error or a retry, and the consumption each runs again after its commit (on
the latest data, one bank at a time) leaves the bank as if they had come one
after the other. Warnings: B fails with a serialization error (Odoo retries
HTTP requests on it with a fresh snapshot) instead of warning twice; the retry
is emulated on a new cursor and the invariant checked. The set-up is committed
and deleted again in the clean-up, so these tests do not run in the usual
rolled-back transaction.
"""

from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestHoursBankConcurrency(BaseCase):
    """A 10-hour pack with 9 hours consumed, on a bank without rounding; tickets of
    a type that always consumes the bank."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.registry(get_db_name())
        today = fields.Date.today()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            cls.addClassCleanup(cls._delete_fixtures)
            company = env.ref("base.main_company")
            cls.manager_id = env.ref("base.user_admin").id
            customer = env["res.partner"].create(
                {
                    "name": "Concurrencia Bolsa SL",
                    "is_company": True,
                    "account_manager_id": cls.manager_id,
                }
            )
            project = env["project.project"].create(
                {"name": "Soporte concurrente", "allow_timesheets": True}
            )
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Equipo concurrente",
                    "allow_timesheet": True,
                    "default_project_id": project.id,
                }
            )
            ticket_type = env["helpdesk.ticket.type"].create(
                {"name": "Consulta concurrente", "hours_bank_policy": "always"}
            )
            employee = env["hr.employee"].create({"name": "Consultor concurrente"})
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Consulta {n}",
                        "description": "<p>...</p>",
                        "team_id": team.id,
                        "project_id": project.id,
                        "partner_id": customer.id,
                        "type_id": ticket_type.id,
                    }
                    for n in range(3)
                ]
            )
            bank = env["qubiq.hours.bank"].create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "block_minutes": 0,
                    "minimum_minutes": 0,
                    "threshold_ids": [Command.clear()],
                }
            )
            pack = env["qubiq.hours.pack"].create(
                {
                    "name": "Bolsa de 10 horas",
                    "bank_id": bank.id,
                    "hours": 10.0,
                    "date_start": today - timedelta(days=30),
                    "state": "active",
                }
            )
            cls.ids = {
                "customer": customer.id,
                "project": project.id,
                "team": team.id,
                "type": ticket_type.id,
                "employee": employee.id,
                "tickets": tickets.ids,
                "bank": bank.id,
                "pack": pack.id,
            }
            cls._log(env, tickets[0].id, 9.0)
        cls.today = today

    @classmethod
    def _delete_fixtures(cls):
        ids = getattr(cls, "ids", None)
        if not ids:
            return
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bank = env["qubiq.hours.bank"].browse(ids["bank"])
            env["account.analytic.line"].search(
                [("project_id", "=", ids["project"])]
            ).unlink()
            env["mail.activity"].search(
                [("res_model", "=", bank._name), ("res_id", "=", bank.id)]
            ).unlink()
            env["helpdesk.ticket"].browse(ids["tickets"]).unlink()
            env["qubiq.hours.pack"].browse(ids["pack"]).unlink()
            bank.unlink()
            env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
            env["helpdesk.ticket.type"].browse(ids["type"]).unlink()
            env["project.project"].browse(ids["project"]).unlink()
            employee = env["hr.employee"].browse(ids["employee"])
            contact = employee.work_contact_id  # created with the employee
            employee.unlink()
            contact.unlink()
            env["res.partner"].browse(ids["customer"]).unlink()

    @classmethod
    def _log(cls, env, ticket_id, hours):
        ticket = env["helpdesk.ticket"].browse(ticket_id)
        return env["account.analytic.line"].create(
            {
                "ticket_id": ticket.id,
                "project_id": ticket.project_id.id,
                "employee_id": cls.ids["employee"],
                "name": "Trabajo",
                "unit_amount": hours,
                "date": fields.Date.today(),
            }
        )

    def _race(self, work_a, work_b):
        """Run ``work_a`` and commit it after B took its snapshot, then ``work_b``
        on B, which must fail with a serialization error; then ``work_b`` again on
        a fresh cursor (Odoo's retry), committed. ``work_*(env)``."""
        # A worker sends notification e-mails after the commit; a test thread sends
        # them at once, flushing every pending write on the way. Queue them, so that
        # the writes happen in the order a worker does them.
        context = {"mail_notify_force_send": False}
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, context)
            env_b = api.Environment(cr_b, SUPERUSER_ID, context)
            # B's snapshot: REPEATABLE READ takes it at the transaction's first query.
            env_b["qubiq.hours.bank"].browse(self.ids["bank"]).threshold_ids.mapped(
                "notified"
            )
            work_a(env_a)
            cr_a.commit()
            with (
                self.assertRaises(errors.SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                work_b(env_b)
                env_b.flush_all()
            cr_b.rollback()
        with self.registry.cursor() as cr:
            work_b(api.Environment(cr, SUPERUSER_ID, context))

    def _consume_at_once(self, b_commits_first):
        """A and B log 0.75 h each when 1 h is left of the pack, from snapshots
        that miss each other's time; A's line is created first. Each saves
        without an error (no retry for the agent to wait for). Returns the two
        lines' ids and the bank's consumption count before."""
        tickets = self.ids["tickets"]
        self.addCleanup(self._delete_timesheets, tickets[1:])
        context = {"mail_notify_force_send": False}
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, context)
            env_b = api.Environment(cr_b, SUPERUSER_ID, context)
            bank_b = env_b["qubiq.hours.bank"].browse(self.ids["bank"])
            version = bank_b.consumption_version  # B's snapshot
            line_a = self._log(env_a, tickets[1], 0.75)
            if not b_commits_first:
                cr_a.commit()
            line_b = self._log(env_b, tickets[2], 0.75)
            # What B computed alone: all of its time in the pack, which, with
            # A's 0.75 h, makes 10.5 h of 10.
            self.assertEqual(
                [(a.kind, a.hours) for a in line_b.hours_allocation_ids],
                [("pack", 0.75)],
            )
            cr_b.commit()
            if b_commits_first:
                cr_a.commit()
            return line_a.id, line_b.id, version

    def _assert_serialized(self, line_a, line_b):
        """The bank after both commits: as if A's and B's time had come one
        after the other (A's line first, oldest-first)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            totals = {
                kind: hours
                for kind, hours in env["qubiq.hours.allocation"]._read_group(
                    [("bank_id", "=", self.ids["bank"])], ["kind"], ["hours:sum"]
                )
            }
            self.assertEqual(totals, {"pack": 10.0, "overage": 0.5})
            allocations = env["qubiq.hours.allocation"].search(
                [("timesheet_id", "in", [line_a, line_b])]
            )
            self.assertEqual(
                sorted(
                    (a.timesheet_id.id, a.kind, round(a.hours, 2)) for a in allocations
                ),
                [
                    (line_a, "pack", 0.75),
                    (line_b, "overage", 0.5),
                    (line_b, "pack", 0.25),
                ],
            )
            bank = env["qubiq.hours.bank"].browse(self.ids["bank"])
            self.assertEqual(bank.balance_state, "overage")
            return bank.consumption_version

    def test_concurrent_consumption_a_commits_first(self):
        """B saves after A has committed: B's pass finds A's pass counted and
        consumes the bank again; the pack holds exactly 10 h, the rest of B's
        time is overage (not 10.5 h of 10)."""
        line_a, line_b, version = self._consume_at_once(b_commits_first=False)
        self.assertEqual(self._assert_serialized(line_a, line_b), version + 2)

    def test_concurrent_consumption_b_commits_first(self):
        """B commits while A's time is not committed yet: B's pass has nothing
        to do (what it missed is not there yet); A's pass then finds B's pass
        counted and consumes the bank again, B's line included."""
        line_a, line_b, version = self._consume_at_once(b_commits_first=True)
        self.assertEqual(self._assert_serialized(line_a, line_b), version + 2)

    def test_lost_pass_repaired_by_the_daily_check(self):
        """A worker dies between its commit and its pass (here: no pass runs at
        all): the bank keeps what each transaction computed from its snapshot,
        10.5 h in the 10-hour pack. The daily cron's check of what changed since
        its last run consumes the bank again: 10 h and 0.5 h of overage."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT now() AT TIME ZONE 'UTC'")
            since = cr.fetchone()[0]
        Allocation = self.registry["qubiq.hours.allocation"]
        with patch.object(Allocation, "_hours_rebalance_committed", lambda *a: None):
            line_a, line_b, _version = self._consume_at_once(b_commits_first=False)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            totals = dict(
                env["qubiq.hours.allocation"]._read_group(
                    [("bank_id", "=", self.ids["bank"])], ["kind"], ["hours:sum"]
                )
            )
            self.assertEqual(totals, {"pack": 10.5}, "stale without the pass")
            banks = env["qubiq.hours.allocation"]._hours_recheck_recent(since)
            self.assertEqual(banks.ids, [self.ids["bank"]])
            banks._hours_update_status()
        self._assert_serialized(line_a, line_b)

    def test_uncontended_consumption(self):
        """One timesheet alone: its pass only counts itself (the allocation its
        transaction computed stands)."""
        tickets = self.ids["tickets"]
        self.addCleanup(self._delete_timesheets, tickets[1:])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bank = env["qubiq.hours.bank"].browse(self.ids["bank"])
            version = bank.consumption_version
            line = self._log(env, tickets[1], 0.5)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            line = env["account.analytic.line"].browse(line.id)
            self.assertEqual(
                [(a.kind, a.hours) for a in line.hours_allocation_ids],
                [("pack", 0.5)],
            )
            self.assertEqual(line.hours_bank_id.consumption_version, version + 1)

    def test_concurrent_warning_once(self):
        """The daily cron and a pack's change both find the bank under a new 2-hour
        warning: only one of them warns (one activity, the manager following
        once); the other fails on the warning's row and, retried, has nothing to
        send."""
        bank_id = self.ids["bank"]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            threshold = env["qubiq.hours.bank.threshold"].create(
                {"bank_id": bank_id, "kind": "hours", "value": 2.0}
            )
        self.addCleanup(self._delete_threshold, threshold.id)

        def update_status(env):
            env["qubiq.hours.bank"].browse(bank_id)._hours_update_status()

        self._race(update_status, update_status)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bank = env["qubiq.hours.bank"].browse(bank_id)
            activity_type = env.ref("qubiq_hours_bank.mail_activity_type_hours_low")
            self.assertEqual(
                bank.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                ).user_id.ids,
                [self.manager_id],
            )
            manager = env["res.users"].browse(self.manager_id).partner_id
            self.assertEqual(
                len(
                    bank.message_follower_ids.filtered(
                        lambda f: f.partner_id == manager
                    )
                ),
                1,
            )
            self.assertTrue(bank.threshold_ids.notified)
            self.assertEqual(bank.balance_state, "low")

    def _delete_timesheets(self, ticket_ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.analytic.line"].search(
                [("ticket_id", "in", ticket_ids)]
            ).unlink()

    def _delete_threshold(self, threshold_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bank = env["qubiq.hours.bank"].browse(self.ids["bank"])
            env["qubiq.hours.bank.threshold"].browse(threshold_id).unlink()
            bank.activity_ids.unlink()
            bank.message_unsubscribe(
                partner_ids=env["res.users"].browse(self.manager_id).partner_id.ids
            )
            bank._hours_update_status()
