# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20 12:00:00")
class TestStatement(HoursBankCase):
    """The printable statement per customer and period, in the customer's language
    (Spanish for the suite's customers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["qubiq_hours_bank"], ["es_ES"], overwrite=True
        )
        cls.other_customer.lang = "es_ES"
        cls.sell_pack(cls.other_contact, 20, day="2026-04-01")
        cls.bank = cls.bank_of(cls.other_customer)
        ticket = cls.ticket_for(cls.other_contact, name="Error al facturar")
        cls.log(ticket, 170, day="2026-04-08", name="Revisión del diario de ventas")
        evo = cls.ticket_for(
            cls.other_contact, ticket_type=cls.evolutivo, name="Informe de ventas"
        )
        cls.log(evo, 100, day="2026-05-04", name="Desarrollo del informe")

    def render(self, **data):
        report = self.env.ref("qubiq_hours_bank.action_report_hours_statement")
        html, _kind = report.with_user(self.manager)._render_qweb_html(
            report.report_name, self.bank.ids, data={"bank_ids": self.bank.ids, **data}
        )
        return html.decode()

    def test_statement_in_spanish_for_a_period(self):
        html = self.render(date_from="2026-04-01", date_to="2026-04-30")
        self.assertIn("Extracto de la bolsa de horas", html)
        self.assertIn("Bodegas Sierra Alta", html)
        self.assertIn("Consumido, tiempo facturado", html)
        self.assertIn("Revisión del diario de ventas", html)
        self.assertNotIn("Desarrollo del informe", html, "May is outside the period")
        self.assertIn("3:00", html)  # billed in April
        self.assertIn("17:00", html)  # left on 30/04
        self.assertIn("Sin contrato de mantenimiento", html)

    def test_statement_from_the_wizard(self):
        form = Form(
            self.env["qubiq.hours.statement.wizard"]
            .with_user(self.manager)
            .with_context(default_bank_ids=self.bank.ids)
        )
        form.period = "last_month"
        self.assertEqual(str(form.date_from), "2026-04-01")
        self.assertEqual(str(form.date_to), "2026-04-30")
        action = form.save().action_print()
        self.assertEqual(
            action["report_name"], "qubiq_hours_bank.report_hours_statement"
        )
        self.assertEqual(action["data"]["date_from"], "2026-04-01")
        form.period = "custom"
        form.date_from = "2026-05-10"
        form.date_to = "2026-05-01"
        with self.assertRaisesRegex(UserError, "after it ends"):
            form.save().action_print()

    def test_statement_all_time_matches_the_bank(self):
        html = self.render()
        self.bank.invalidate_recordset()
        self.assertEqual(self.minutes(self.bank.remaining_hours), 15 * 60)
        self.assertIn("15:00", html)
        self.assertIn("Desde la primera bolsa", html)
