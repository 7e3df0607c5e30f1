# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales.tests.common import ticket_button_visible
from odoo.addons.qubiq_helpdesk_aftersales_sale.tests.common import (
    AftersalesSaleCommon,
)

WIZARD_VIEW = "qubiq_helpdesk_aftersales_refund.account_move_reversal_view_form"


@tagged("post_install", "-at_install")
class TestRefund(AftersalesSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent.groups_id = [
            Command.link(cls.env.ref("account.group_account_invoice").id)
        ]
        cls.team.use_aftersales_refund = True
        cls.Move = cls.env["account.move"]

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
        self.assertEqual(form.helpdesk_sale_order_id, self.order)
        self.assertEqual(form.reason, self.ticket.display_name)
        # the only posted invoice of the order is proposed
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
        other_order = self._create_order(self.other_customer, [(self.product, 1.0)])
        other_invoice = self._invoice(other_order)
        form = self._wizard_form()
        form.move_ids.add(other_invoice)
        with self.assertRaises(ValidationError):
            form.save()
        self.assertFalse(self._credit_notes())

    def test_product_filters_invoices_and_orders(self):
        second = self._create_order(self.customer, [(self.product_serial, 1.0)])
        toner_order = self._create_order(self.customer, [(self.product, 1.0)])
        toner_invoice = self._invoice(toner_order)
        form = self._wizard_form()
        form.helpdesk_sale_order_id = self.env["sale.order"]
        form.helpdesk_product_id = self.product
        self.assertEqual(
            set(form.helpdesk_available_move_ids.ids),
            {self.invoice.id, toner_invoice.id},
        )
        self.assertNotIn(second, form.helpdesk_available_order_ids)
        self.assertIn(toner_order, form.helpdesk_available_order_ids)
        form.helpdesk_sale_order_id = toner_order
        self.assertEqual(form.helpdesk_available_move_ids[:], toner_invoice)
        self.assertEqual(form.move_ids[:], toner_invoice)

    def test_lot_filters_invoices(self):
        toner_order = self._create_order(self.customer, [(self.product, 1.0)])
        self._invoice(toner_order)
        form = self._wizard_form()
        form.helpdesk_sale_order_id = self.env["sale.order"]
        form.helpdesk_product_id = self.product_serial
        form.helpdesk_lot_id = self.lot
        self.assertEqual(form.helpdesk_available_move_ids[:], self.invoice)

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
