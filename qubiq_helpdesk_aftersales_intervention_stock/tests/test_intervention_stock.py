# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.qubiq_helpdesk_aftersales_intervention.tests.common import (
    SIGNATURE,
    create_worksheet_fixture,
    plan_intervention,
)


@tagged("post_install", "-at_install")
class TestInterventionStock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        create_worksheet_fixture(cls)
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.van = cls.env["stock.location"].create(
            {
                "name": "Van 1",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        cls.technician.intervention_location_id = cls.van
        cls.storable = cls.env["product.product"].create(
            {"name": "Power supply 24 V (stock)", "type": "product"}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Travel", "type": "service"}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.storable, cls.van, 5)
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Till switches off",
                "description": "<p>x</p>",
                "team_id": cls.team.id,
                "partner_id": cls.customer.id,
            }
        )

    def _plan_and_fill(self, **values):
        values.setdefault("user_ids", [Command.set(self.technician.ids)])
        task = plan_intervention(
            self.ticket,
            self.agent,
            name="Till check",
            worksheet_template_id=False,
            **values,
        )
        task.intervention_part_ids = [
            Command.create({"product_id": self.storable.id, "quantity": 2}),
            Command.create({"product_id": self.product.id, "quantity": 1}),
        ]
        task.action_intervention_ready()
        return task

    def test_parts_leave_the_van_when_signed(self):
        task = self._plan_and_fill()
        self.assertEqual(task.intervention_location_id, self.van)
        self.assertFalse(task.intervention_move_ids)
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        moves = task.intervention_move_ids
        self.assertEqual(len(moves), 2)
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(moves.location_id, self.van)
        self.assertEqual(moves.location_dest_id, self.customer.property_stock_customer)
        self.assertEqual(task.intervention_part_ids.move_id, moves)
        self.assertEqual(
            self.storable.with_context(location=self.van.id).qty_available, 3
        )
        # the signature removed and given again: nothing moves twice
        task.action_intervention_reset_signature()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        self.assertEqual(task.intervention_move_ids, moves)

    def test_warehouse_without_van(self):
        self.technician.intervention_location_id = False
        task = self._plan_and_fill()
        task.intervention_part_ids = [Command.create({"product_id": self.service.id})]
        self.assertEqual(task.intervention_location_id, self.warehouse.lot_stock_id)
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        self.assertEqual(
            task.intervention_move_ids.location_id, self.warehouse.lot_stock_id
        )
        # a service is no part to move
        self.assertNotIn(self.service, task.intervention_move_ids.product_id)
