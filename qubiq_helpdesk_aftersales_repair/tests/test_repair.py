# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible
from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)


@tagged("post_install", "-at_install")
class TestRepair(AftersalesSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repair_agent = new_test_user(
            cls.env,
            login="aftersales_repair_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,stock.group_stock_user",
        )
        cls.team.write(
            {
                "use_aftersales_repair": True,
                "user_ids": [Command.link(cls.repair_agent.id)],
            }
        )
        tag = cls.env["helpdesk.ticket.tag"].create({"name": "Hardware"})
        cls.repair_tag = cls.env["repair.tags"].create({"name": "Hardware"})
        cls.ticket.write(
            {
                "product_id": cls.product_serial.id,
                "lot_id": cls.lot.id,
                "user_id": cls.repair_agent.id,
                "tag_ids": [Command.set(tag.ids)],
            }
        )

    def _create_repair(self):
        action = self.ticket.with_user(self.repair_agent).action_aftersales_repair()
        Repair = self.env[action["res_model"]].with_user(self.repair_agent)
        form = Form(Repair.with_context(**action["context"]))
        return form

    @freeze_time("2025-03-10 09:00:00")
    def test_repair_prefilled_from_ticket(self):
        form = self._create_repair()
        self.assertEqual(form.partner_id, self.contact)
        self.assertEqual(form.product_id, self.product_serial)
        self.assertEqual(form.lot_id, self.lot)
        self.assertTrue(form.under_warranty)
        self.assertEqual(str(form.schedule_date), "2025-03-10 09:00:00")
        self.assertEqual(form.user_id, self.repair_agent)
        self.assertEqual(form.tag_ids[:], self.repair_tag)
        repair = form.save()
        self.assertEqual(repair.helpdesk_ticket_id, self.ticket)
        self.assertEqual(self.ticket.repair_count, 1)
        self.assertIn(repair.name, self.ticket.message_ids[0].body)

    def test_repair_prefills_return(self):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_model="stock.picking", active_id=self.delivery.id)
            .create({})
        )
        wizard.product_return_moves.filtered(
            lambda line: line.product_id != self.product_serial
        ).unlink()
        returned = self.env["stock.picking"].browse(wizard.create_returns()["res_id"])
        form = self._create_repair()
        self.assertEqual(form.picking_id, returned)

    def test_helpdesk_user_reads_repair_without_repair_rights(self):
        repair = self._create_repair().save()
        other_repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "partner_id": self.customer.id}
        )
        agent = self.agent  # helpdesk user only
        self.assertFalse(agent.has_group("stock.group_stock_user"))
        ticket = self.ticket.with_user(agent)
        self.assertEqual(ticket.repair_count, 1)
        action = ticket.action_view_aftersales_repairs()
        self.assertEqual(action["res_id"], repair.id)
        self.assertEqual(action["view_mode"], "form")
        # the smart button and the chatter link open the default form view:
        # for this user, the read-only one of this module
        self.assertIn(f'data-oe-id="{repair.id}"', self.ticket.message_ids[0].body)
        form_view = self.env.ref(
            "qubiq_helpdesk_aftersales_repair.repair_order_view_form_helpdesk"
        )
        Repair = self.env["repair.order"].with_user(agent)
        views = Repair.get_views([(False, "form"), (False, "tree")])["views"]
        self.assertEqual(views["form"]["id"], form_view.id)
        self.assertEqual(
            views["tree"]["id"],
            self.env.ref(
                "qubiq_helpdesk_aftersales_repair.repair_order_view_tree_helpdesk"
            ).id,
        )
        # everything that view shows is readable by the agent, as the web
        # client reads it
        spec = {
            name: {"fields": {"display_name": {}}}
            if Repair._fields[name].relational
            else {}
            for name in Repair.get_views([(False, "form")])["models"]["repair.order"]
        }
        values = repair.with_user(agent).web_read(spec)[0]
        self.assertEqual(values["name"], repair.name)
        self.assertEqual(values["lot_id"]["display_name"], self.lot.display_name)
        form = Form(repair.with_user(agent), view=form_view)
        self.assertEqual(form.name, repair.name)
        self.assertEqual(form.product_id, self.product_serial)
        self.assertEqual(form.lot_id, self.lot)
        self.assertEqual(form.helpdesk_ticket_id, self.ticket)
        with self.assertRaises(AccessError):
            other_repair.with_user(agent).read(["name"])
        with self.assertRaises(AccessError):
            repair.with_user(agent).write({"under_warranty": False})

    def test_personal_and_team_agents_open_the_ticket_form(self):
        """Agents with "Personal tickets" or "Team tickets" rights have no access to
        repair orders: the ticket form opens, without the Repairs smart button."""
        self._create_repair().save()
        for group in ("group_helpdesk_user_own", "group_helpdesk_user_team"):
            agent = new_test_user(
                self.env,
                login=f"aftersales_repair_{group}",
                groups=f"helpdesk_mgmt.{group}",
            )
            self.team.user_ids = [Command.link(agent.id)]
            self.ticket.user_id = agent
            ticket = self.ticket.with_user(agent)
            arch = etree.fromstring(ticket.get_view(view_type="form")["arch"])
            # what the web client reads: the fields of the form as this user gets it
            fields_shown = {node.get("name") for node in arch.iter("field")}
            self.assertNotIn("repair_count", fields_shown)
            self.assertFalse(
                ticket_button_visible(ticket, "action_view_aftersales_repairs")
            )
            spec = {name: {} for name in fields_shown if name in ticket._fields}
            values = ticket.web_read(spec)[0]
            self.assertEqual(values["id"], self.ticket.id)
            # computed anyway (another view, an RPC): 0, never an error
            self.assertEqual(ticket.repair_count, 0)

    def test_repair_user_gets_repair_form(self):
        Repair = self.env["repair.order"].with_user(self.repair_agent)
        views = Repair.get_views([(False, "form")])["views"]
        self.assertEqual(
            views["form"]["id"], self.env.ref("repair.view_repair_order_form").id
        )

    def test_under_warranty_parts_are_free(self):
        repair = self._create_repair().save()
        self.assertTrue(repair.under_warranty)
        repair = repair.with_user(self.env.user)  # quotations need Sales rights
        part = self.env["product.product"].create(
            {"name": "Print head", "detailed_type": "product", "list_price": 80.0}
        )
        repair.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "repair_line_type": "add",
                            "product_id": part.id,
                            "product_uom_qty": 1.0,
                        }
                    )
                ]
            }
        )
        repair.action_create_sale_order()
        line = repair.sale_order_id.order_line.filtered(
            lambda ln: ln.product_id == part
        )
        self.assertEqual(line.price_unit, 0.0)
        # a repair out of warranty is charged at the product's price
        repair.under_warranty = False
        self.assertEqual(line.price_unit, 80.0)

    def test_not_delivered_product_is_not_under_warranty(self):
        other = self.env["product.product"].create(
            {"name": "Scanner S1", "detailed_type": "product"}
        )
        self.ticket.write({"product_id": other.id, "lot_id": False})
        form = self._create_repair()
        self.assertFalse(form.under_warranty)

    def test_repair_user_reads_all_repairs(self):
        other_repair = self.env["repair.order"].create(
            {"product_id": self.product.id, "partner_id": self.customer.id}
        )
        self.assertEqual(
            other_repair.with_user(self.repair_agent).read(["name"])[0]["name"],
            other_repair.name,
        )

    def test_switch_off_refused(self):
        ticket = self.ticket.with_user(self.repair_agent)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_repair"))
        # without Inventory rights an agent reads repairs but cannot create one
        self.assertFalse(
            ticket_button_visible(
                self.ticket.with_user(self.agent), "action_aftersales_repair"
            )
        )
        self.team.use_aftersales_repair = False
        self.assertFalse(ticket_button_visible(ticket, "action_aftersales_repair"))
        count = self.env["repair.order"].search_count([])
        with self.assertRaisesRegex(UserError, "not enabled"):
            self.ticket.with_user(self.repair_agent).action_aftersales_repair()
        self.assertEqual(self.env["repair.order"].search_count([]), count)
