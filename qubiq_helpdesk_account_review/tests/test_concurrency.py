# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two workers send the monthly pack at once, with two real database cursors: the
customer gets it once."""

from psycopg2 import errors

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from ..models.log_claim import claim_rows

MONTH = "2026-03"


@tagged("post_install", "-at_install")
class TestMonthlyPackConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["res.partner"].create(
                {
                    "name": "Concurrencia Paquete SA",
                    "is_company": True,
                    "email": "gerencia@paquete.example.com",
                }
            )
            policy = env["qubiq.sla.policy"].search([], limit=1)
            contract = env["qubiq.support.contract"].create(
                {
                    "name": "Mantenimiento Concurrencia",
                    "partner_id": customer.id,
                    "policy_id": policy.id,
                    "date_start": "2026-01-01",
                    "state": "active",
                }
            )
            cls.customer_id, cls.contract_id = customer.id, contract.id
            cls.company_id = env.company.id
        cls.addClassCleanup(cls._delete)

    @classmethod
    def _delete(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["qubiq.account.review.send"].search(
                [("partner_id", "=", cls.customer_id)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "=", cls.customer_id)]
            ).unlink()
            env["qubiq.support.contract"].browse(cls.contract_id).unlink()
            env["res.partner"].browse(cls.customer_id).unlink()

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"mail_notify_force_send": False})

    def send(self, env):
        Send = env["qubiq.account.review.send"]
        partner = env["res.partner"].browse(self.customer_id)
        contracts = env["qubiq.support.contract"].browse(self.contract_id)
        company = env["res.company"].browse(self.company_id)
        logs = Send._send_batch(
            partner, MONTH, company, contracts, env["qubiq.hours.bank"]
        )
        env.flush_all()
        return logs.filtered(lambda log: log.message_id)

    def messages(self, env):
        return env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer_id),
                ("attachment_ids", "!=", False),
            ]
        )

    def test_two_workers_send_the_pack_once(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env_of(cr_a), self.env_of(cr_b)
            # B's snapshot: REPEATABLE READ takes it at the transaction's first query.
            self.messages(env_b)
            self.assertEqual(len(self.send(env_a)), 1)
            cr_a.commit()
            # B read no log for the month, yet its claim conflicts with A's row.
            with (
                self.assertRaises(errors.SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                self.send(env_b)
            cr_b.rollback()
        # Odoo's retry (a fresh snapshot), or the next day's run: nothing more.
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            self.assertFalse(self.send(env))
            self.assertEqual(len(self.messages(env)), 1)

    def test_two_workers_give_a_warning_once(self):
        """Two daily runs at once find the same event: only one claims it."""

        def claim(env):
            Warning = env["qubiq.account.review.warning"]
            return claim_rows(
                env,
                Warning._table,
                ["partner_id", "kind", "period", "company_id"],
                [(self.customer_id, "ratings", MONTH, self.company_id)],
            )

        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env_of(cr_a), self.env_of(cr_b)
            # B's snapshot, taken at its first query.
            env_b["qubiq.account.review.warning"].search_count([])
            self.assertEqual(len(claim(env_a)), 1)
            cr_a.commit()
            with (
                self.assertRaises(errors.SerializationFailure),
                mute_logger("odoo.sql_db"),
            ):
                claim(env_b)
            cr_b.rollback()
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            self.assertFalse(claim(env))
            warnings = env["qubiq.account.review.warning"].search(
                [("partner_id", "=", self.customer_id)]
            )
            self.assertEqual(len(warnings), 1)
            warnings.unlink()
