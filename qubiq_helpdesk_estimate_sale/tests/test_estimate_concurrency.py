# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two workers logging time on one accepted evolutivo at once, with two real
cursors: the 80 % warning is claimed by one transaction only. The set-up is
committed and deleted again in the clean-up."""

from psycopg2 import errors

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestEstimateClaimConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Evolutivo concurrente",
                    "description": "<p>...</p>",
                    "type_id": env.ref("qubiq_helpdesk_sla.ticket_type_evolutivo").id,
                    "estimate_hours": 10.0,
                    "estimate_state": "approved",
                }
            )
            cls.ticket_id = ticket.id
        cls.addClassCleanup(cls._delete_fixtures)

    @classmethod
    def _delete_fixtures(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["helpdesk.ticket"].browse(cls.ticket_id).unlink()

    def test_second_transaction_cannot_claim_the_same_warning(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            ticket_b = env_b["helpdesk.ticket"].browse(self.ticket_id)
            # B takes its snapshot: the warning is not sent yet.
            self.assertEqual(ticket_b.estimate_warned_percent, 0)
            ticket_a = env_a["helpdesk.ticket"].browse(self.ticket_id)
            self.assertTrue(ticket_a._estimate_claim(80))
            cr_a.commit()
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(errors.SerializationFailure),
            ):
                ticket_b._estimate_claim(80)
            cr_b.rollback()
        # Odoo's retry, on a fresh snapshot: already claimed.
        with self.registry.cursor() as cr_c:
            env_c = api.Environment(cr_c, SUPERUSER_ID, {})
            self.assertFalse(
                env_c["helpdesk.ticket"].browse(self.ticket_id)._estimate_claim(80)
            )
            cr_c.rollback()
