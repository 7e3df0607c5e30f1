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
                    ["qubiq_hours_bank", "helpdesk_mgmt_timesheet", "sale_timesheet"],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)

    def test_prepaid_hours_and_ticket_timesheets_are_available(self):
        # What the bank will build on: timesheets on tickets and prepaid service
        # products.
        self.assertIn("timesheet_ids", self.env["helpdesk.ticket"]._fields)
        policies = dict(
            self.env["product.template"]
            ._fields["service_policy"]
            ._description_selection(self.env)
        )
        self.assertIn("ordered_prepaid", policies)
