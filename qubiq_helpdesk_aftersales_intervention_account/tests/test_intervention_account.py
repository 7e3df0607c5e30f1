# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.qubiq_helpdesk_aftersales_intervention.tests.common import (
    SIGNATURE,
    create_worksheet_fixture,
    plan_intervention,
)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestInterventionAccount(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        create_worksheet_fixture(cls)
        (cls.agent | cls.technician).tz = "Europe/Madrid"
        cls.company = cls.env.company
        cls.accountant = new_test_user(
            cls.env,
            login="parts_accountant",
            name="Carmen Contable",
            tz="Europe/Madrid",
            groups="project.group_project_user,account.group_account_invoice",
        )
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "IVA 21% (parts)",
                "amount": 21.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.fuse = cls.env["product.product"].create(
            {
                "name": "Fuse 5 A",
                "type": "consu",
                "list_price": 2.5,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.product.write({"list_price": 80.0, "taxes_id": [Command.set(cls.tax.ids)]})
        cls.cable = cls.env["product.product"].create(
            {"name": "Power cable", "type": "consu", "list_price": 9.0}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ana Pérez", "parent_id": cls.customer.id}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Till switches off",
                "description": "<p>x</p>",
                "team_id": cls.team.id,
                "partner_id": cls.contact.id,
            }
        )

    def _plan_and_fill(self, parts):
        task = plan_intervention(
            self.ticket,
            self.agent,
            name="Till check",
            worksheet_template_id=False,
            user_ids=[Command.set(self.technician.ids)],
        )
        task.intervention_part_ids = [Command.create(values) for values in parts]
        task.action_intervention_ready()
        return task

    def _plan_billable(self):
        return self._plan_and_fill(
            [
                {"product_id": self.product.id, "quantity": 2},
                {"product_id": self.fuse.id, "quantity": 4, "name": "Fuses"},
                {"product_id": self.cable.id, "quantity": 1, "billable": False},
            ]
        )

    def test_billable_parts_invoiced_once(self):
        task = self._plan_billable()
        self.assertFalse(task.intervention_invoice_id)
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.company_id, self.company)
        self.assertEqual(invoice.invoice_origin, f"Till check / {self.ticket.number}")
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            [
                (line.product_id, line.name, line.quantity, line.price_unit)
                for line in lines
            ],
            [
                (self.product, "Power supply 24 V", 2.0, 80.0),
                (self.fuse, "Fuses", 4.0, 2.5),
            ],
        )
        self.assertEqual(lines.product_uom_id, self.env.ref("uom.product_uom_unit"))
        self.assertEqual(lines.tax_ids, self.tax)
        self.assertEqual(invoice.amount_untaxed, 170.0)
        # 170.00 + 21 % (to the cent: the total is a float of the currency)
        self.assertAlmostEqual(invoice.amount_total, 205.70, places=2)
        # signing again (a retry): no second invoice
        task.sudo()._intervention_invoice_parts()
        self.assertEqual(task.intervention_invoice_id, invoice)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_signed_by_portal_contact(self):
        """The portal route signs as the customer's contact (sudo): the invoice
        is the customer's account manager's, the contact does not follow it."""
        portal = new_test_user(
            self.env,
            login="parts_portal",
            name="Ana Pérez",
            tz="Europe/Madrid",
            groups="base.group_portal",
        )
        portal.partner_id.parent_id = self.customer
        self.customer.user_id = self.accountant
        task = self._plan_billable()
        task.with_user(portal).sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_user_id, self.accountant)
        self.assertNotIn(portal.partner_id, invoice.message_partner_ids)

    def test_no_billable_part_no_invoice(self):
        task = self._plan_and_fill(
            [{"product_id": self.cable.id, "quantity": 1, "billable": False}]
        )
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        self.assertEqual(task.intervention_state, "signed")
        self.assertFalse(task.intervention_invoice_id)

    def test_reset_signature_removes_draft_invoice(self):
        task = self._plan_billable()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        # the agent (no accounting rights) corrects the report
        task.with_user(self.agent).action_intervention_reset_signature()
        self.assertFalse(task.intervention_invoice_id)
        self.assertFalse(invoice.exists())
        # signed again: one new invoice
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        self.assertEqual(len(task.intervention_invoice_id), 1)
        self.assertEqual(len(task.intervention_invoice_id.invoice_line_ids), 2)

    def test_reset_signature_refused_when_invoice_posted(self):
        task = self._plan_billable()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        invoice.action_post()
        agent_task = task.with_user(self.agent)
        with self.assertRaisesRegex(
            UserError, f"invoiced in {invoice.name}, already posted: issue a credit"
        ):
            agent_task.with_context(lang="en_US").action_intervention_reset_signature()
        with self.assertRaisesRegex(
            UserError, f"facturadas en {invoice.name}, ya publicada: emita primero"
        ):
            agent_task.with_context(lang="es_ES").action_intervention_reset_signature()
        self.assertEqual(task.intervention_state, "signed")
        self.assertEqual(task.intervention_invoice_id, invoice)

    def test_reset_signature_cancels_numbered_draft_invoice(self):
        task = self._plan_billable()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        invoice.action_post()
        invoice.button_draft()
        name = invoice.name
        task.with_user(self.agent).action_intervention_reset_signature()
        self.assertFalse(task.intervention_invoice_id)
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(invoice.name, name)

    def _read_form(self, user, task):
        Task = self.env["project.task"].with_user(user)
        spec = {
            name: {}
            for name in Task.get_views([(False, "form")])["models"]["project.task"]
        }
        return Task.browse(task.id).web_read(spec)[0]

    def test_task_form_with_and_without_accounting_rights(self):
        task = self._plan_billable()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        task.message_subscribe(
            partner_ids=(self.technician | self.accountant).partner_id.ids
        )
        values = self._read_form(self.technician, task)
        self.assertEqual(values["id"], task.id)
        self.assertNotIn("intervention_invoice_id", values)
        values = self._read_form(self.accountant, task)
        self.assertEqual(
            values["intervention_invoice_id"], task.intervention_invoice_id.id
        )
        action = task.with_user(self.accountant).action_view_intervention_invoice()
        self.assertEqual(action["res_id"], task.intervention_invoice_id.id)

    def test_task_of_another_company(self):
        """The invoice is the task's company's, with that company's taxes only."""
        company_b = self.env["res.company"].create({"name": "Qubiq Canarias"})
        self.env["account.chart.template"].try_loading(
            "generic_coa", company_b, install_demo=False
        )
        tax_b = self.env["account.tax"].create(
            {
                "name": "IGIC 7% (parts)",
                "amount": 7.0,
                "type_tax_use": "sale",
                "company_id": company_b.id,
            }
        )
        self.product.taxes_id = [Command.set((self.tax | tax_b).ids)]
        project_b = self.env["project.project"].create(
            {"name": "Field service Canarias", "company_id": company_b.id}
        )
        task = self.env["project.task"].create(
            {
                "name": "Till check (Canarias)",
                "project_id": project_b.id,
                "company_id": company_b.id,
                "partner_id": self.contact.id,
                "intervention_sign_required": True,
                "intervention_part_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 1})
                ],
            }
        )
        task.action_intervention_ready()
        task.sudo()._intervention_sign("Ana Pérez", SIGNATURE)
        invoice = task.intervention_invoice_id
        self.assertEqual(invoice.company_id, company_b)
        self.assertEqual(invoice.journal_id.company_id, company_b)
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_origin, "Till check (Canarias)")
        self.assertEqual(invoice.invoice_line_ids.tax_ids, tax_b)
        self.assertEqual(invoice.invoice_line_ids.price_unit, 80.0)
