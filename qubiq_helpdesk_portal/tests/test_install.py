# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_dependencies_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    [
                        "qubiq_helpdesk_portal",
                        "qubiq_helpdesk_sla",
                        "helpdesk_mgmt_rating",
                    ],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)

    def test_tickets_carry_ratings_and_sla_fields(self):
        # What the portal pages will read: rating faces (helpdesk_mgmt_rating) and the
        # SLA clock (qubiq_helpdesk_sla) on the same ticket.
        fields = self.env["helpdesk.ticket"]._fields
        self.assertIn("rating_ids", fields)
        self.assertIn("sla_response_deadline", fields)
        self.assertIn("sla_indicative", fields)
