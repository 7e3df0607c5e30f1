# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible

WIZARD_VIEW = "qubiq_helpdesk_aftersales_refund.account_move_reversal_view_form"


class RefundCommon(TransactionCase):
    """Fixtures with Invoicing only: invoices made in Accounting, no sales order
    nor delivery (this add-on needs neither Sales nor Inventory)."""

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
            {"name": "Toner X1", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.product_other = cls.env["product.product"].create(
            {"name": "Printer P9", "list_price": 500.0, "taxes_id": [Command.clear()]}
        )
        cls.invoice = cls._invoice(
            cls.customer, [(cls.product, 3.0, 100.0), (cls.product_other, 1.0, 500.0)]
        )
        # Invoicing rights only: no Sales, no Inventory
        cls.agent = new_test_user(
            cls.env,
            login="refund_agent",
            name="Agent Smith",
            groups="helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Posventa",
                "user_ids": [Command.link(cls.agent.id)],
                "use_aftersales_refund": True,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Broken printer",
                "description": "<p>It does not print</p>",
                "team_id": cls.team.id,
                "partner_id": cls.contact.id,
            }
        )
        cls.Move = cls.env["account.move"]

    @classmethod
    def _invoice(cls, partner, lines, post=True):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": qty, "price_unit": price}
                    )
                    for product, qty, price in lines
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice


@tagged("post_install", "-at_install")
class TestRefund(RefundCommon):
    def _wizard_form(self, ticket=None):
        ticket = (ticket or self.ticket).with_user(self.agent)
        action = ticket.action_aftersales_refund()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard_model = self.env[action["res_model"]].with_user(self.agent)
        return Form(wizard_model.with_context(**action["context"]), view=WIZARD_VIEW)

    def _credit_notes(self):
        return self.Move.search(
            [("move_type", "=", "out_refund"), ("partner_id", "=", self.customer.id)]
        )

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_wizard_prefill(self):
        # 23:30 UTC is already tomorrow in Madrid: the proposed date is the
        # agent's own today, not the server's
        self.agent.tz = "Europe/Madrid"
        with freeze_time("2026-12-01 23:30:00"):
            form = self._wizard_form()
        self.assertFalse(form.helpdesk_product_id)
        self.assertEqual(form.reason, self.ticket.display_name)
        # the only posted invoice of the customer is proposed
        self.assertEqual(form.move_ids[:], self.invoice)
        self.assertEqual(form.journal_id, self.invoice.journal_id)
        self.assertEqual(form.date, date(2026, 12, 2))

    def test_refund_partial_draft_credit_note(self):
        form = self._wizard_form()
        form.reason = "Toner smudges"
        form.save().refund_moves()
        note = self.ticket.refund_move_ids
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.state, "draft")
        self.assertEqual(note.reversed_entry_id, self.invoice)
        self.assertEqual(note.amount_total, self.invoice.amount_total)
        self.assertIn("Toner smudges", note.ref)
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertEqual(self.ticket.refund_count, 1)
        body = self.ticket.message_ids[0].body
        self.assertIn(f'data-oe-model="account.move" data-oe-id="{note.id}"', body)
        self.assertIn("Credit note issued", body)
        self.assertNotIn("Reversal of", body)  # the link reads number and amount
        action = self.ticket.with_user(self.agent).action_view_aftersales_refunds()
        self.assertEqual(action["res_id"], note.id)

    def test_refund_full_posted_reconciled(self):
        self._wizard_form().save().action_helpdesk_full_refund()
        note = self.ticket.refund_move_ids
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.amount_residual, 0.0)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEqual(self.ticket.refund_count, 1)

    def test_reverse_and_create_invoice(self):
        self._wizard_form().save().modify_moves()
        documents = self.ticket.refund_move_ids
        note = documents.filtered(lambda move: move.move_type == "out_refund")
        new_invoice = documents - note
        self.assertEqual(note.state, "posted")
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEqual(new_invoice.move_type, "out_invoice")
        self.assertEqual(new_invoice.state, "draft")
        self.assertEqual(new_invoice.amount_total, self.invoice.amount_total)
        self.assertEqual(self.ticket.refund_count, 1)

    def test_paid_invoice_only_draft_credit_note(self):
        self._pay(self.invoice)
        form = self._wizard_form()
        self.assertTrue(form.helpdesk_has_payment)
        wizard = form.save()
        for method in (wizard.modify_moves, wizard.action_helpdesk_full_refund):
            with self.assertRaises(UserError):
                method()
        self.assertFalse(self._credit_notes())
        wizard.refund_moves()
        self.assertEqual(self._credit_notes().state, "draft")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_no_posted_invoice_message(self):
        ticket = self.ticket.copy({"partner_id": self.other_customer.id})
        self.invoice.copy({"partner_id": self.other_customer.id})  # draft only
        count = self.Move.search_count([])
        with self.assertRaisesRegex(UserError, "no posted customer invoice"):
            ticket.with_user(self.agent).action_aftersales_refund()
        self.assertEqual(self.Move.search_count([]), count)

    def test_draft_invoice_refused(self):
        draft = self.invoice.copy()
        self.assertEqual(draft.state, "draft")
        count = self.Move.search_count([])
        form = self._wizard_form()
        form.move_ids.add(draft)
        with self.assertRaisesRegex(ValidationError, "Only posted invoices"):
            form.save()
        self.assertEqual(self.Move.search_count([]), count)

    def test_draft_invoice_error_in_spanish(self):
        self.env["res.lang"]._activate_lang("es_ES")
        draft = self.invoice.copy()
        count = self.Move.search_count([])
        action = self.ticket.with_user(self.agent).action_aftersales_refund()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        form = Form(
            Wizard.with_context(lang="es_ES", **action["context"]), view=WIZARD_VIEW
        )
        form.move_ids.add(draft)
        with self.assertRaisesRegex(
            ValidationError, "Solo se pueden reembolsar facturas publicadas"
        ):
            form.save()
        self.assertEqual(self.Move.search_count([]), count)

    def test_other_customer_invoice_refused(self):
        other_invoice = self._invoice(self.other_customer, [(self.product, 1.0, 100.0)])
        form = self._wizard_form()
        form.move_ids.add(other_invoice)
        with self.assertRaises(ValidationError):
            form.save()
        self.assertFalse(self._credit_notes())

    def test_switch_off_hides_button_and_refuses(self):
        ticket = self.ticket.with_user(self.agent)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_refund"))
        wizard = self._wizard_form().save()
        self.team.use_aftersales_refund = False
        self.assertFalse(ticket_button_visible(ticket, "action_aftersales_refund"))
        with self.assertRaisesRegex(UserError, "not enabled"):
            ticket.action_aftersales_refund()
        with self.assertRaisesRegex(UserError, "not enabled"):
            wizard.refund_moves()
        self.assertFalse(self._credit_notes())

    def test_button_needs_billing_rights_and_customer(self):
        helpdesk_only = new_test_user(
            self.env,
            login="refund_helpdesk_only",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        self.assertFalse(
            ticket_button_visible(
                self.ticket.with_user(helpdesk_only), "action_aftersales_refund"
            )
        )
        ticket = self.ticket.copy({"partner_id": False}).with_user(self.agent)
        self.assertFalse(ticket_button_visible(ticket, "action_aftersales_refund"))
        with self.assertRaisesRegex(UserError, "Set the customer"):
            ticket.action_aftersales_refund()

    def test_agent_with_invoicing_rights_only(self):
        """The whole refund as an agent without Sales nor Inventory rights."""
        agent = self.agent
        for group in ("sales_team.group_sale_salesman", "stock.group_stock_user"):
            if group.split(".")[0] in self.env.registry._init_modules:
                self.assertFalse(agent.has_group(group))
        ticket = self.ticket.with_user(agent)
        # the ticket form opens as the web client reads it
        arch = ticket.get_view(view_type="form")["arch"]
        self.assertIn("action_aftersales_refund", arch)
        self.assertTrue(ticket_button_visible(ticket, "action_aftersales_refund"))
        self.assertEqual(ticket.refund_count, 0)
        form = self._wizard_form()
        form.helpdesk_product_id = self.product
        self.assertEqual(form.move_ids[:], self.invoice)
        form.save().action_helpdesk_full_refund()
        self.assertEqual(ticket.refund_count, 1)
        self.assertEqual(self.invoice.payment_state, "reversed")

    def test_product_filters_invoices(self):
        toner_invoice = self._invoice(self.customer, [(self.product, 1.0, 100.0)])
        printer_invoice = self._invoice(
            self.customer, [(self.product_other, 1.0, 500.0)]
        )
        form = self._wizard_form()
        self.assertEqual(
            set(form.helpdesk_available_move_ids.ids),
            {self.invoice.id, toner_invoice.id, printer_invoice.id},
        )
        form.helpdesk_product_id = self.product
        self.assertEqual(
            set(form.helpdesk_available_move_ids.ids),
            {self.invoice.id, toner_invoice.id},
        )

    def test_needs_neither_sales_nor_inventory(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "qubiq_helpdesk_aftersales_refund")]
        )
        upstream, todo = set(), module
        while todo:
            names = set(todo.dependencies_id.mapped("name")) - upstream
            upstream |= names
            todo = self.env["ir.module.module"].search([("name", "in", list(names))])
        self.assertIn("account", upstream)
        self.assertFalse(upstream & {"sale", "stock", "sale_stock"}, upstream)
