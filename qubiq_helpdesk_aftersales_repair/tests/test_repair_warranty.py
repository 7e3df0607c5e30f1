# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)


@tagged("post_install", "-at_install")
def _form_spec(records):
    """What the web client reads on opening the form as this user: the fields of
    the form's arch (after ``groups`` are applied), not those of its sub-views.
    ``get_views()["models"]`` also lists fields the arch no longer shows."""
    arch = etree.fromstring(
        records.get_views([(False, "form")])["views"]["form"]["arch"]
    )
    names = {
        node.get("name")
        for node in arch.iter("field")
        if not any(parent.tag == "field" for parent in node.iterancestors())
    }
    return {
        name: {"fields": {"display_name": {}}}
        if records._fields[name].type == "many2one"
        else {}
        for name in names
    }


class TestRepairWarranty(AftersalesSaleCommon):
    """The repair carries the ticket's order; the warranty ends the product's
    warranty months after its delivery on that order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Madrid"
        cls.repair_agent = new_test_user(
            cls.env,
            login="warranty_repair_agent",
            groups="helpdesk_mgmt.group_helpdesk_user,stock.group_stock_user",
            tz="Europe/Madrid",
        )
        cls.team.write(
            {
                "use_aftersales_repair": True,
                "user_ids": [Command.link(cls.repair_agent.id)],
            }
        )
        cls.product_serial.qubiq_warranty_months = 24
        # delivered on 15 January 2025 at 23:30 in Madrid (22:30 UTC)
        cls.delivery.date_done = datetime(2025, 1, 15, 22, 30)
        cls.ticket.write({"product_id": cls.product_serial.id, "lot_id": cls.lot.id})

    def _repair_form(self):
        action = self.ticket.with_user(self.repair_agent).action_aftersales_repair()
        Repair = self.env[action["res_model"]].with_user(self.repair_agent)
        return Form(Repair.with_context(**action["context"]))

    def test_repair_carries_the_ticket_order(self):
        repair = self._repair_form().save()
        self.assertEqual(repair.helpdesk_sale_order_id, self.order)
        # Odoo's own sale_order_id is the repair's quotation: left free
        self.assertFalse(repair.sale_order_id)
        repair.with_user(self.env.user).action_create_sale_order()
        self.assertTrue(repair.sale_order_id)
        self.assertNotEqual(repair.sale_order_id, self.order)
        self.assertEqual(repair.helpdesk_sale_order_id, self.order)

    @freeze_time("2027-01-15 12:00:00")
    def test_under_warranty_on_the_last_day(self):
        repair = self._repair_form().save()
        self.assertEqual(repair.helpdesk_delivery_date, date(2025, 1, 15))
        self.assertEqual(repair.helpdesk_warranty_end, date(2027, 1, 15))
        self.assertTrue(repair.under_warranty)
        ticket = self.ticket.with_user(self.agent)  # helpdesk rights only
        self.assertEqual(ticket.aftersales_warranty_end, date(2027, 1, 15))
        self.assertTrue(ticket.aftersales_under_warranty)

    @freeze_time("2027-01-16 12:00:00")
    def test_not_under_warranty_the_day_after(self):
        form = self._repair_form()
        self.assertEqual(form.helpdesk_warranty_end, date(2027, 1, 15))
        self.assertFalse(form.under_warranty)
        self.assertFalse(self.ticket.with_user(self.agent).aftersales_under_warranty)

    @freeze_time("2027-01-16 12:00:00")
    def test_product_warranty_months(self):
        self.product_serial.qubiq_warranty_months = 36
        form = self._repair_form()
        self.assertEqual(form.helpdesk_warranty_end, date(2028, 1, 15))
        self.assertTrue(form.under_warranty)
        # no warranty period: no warranty end, not under warranty
        self.product_serial.qubiq_warranty_months = 0
        form = self._repair_form()
        self.assertEqual(form.helpdesk_delivery_date, date(2025, 1, 15))
        self.assertFalse(form.helpdesk_warranty_end)
        self.assertFalse(form.under_warranty)

    def test_new_products_take_the_company_default(self):
        self.assertEqual(self.company.qubiq_warranty_months, 24)
        self.company.qubiq_warranty_months = 36
        product = self.env["product.template"].create({"name": "Scanner S1"})
        self.assertEqual(product.qubiq_warranty_months, 36)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.qubiq_warranty_months, 36)

    @freeze_time("2027-01-15 12:00:00")
    def test_delivery_on_the_order_only(self):
        """The ticket's order decides: the same product delivered on another
        order does not date this warranty."""
        later = self._create_order(self.customer, [(self.product, 1.0)])
        self._deliver(later)
        self.ticket.write({"product_id": self.product.id, "lot_id": False})
        self.product.qubiq_warranty_months = 24
        form = self._repair_form()
        self.assertEqual(form.helpdesk_delivery_date, date(2025, 1, 15))
        # without an order on the ticket: the latest delivery to the customer
        self.ticket.sale_order_id = False
        form = self._repair_form()
        self.assertEqual(form.helpdesk_delivery_date, date(2027, 1, 15))

    @freeze_time("2027-01-15 12:00:00")
    def test_later_delivery_date_moves_the_end(self):
        repair = self._repair_form().save()
        self.delivery.date_done = datetime(2025, 3, 1, 9, 0)
        self.assertEqual(repair.helpdesk_warranty_end, date(2027, 3, 1))

    def test_agent_without_inventory_rights_reads_the_warranty(self):
        """Helpdesk rights only: the ticket form and the read-only repair show
        the warranty without an access error."""
        repair = self._repair_form().save()
        agent = self.agent
        self.assertFalse(agent.has_group("stock.group_stock_user"))
        ticket = self.ticket.with_user(agent)
        spec = _form_spec(ticket)
        values = ticket.web_read(spec)[0]
        self.assertEqual(
            values["aftersales_warranty_end"], repair.helpdesk_warranty_end
        )
        Repair = self.env["repair.order"].with_user(agent)
        spec = _form_spec(Repair)
        values = repair.with_user(agent).web_read(spec)[0]
        self.assertEqual(
            values["helpdesk_sale_order_id"]["display_name"], self.order.name
        )
        self.assertEqual(values["helpdesk_warranty_end"], repair.helpdesk_warranty_end)
