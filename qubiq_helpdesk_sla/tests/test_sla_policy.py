# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaPolicy(SlaCase):
    def _create(self, **line):
        return self.env["qubiq.sla.policy"].create(
            {
                "name": "Mala",
                "calendar_id": self.calendar.id,
                "line_ids": [Command.create(dict({"priority": "1"}, **line))],
            }
        )

    def assertRefused(self, fragment, create, *args, **kwargs):
        # Odoo's assertRaises rolls back to a savepoint, as a refused request would.
        with self.assertRaises(ValidationError) as caught:
            create(*args, **kwargs)
        self.assertIn(fragment, str(caught.exception))

    def test_invalid_targets_are_refused_and_nothing_is_created(self):
        Policy = self.env["qubiq.sla.policy"]
        before = Policy.search_count([])
        self.assertRefused(
            "Response", self._create, response_target=-1, resolution_target=10
        )
        self.assertRefused(
            "Resolution", self._create, response_target=1, resolution_target=-5
        )
        self.assertRefused(
            "longer than the resolution",
            self._create,
            response_target=8,
            resolution_target=4,
        )
        self.assertRefused(
            "Working hours",
            Policy.create,
            {"name": "Sin calendario", "calendar_id": False},
        )
        self.assertEqual(Policy.search_count([]), before)

    def test_duplicate_line_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Priority"):
            self.policy.write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "priority": "1",
                                "response_target": 3,
                                "resolution_target": 9,
                            }
                        )
                    ]
                }
            )

    def test_most_specific_line_wins(self):
        specific = self.env["qubiq.sla.policy.line"].create(
            {
                "policy_id": self.policy.id,
                "priority": "2",
                "type_id": self.consulta.id,
                "response_target": 1,
                "resolution_target": 8,
            }
        )
        self.assertEqual(
            self.policy._find_line("2", self.consulta, self.team), specific
        )
        generic = self.policy._find_line("2", self.incidencia, self.team)
        self.assertEqual(generic.response_target, 4)

    def test_overlapping_active_contracts_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "already has the active contract"):
            self.env["qubiq.support.contract"].create(
                {
                    "name": "Duplicado",
                    "partner_id": self.customer.id,
                    "policy_id": self.policy.id,
                    "date_start": "2026-06-01",
                    "state": "active",
                }
            )

    def test_indicative_factor_below_one_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Indicative factor"):
            self.company.qubiq_sla_indicative_factor = 0.5

    def test_priority_labels_and_descriptions(self):
        ticket = self.new_ticket(priority="3")
        labels = dict(ticket._fields["priority"]._description_selection(self.env))
        self.assertEqual(labels["3"], "Critical")
        self.assertIn("server is down", ticket.priority_description)
        # The test database is installed with Spanish (scripts/run-tests).
        self.assertTrue(self.env["res.lang"]._lang_get("es_ES").active)
        es = ticket.with_context(lang="es_ES")
        labels_es = dict(es._fields["priority"]._description_selection(es.env))
        self.assertEqual(labels_es["3"], "Crítica")
        es.invalidate_recordset(["priority_description"])
        self.assertIn("servidor", es.priority_description)
