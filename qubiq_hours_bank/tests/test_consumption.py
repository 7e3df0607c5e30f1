# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import MINUTE, HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-20 12:00:00")
class TestConsumption(HoursBankCase):
    """What consumes, and how much: 30-minute blocks with a 30-minute minimum,
    by ticket type, contract and the ticket's marks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sell_pack(cls.other_contact, 20, day="2026-03-02")
        cls.sell_pack(cls.contact, 20, day="2026-03-02")
        cls.bank = cls.env["qubiq.hours.bank"].search(
            [("partner_id", "=", cls.other_customer.id)]
        )
        cls.ebro_bank = cls.env["qubiq.hours.bank"].search(
            [("partner_id", "=", cls.customer.id)]
        )

    def test_timesheets_on_a_ticket_billed_30_30(self):
        """No maintenance contract: an incidencia consumes; 10 min -> 0:30, 31 min
        -> 1:00, to the minute."""
        ticket = self.ticket_for(self.other_contact)
        short = self.log(ticket, 10)
        longer = self.log(ticket, 31)
        exact = self.log(ticket, 30)
        self.assertTrue(short.hours_billable)
        self.assertEqual(short.hours_billing_reason, "no_contract")
        self.assertEqual(self.minutes(short.unit_amount), 10, "real time kept")
        self.assertEqual(self.minutes(short.hours_billed), 30)
        self.assertEqual(self.minutes(longer.hours_billed), 60)
        self.assertEqual(self.minutes(exact.hours_billed), 30)
        figures = self.balance(self.bank)
        self.assertEqual(figures["consumed_real"], 71)
        self.assertEqual(figures["consumed_billed"], 120)
        self.assertEqual(figures["remaining"], 20 * 60 - 120)
        self.assertEqual(self.minutes(ticket.hours_billed), 120)
        self.assertEqual(self.minutes(ticket.hours_billable_real), 71)

    def test_per_ticket_and_day(self):
        """Billed per ticket and day, three 10-minute lines are one block; another
        day or another ticket starts again."""
        self.bank.rounding_scope = "ticket_day"
        ticket = self.ticket_for(self.other_contact)
        other = self.ticket_for(self.other_contact, name="Otro")
        lines = [self.log(ticket, 10) for _i in range(3)]
        self.assertEqual([self.minutes(x.hours_billed) for x in lines], [30, 0, 0])
        fourth = self.log(ticket, 5)
        self.assertEqual(self.minutes(fourth.hours_billed), 30, "35 min: 2nd block")
        next_day = self.log(ticket, 10, day="2026-03-04")
        elsewhere = self.log(other, 10)
        self.assertEqual(self.minutes(next_day.hours_billed), 30)
        self.assertEqual(self.minutes(elsewhere.hours_billed), 30)
        self.assertEqual(self.balance(self.bank)["consumed_billed"], 120)
        # Back to one line at a time: every line bills its own block again.
        self.bank.rounding_scope = "line"
        self.assertEqual(self.balance(self.bank)["consumed_billed"], 6 * 30)

    def test_rule_change_rebills(self):
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 10)
        self.bank.write({"block_minutes": 15, "minimum_minutes": 60})
        self.assertEqual(self.minutes(line.hours_billed), 60)
        self.bank.write({"block_minutes": 0, "minimum_minutes": 0})
        self.assertEqual(self.minutes(line.hours_billed), 10)

    def test_contract_covers_incidencias_not_evolutivos(self):
        """Muebles Ebro has a maintenance contract: its incidencias and consultas
        are covered, its evolutivos always consume."""
        incident = self.ticket_for(self.contact)
        question = self.ticket_for(self.contact, ticket_type=self.consulta)
        evolutivo = self.ticket_for(
            self.contact, ticket_type=self.evolutivo, name="Informe de trazabilidad"
        )
        covered = self.log(incident, 45)
        asked = self.log(question, 20)
        developed = self.log(evolutivo, 100)
        self.assertFalse(covered.hours_billable)
        self.assertEqual(covered.hours_billing_reason, "contract")
        self.assertEqual(covered.hours_bank_id, self.ebro_bank, "tracked, not billed")
        self.assertEqual(covered.hours_billed, 0.0)
        self.assertFalse(asked.hours_billable)
        self.assertTrue(developed.hours_billable)
        self.assertEqual(developed.hours_billing_reason, "type_always")
        self.assertEqual(developed.hours_work_kind, "development")
        self.assertEqual(self.minutes(developed.hours_billed), 120)
        figures = self.balance(self.ebro_bank)
        self.assertEqual(figures["consumed_billed"], 120)
        self.assertEqual(figures["non_billable"], 65)
        self.assertEqual(figures["development"], 100)
        self.assertEqual(figures["incident"], 65)
        self.assertFalse(incident.hours_billable)
        self.assertTrue(evolutivo.hours_billable)

    def test_contract_may_bill_a_type(self):
        self.contract.hours_bank_type_ids = [Command.link(self.consulta.id)]
        question = self.ticket_for(self.contact, ticket_type=self.consulta)
        line = self.log(question, 20)
        self.assertTrue(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "contract_type")

    def test_contract_change_reclassifies(self):
        question = self.ticket_for(self.contact, ticket_type=self.consulta)
        line = self.log(question, 20)
        self.assertFalse(line.hours_billable)
        self.contract.hours_bank_type_ids = [Command.link(self.consulta.id)]
        self.assertTrue(line.hours_billable)
        self.assertEqual(self.balance(self.ebro_bank)["consumed_billed"], 30)
        self.contract.action_cancel()
        self.assertEqual(line.hours_billing_reason, "no_contract")

    def test_deleted_contract_no_longer_covers(self):
        """A customer's contracts are kept in the registry's cache for the next
        timesheet: deleting one forgets it (billed as without a contract)."""
        question = self.ticket_for(self.contact, ticket_type=self.consulta)
        self.assertEqual(self.log(question, 20).hours_billing_reason, "contract")
        self.contract.unlink()
        line = self.log(question, 20)
        self.assertTrue(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "no_contract")

    def test_repeated_request_is_billed(self):
        """A repeated request on the same topic is billed even when the
        contract covers the type."""
        ticket = self.ticket_for(self.contact, name="Otra vez: cómo imprimir lotes")
        line = self.log(ticket, 20)
        self.assertFalse(line.hours_billable)
        ticket.hours_repeated = True
        self.assertTrue(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "repeated")
        self.assertEqual(self.minutes(line.hours_billed), 30)
        self.assertEqual(self.balance(self.ebro_bank)["consumed_billed"], 30)

    def test_provider_error_is_never_billed(self):
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 50)
        self.assertEqual(self.balance(self.bank)["consumed_billed"], 60)
        ticket.hours_provider_error = True
        self.assertFalse(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "provider_error")
        self.assertEqual(line.hours_billed, 0.0)
        self.assertFalse(line.hours_allocation_ids)
        figures = self.balance(self.bank)
        self.assertEqual(figures["consumed_billed"], 0)
        self.assertEqual(figures["non_billable"], 50)
        # Even an evolutivo or a repeated request: our error is not billed.
        evolutivo = self.ticket_for(
            self.other_contact,
            ticket_type=self.evolutivo,
            hours_provider_error=True,
            hours_repeated=True,
        )
        self.assertFalse(self.log(evolutivo, 30).hours_billable)

    def test_type_policy_is_configuration(self):
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 20)
        self.incidencia.hours_bank_policy = "never"
        self.assertFalse(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "type_never")
        self.incidencia.hours_bank_policy = "always"
        self.assertEqual(line.hours_billing_reason, "type_always")

    def test_ticket_type_change_reclassifies(self):
        ticket = self.ticket_for(self.contact)
        line = self.log(ticket, 20)
        self.assertFalse(line.hours_billable)
        ticket.type_id = self.evolutivo
        self.assertTrue(line.hours_billable)
        self.assertEqual(line.hours_work_kind, "development")

    def test_ticket_without_customer_consumes_nothing(self):
        ticket = self.ticket_for(self.contact, partner_id=False)
        line = self.log(ticket, 20)
        self.assertFalse(line.hours_bank_id)
        self.assertFalse(line.hours_billable)

    def test_customer_without_bank_gets_one_with_the_first_billable_time(self):
        customer = self.env["res.partner"].create(
            {"name": "Talleres Moncayo S.L.", "is_company": True}
        )
        ticket = self.ticket_for(customer, ticket_type=self.evolutivo)
        line = self.log(ticket, 20)
        bank = self.bank_of(customer)
        self.assertTrue(bank)
        self.assertEqual(line.hours_bank_id, bank)
        figures = self.balance(bank)
        self.assertEqual(figures["overage"], 30, "no pack: everything is overage")
        self.assertEqual(figures["not_invoiced"], 30)
        self.assertEqual(bank.balance_state, "overage")

    def test_task_on_a_consuming_project(self):
        """Project tasks (development) consume when their project says so."""
        project = self.env["project.project"].create(
            {
                "name": "Desarrollos Sierra Alta",
                "allow_timesheets": True,
                "partner_id": self.other_customer.id,
            }
        )
        task = self.env["project.task"].create(
            {"name": "Conector con la báscula", "project_id": project.id}
        )
        Line = self.env["account.analytic.line"].with_user(self.consultant)
        line = Line.create(
            {
                "project_id": project.id,
                "task_id": task.id,
                "name": "Análisis",
                "unit_amount": 50 * MINUTE,
                "date": "2026-03-05",
            }
        )
        self.assertFalse(line.hours_bank_id, "the project does not consume yet")
        project.hours_bank_consume = True
        self.assertEqual(line.hours_bank_id, self.bank)
        self.assertEqual(line.hours_billing_reason, "task")
        self.assertEqual(line.hours_work_kind, "development")
        self.assertEqual(self.minutes(line.hours_billed), 60)
        self.assertEqual(self.minutes(task.hours_billed), 60)
        self.assertEqual(self.balance(self.bank)["development"], 50)

    def test_zero_time_consumes_nothing(self):
        ticket = self.ticket_for(self.other_contact)
        line = self.log(ticket, 0)
        self.assertFalse(line.hours_billable)
        self.assertEqual(line.hours_billing_reason, "no_time")

    def test_ticket_shows_what_it_would_cost(self):
        ticket = self.ticket_for(self.contact)
        self.assertFalse(ticket.hours_billable)
        self.assertEqual(ticket.hours_billing_reason, "contract")
        ticket.hours_repeated = True
        self.assertTrue(ticket.hours_billable)
        self.assertEqual(ticket.hours_bank_id, self.ebro_bank)
        self.assertEqual(self.minutes(ticket.hours_bank_remaining), 20 * 60)
