# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import MINUTE, HoursBankCase


@tagged("post_install", "-at_install")
@freeze_time("2026-05-20 12:00:00")
class TestDashboard(HoursBankCase):
    """The account manager's figures for a known set, to the minute, filtered by
    period; the same figures on the bank's form, the dashboard, the analysis, the
    portal and the statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Bodegas Sierra Alta (no contract): a 10 h pack in February (expired end of
        # March with time unused) and a 20 h pack in April.
        cls.february = cls.sell_pack(
            cls.other_contact, 10, day="2026-02-01", months=2
        ).hours_pack_ids
        cls.april = cls.sell_pack(
            cls.other_contact, 20, day="2026-04-01"
        ).hours_pack_ids
        cls.bank = cls.february.bank_id
        cls.incident = cls.ticket_for(cls.other_contact, name="Error al facturar")
        cls.evo_ticket = cls.ticket_for(
            cls.other_contact, ticket_type=cls.evolutivo, name="Informe de ventas"
        )
        cls.mistake = cls.ticket_for(
            cls.other_contact,
            name="Fallo de nuestra migración",
            hours_provider_error=True,
        )
        log = cls.log
        # February: 10 + 31 min incidencia -> 0:30 + 1:00 billed.
        log(cls.incident, 10, day="2026-02-10")
        log(cls.incident, 31, day="2026-02-11")
        # March: 6:15 of evolutivo -> 6:30 billed; the February pack has 2:00 left
        # when it expires on 2026-03-31.
        log(cls.evo_ticket, 375, day="2026-03-05")
        # April: 3:00 incidencia (3:00) and 45 min of our own error (not billed).
        log(cls.incident, 180, day="2026-04-08")
        log(cls.mistake, 45, day="2026-04-09")
        # May: 1:40 of evolutivo -> 2:00 billed.
        log(cls.evo_ticket, 100, day="2026-05-04")

    def test_known_set_all_time(self):
        figures = self.balance(self.bank)
        self.assertEqual(
            figures,
            {
                "contracted": 30 * 60,
                "consumed_real": 10 + 31 + 375 + 180 + 100,
                "consumed_billed": 30 + 60 + 390 + 180 + 120,
                "non_billable": 45,
                "from_packs": 780,
                "overage": 0,
                "direct": 0,
                "not_invoiced": 0,
                "development": 375 + 100,
                "incident": 10 + 31 + 180 + 45,
                "remaining": 20 * 60 - 300,
                "expired": 10 * 60 - 480,
                "paid_available": 0,
                "in_force": 20 * 60,
            },
        )

    def test_known_set_per_period(self):
        march = self.balance(self.bank, "2026-03-01", "2026-03-31")
        self.assertEqual(march["contracted"], 0)
        self.assertEqual(march["consumed_billed"], 390)
        self.assertEqual(march["consumed_real"], 375)
        self.assertEqual(march["development"], 375)
        self.assertEqual(march["incident"], 0)
        self.assertEqual(march["remaining"], 120, "the April pack starts later")
        self.assertEqual(march["expired"], 0)
        april = self.balance(self.bank, "2026-04-01", "2026-04-30")
        self.assertEqual(april["contracted"], 20 * 60)
        self.assertEqual(april["consumed_billed"], 180)
        self.assertEqual(april["non_billable"], 45)
        self.assertEqual(april["remaining"], 1200 - 180)
        self.assertEqual(april["expired"], 120, "the February pack expired unused")

    def test_dashboard_figures(self):
        Dashboard = self.env["qubiq.hours.dashboard"].with_user(self.manager)
        data = Dashboard.hours_dashboard(period="all")
        customer = next(c for c in data["customers"] if c["id"] == self.bank.id)
        self.assertEqual(self.minutes(customer["consumed_billed"]), 780)
        self.assertEqual(self.minutes(customer["remaining"]), 900)
        self.assertEqual(self.minutes(customer["expired"]), 120)
        mine = Dashboard.hours_dashboard(period="all", mine=True)
        self.assertIn(self.bank.id, mine["bank_ids"])
        only = Dashboard.hours_dashboard(period="last_month", bank_ids=self.bank.ids)
        self.assertEqual(only["date_from"], "2026-04-01")
        self.assertEqual(only["date_to"], "2026-04-30")
        self.assertEqual(self.minutes(only["totals"]["consumed_billed"]), 180)
        self.assertEqual(self.minutes(only["totals"]["non_billable"]), 45)
        works = {w["name"]: w for w in only["works"]}
        self.assertEqual(self.minutes(works[self.incident.display_name]["billed"]), 180)
        self.assertEqual(self.minutes(works[self.mistake.display_name]["real"]), 45)
        self.assertEqual(self.minutes(works[self.mistake.display_name]["billed"]), 0)
        year = Dashboard.hours_dashboard(period="this_year", bank_ids=self.bank.ids)
        months = {m["month"]: m for m in year["months"]}
        self.assertEqual(self.minutes(months["2026-03-01"]["development"]), 390)
        self.assertEqual(self.minutes(months["2026-02-01"]["incident"]), 90)
        custom = Dashboard.hours_dashboard(
            period="custom",
            date_from="2026-02-01",
            date_to="2026-02-28",
            bank_ids=self.bank.ids,
        )
        self.assertEqual(self.minutes(custom["totals"]["consumed_billed"]), 90)
        self.assertEqual(self.minutes(custom["totals"]["contracted"]), 600)

    def test_same_figures_everywhere(self):
        """Bank form, dashboard, analysis (pivot), statement and portal show one
        truth."""
        self.bank.invalidate_recordset()
        form = {
            "contracted": self.minutes(self.bank.contracted_hours),
            "consumed_billed": self.minutes(self.bank.consumed_billed_hours),
            "consumed_real": self.minutes(self.bank.consumed_real_hours),
            "remaining": self.minutes(self.bank.remaining_hours),
            "expired": self.minutes(self.bank.expired_hours),
            "non_billable": self.minutes(self.bank.non_billable_hours),
        }
        data = self.env["qubiq.hours.dashboard"].hours_dashboard(bank_ids=self.bank.ids)
        dashboard = {k: self.minutes(data["totals"][k]) for k in form}
        statement = self.env[
            "report.qubiq_hours_bank.report_hours_statement"
        ]._hours_statement(self.bank)["balance"]
        printed = {k: self.minutes(statement[k]) for k in form}
        Report = self.env["qubiq.hours.bank.report"]
        ((contracted, billed, real, stock, expired, non_billable),) = [
            tuple(row)
            for row in Report._read_group(
                [("bank_id", "=", self.bank.id)],
                [],
                [
                    "contracted_hours:sum",
                    "billed_hours:sum",
                    "real_hours:sum",
                    "stock_hours:sum",
                    "expired_hours:sum",
                    "non_billable_hours:sum",
                ],
            )
        ]
        pivot = {
            "contracted": self.minutes(contracted),
            "consumed_billed": self.minutes(billed),
            "consumed_real": self.minutes(real),
            "remaining": self.minutes(stock),
            "expired": self.minutes(expired),
            "non_billable": self.minutes(non_billable),
        }
        self.assertEqual(form["remaining"], 900)
        self.assertEqual(dashboard, form)
        self.assertEqual(printed, form)
        self.assertEqual(pivot, form)

    def test_balance_queries_do_not_grow_with_lines(self):
        """read_group based: as many queries for 2 lines as for 40."""
        banks = self.env["qubiq.hours.bank"]
        banks._hours_balances()  # warm the caches

        def count(bank):
            bank.invalidate_model()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            bank._hours_balances()
            return self.cr.sql_log_count - before

        few = count(self.bank)
        Line = self.env["account.analytic.line"].with_user(self.consultant)
        Line.create(
            [
                {
                    "ticket_id": self.incident.id,
                    "project_id": self.project.id,
                    "name": f"Revisión {i}",
                    "unit_amount": 5 * MINUTE,
                    "date": "2026-05-11",
                }
                for i in range(40)
            ]
        )
        self.assertEqual(count(self.bank), few)
        with self.assertQueryCount(__system__=few):
            self.env.invalidate_all()
            self.bank._hours_balances()
