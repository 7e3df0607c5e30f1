# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible
from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)

WIZARD_VIEW = "qubiq_helpdesk_aftersales_return.stock_return_picking_view_form"


@tagged("post_install", "-at_install")
class TestReturn(AftersalesSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.groups_id = [Command.link(cls.env.ref("stock.group_stock_user").id)]
        cls.team.use_aftersales_return = True
        cls.Picking = cls.env["stock.picking"]

    def _wizard_form(self, ticket=None):
        ticket = (ticket or self.ticket).with_user(self.agent)
        action = ticket.action_aftersales_return()
        wizard_model = self.env[action["res_model"]].with_user(self.agent)
        return Form(wizard_model.with_context(**action["context"]), view=WIZARD_VIEW)

    def _line(self, form, product):
        for index in range(len(form.product_return_moves)):
            with form.product_return_moves.edit(index) as line:
                if line.product_id == product:
                    return index
        raise AssertionError("no line")

    def test_lines_default_to_delivered_quantities(self):
        form = self._wizard_form()
        self.assertEqual(form.picking_id, self.delivery)
        self.assertEqual(form.helpdesk_sale_order_id, self.order)
        quantities = {}
        for index in range(len(form.product_return_moves)):
            with form.product_return_moves.edit(index) as line:
                quantities[line.product_id] = line.quantity
        self.assertEqual(quantities, {self.product: 3.0, self.product_serial: 1.0})

    def test_return_with_edited_quantities(self):
        form = self._wizard_form()
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 2.0
        form.product_return_moves.remove(self._line(form, self.product_serial))
        form.save().create_returns()
        returned = self.ticket.return_picking_ids
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.return_id, self.delivery)
        self.assertEqual(returned.move_ids.product_id, self.product)
        self.assertEqual(returned.move_ids.product_uom_qty, 2.0)
        self.assertEqual(self.ticket.return_count, 1)
        self.assertIn(returned.name, self.ticket.message_ids[0].body)
        # a second return proposes only what is left
        form = self._wizard_form()
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            self.assertEqual(line.quantity, 1.0)

    def test_quantity_above_delivered_refused(self):
        count = self.Picking.search_count([])
        form = self._wizard_form()
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 4.0
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "You cannot return 4.0"):
            wizard.create_returns()
        with self.assertRaises(UserError):
            wizard.action_helpdesk_return_exchange()
        self.assertEqual(self.Picking.search_count([]), count)

    def test_quantity_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        count = self.Picking.search_count([])
        action = self.ticket.with_user(self.agent).action_aftersales_return()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(
            Wizard.with_context(lang="es_ES", **action["context"]), view=WIZARD_VIEW
        )
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 4.0
        with self.assertRaisesRegex(UserError, "No puede devolver 4.0"):
            form.save().create_returns()
        self.assertEqual(self.Picking.search_count([]), count)

    def test_return_to_chosen_location(self):
        scrap_shelf = self.env["stock.location"].create(
            {
                "name": "Returns shelf",
                "location_id": self.warehouse.lot_stock_id.id,
                "usage": "internal",
            }
        )
        self.agent.groups_id = [
            Command.link(self.env.ref("stock.group_stock_multi_locations").id)
        ]
        form = self._wizard_form()
        form.product_return_moves.remove(self._line(form, self.product_serial))
        form.location_id = scrap_shelf
        form.save().create_returns()
        returned = self.ticket.return_picking_ids
        self.assertEqual(returned.location_dest_id, scrap_shelf)

    def test_choose_order_then_delivery(self):
        second = self._create_order(self.customer, [(self.product, 2.0)])
        second_delivery = self._deliver(second)
        form = self._wizard_form()
        self.assertEqual(
            set(form.helpdesk_available_order_ids.ids), {self.order.id, second.id}
        )
        form.helpdesk_sale_order_id = second
        self.assertEqual(form.picking_id, second_delivery)
        with form.product_return_moves.edit(0) as line:
            self.assertEqual(line.product_id, self.product)
            self.assertEqual(line.quantity, 2.0)

    def test_return_for_exchange(self):
        form = self._wizard_form()
        form.product_return_moves.remove(self._line(form, self.product_serial))
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 1.0
        form.save().action_helpdesk_return_exchange()
        pickings = self.ticket.return_picking_ids
        returned = pickings.filtered(lambda p: p.picking_type_code == "incoming")
        exchange = pickings - returned
        self.assertEqual(returned.move_ids.product_uom_qty, 1.0)
        self.assertFalse(returned.move_ids.to_refund)
        self.assertEqual(exchange.picking_type_code, "outgoing")
        self.assertEqual(exchange.partner_id, self.delivery.partner_id)
        self.assertEqual(exchange.move_ids.product_id, self.product)
        self.assertEqual(exchange.move_ids.product_uom_qty, 1.0)
        self.assertEqual(exchange.state, "assigned")
        # the replacement does not count as a return: it has its own button
        self.assertEqual(self.ticket.return_count, 1)
        self.assertEqual(self.ticket.exchange_count, 1)
        # the order still counts the goods as delivered (no refund)
        line = self.order.order_line.filtered(lambda ln: ln.product_id == self.product)
        self.assertEqual(line.qty_delivered, 3.0)

    def test_exchange_belongs_to_the_order(self):
        """The replacement is one of the order's deliveries (its Delivery smart
        button), moves on the order line, and leaves the delivered quantity as
        it was once the return is received and the replacement delivered."""
        form = self._wizard_form()
        form.product_return_moves.remove(self._line(form, self.product_serial))
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 1.0
        form.save().action_helpdesk_return_exchange()
        pickings = self.ticket.return_picking_ids
        returned = pickings.filtered(lambda p: p.picking_type_code == "incoming")
        exchange = pickings - returned
        self.assertEqual(exchange.group_id, self.order.procurement_group_id)
        self.assertEqual(exchange.sale_id, self.order)
        order_line = self.order.order_line.filtered(
            lambda ln: ln.product_id == self.product
        )
        self.assertEqual(exchange.move_ids.sale_line_id, order_line)
        self.assertEqual(exchange.move_ids.origin_returned_move_id, returned.move_ids)
        self.assertIn(exchange, self.order.picking_ids)
        action = self.order.action_view_delivery()
        shown = self.Picking.search(
            action.get("domain") or [("id", "=", action["res_id"])]
        )
        self.assertIn(exchange, shown)
        self.assertEqual(self.order.delivery_count, len(self.order.picking_ids))
        for picking in returned + exchange:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual((returned + exchange).mapped("state"), ["done", "done"])
        self.assertEqual(order_line.qty_delivered, 3.0)
        # the replacement delivered can be returned for a refund in turn
        self.assertIn(exchange, self.ticket._aftersales_done_deliveries())

    def test_each_count_matches_what_its_button_opens(self):
        form = self._wizard_form()
        form.product_return_moves.remove(self._line(form, self.product_serial))
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 1.0
        form.save().action_helpdesk_return_exchange()
        form = self._wizard_form()
        form.product_return_moves.remove(self._line(form, self.product_serial))
        with form.product_return_moves.edit(self._line(form, self.product)) as line:
            line.quantity = 1.0
        form.save().create_returns()
        ticket = self.ticket.with_user(self.agent)
        self.assertEqual((ticket.return_count, ticket.exchange_count), (2, 1))
        for count, method in (
            ("return_count", "action_view_aftersales_returns"),
            ("exchange_count", "action_view_aftersales_exchanges"),
        ):
            action = getattr(ticket, method)()
            opened = self.Picking.with_user(self.agent).search(action["domain"])
            self.assertEqual(ticket[count], len(opened), method)
            box = etree.fromstring(ticket.get_view(view_type="form")["arch"])
            button = box.xpath(f"//div[@name='button_box']/button[@name='{method}']")
            self.assertEqual(button[0].get("invisible"), f"not {count}")
        self.assertEqual(
            set(ticket.action_view_aftersales_exchanges()["domain"][0][2]),
            set(
                ticket.return_picking_ids.filtered(
                    lambda p: p.picking_type_code == "outgoing"
                ).ids
            ),
        )

    def test_button_only_with_done_delivery(self):
        ticket = self.ticket.with_user(self.agent)
        self.assertTrue(ticket.aftersales_has_delivery)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_return"))
        other = self.ticket.copy({"partner_id": self.other_customer.id})
        other = other.with_user(self.agent)
        self.assertFalse(other.aftersales_has_delivery)
        self.assertFalse(ticket_button_visible(other, "action_aftersales_return"))
        with self.assertRaisesRegex(UserError, "no done delivery"):
            other.action_aftersales_return()
        # an order confirmed but not delivered yet does not count
        self._create_order(self.other_customer, [(self.product, 1.0)])
        other.invalidate_recordset()
        self.assertFalse(other.aftersales_has_delivery)

    def test_switch_off_refused(self):
        ticket = self.ticket.with_user(self.agent)
        wizard = self._wizard_form().save()
        self.team.use_aftersales_return = False
        count = self.Picking.search_count([])
        self.assertFalse(ticket_button_visible(ticket, "action_aftersales_return"))
        with self.assertRaisesRegex(UserError, "not enabled"):
            ticket.action_aftersales_return()
        with self.assertRaisesRegex(UserError, "not enabled"):
            wizard.create_returns()
        with self.assertRaisesRegex(UserError, "not enabled"):
            wizard.action_helpdesk_return_exchange()
        self.assertEqual(self.Picking.search_count([]), count)
