# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesSaleCommon(TransactionCase):
    """Fixtures: a customer who bought, received and was invoiced two products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # assertions read English messages; Spanish is checked on its own
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_notrack=True, lang="en_US"
            )
        )
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Talleres Pérez", "email": "perez@example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ana Pérez", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Ferretería Gómez", "email": "gomez@example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Toner X1",
                "detailed_type": "product",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.product_serial = cls.env["product.product"].create(
            {
                "name": "Printer P9",
                "detailed_type": "product",
                "tracking": "serial",
                "list_price": 500.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "P9-0001",
                "product_id": cls.product_serial.id,
                "company_id": cls.company.id,
            }
        )
        stock = cls.warehouse.lot_stock_id
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.product, stock, 10.0)
        Quant._update_available_quantity(cls.product_serial, stock, 1.0, lot_id=cls.lot)
        cls.order = cls._create_order(
            cls.customer, [(cls.product, 3.0), (cls.product_serial, 1.0)]
        )
        cls.delivery = cls._deliver(cls.order)
        cls.invoice = cls._invoice(cls.order)
        cls.agent = new_test_user(
            cls.env,
            login="aftersales_agent",
            name="Agent Smith",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Posventa", "user_ids": [Command.link(cls.agent.id)]}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Broken printer",
                "description": "<p>It does not print</p>",
                "team_id": cls.team.id,
                "partner_id": cls.contact.id,
                "sale_order_id": cls.order.id,
            }
        )

    @classmethod
    def _create_order(cls, partner, lines):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, order):
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    @classmethod
    def _invoice(cls, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice
