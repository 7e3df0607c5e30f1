# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.qubiq_helpdesk_sla.tests.common import SlaCase

from ..models import hours_engine

MINUTE = 1 / 60


class HoursBankCase(SlaCase):
    """The SLA fixtures (calendar, policy, Muebles Ebro with a maintenance contract
    since 2026-01-01, Bodegas Sierra Alta without one) plus what the hours bank
    needs: a support project and team with timesheets, a consultant with an
    employee, an account manager, the pack and extra-hours products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True)
        )
        cls.project = cls.env["project.project"].create(
            {"name": "Soporte Odoo", "allow_timesheets": True}
        )
        cls.team.write({"allow_timesheet": True, "default_project_id": cls.project.id})
        cls.consultant = new_test_user(
            cls.env,
            login="hb_consultant",
            name="Ana Consultora",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user",
            tz="Europe/Madrid",
        )
        cls.team.user_ids = [Command.link(cls.consultant.id)]
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Ana Consultora", "user_id": cls.consultant.id}
        )
        cls.manager = new_test_user(
            cls.env,
            login="hb_account_manager",
            name="Marc Gestor",
            email="marc@qubiq.example.com",
            groups="sales_team.group_sale_salesman,"
            "qubiq_hours_bank.group_hours_bank_manager",
        )
        cls.customer.write(
            {"account_manager_id": cls.manager.id, "email": "admin@ebro.example.com"}
        )
        cls.other_customer.write(
            {"account_manager_id": cls.manager.id, "email": "info@sierra.example.com"}
        )
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Marta Ruiz",
                "parent_id": cls.other_customer.id,
                "email": "marta@sierra.example.com",
            }
        )
        cls.pack_product = cls.env.ref("qubiq_hours_bank.product_hours_pack")
        cls.extra_product = cls.env.ref("qubiq_hours_bank.product_hours_extra")
        cls.company.write(
            {
                "qubiq_hours_block_minutes": 30,
                "qubiq_hours_minimum_minutes": 30,
                "qubiq_hours_rounding_scope": "line",
                "qubiq_hours_threshold_kind": "percent",
                "qubiq_hours_threshold_value": 20.0,
                "qubiq_hours_excess_hours": 8.0,
                "qubiq_hours_extra_product_id": cls.extra_product.id,
            }
        )

    # ------------------------------------------------------------------ helpers

    @classmethod
    def sell_pack(cls, partner, hours, day="2026-03-02", months=12, price=55.0):
        """Confirm a sale order of ``hours`` of the pack product on ``day``."""
        cls.pack_product.hours_pack_validity_months = months
        with freeze_time(f"{day} 10:00:00"):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "date_order": f"{day} 10:00:00",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.pack_product.id,
                                "product_uom_qty": hours,
                                "price_unit": price,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        return order

    @classmethod
    def bank_of(cls, partner):
        return cls.env["qubiq.hours.bank"].search(
            [("partner_id", "=", partner.commercial_partner_id.id)]
        )

    @classmethod
    def ticket_for(cls, partner=None, ticket_type=None, name=None, **extra):
        values = {
            "name": name or "No se puede validar el albarán",
            "description": "<p>Pasos...</p>",
            "team_id": cls.team.id,
            "project_id": cls.project.id,
            "partner_id": (partner or cls.contact).id,
            "type_id": (ticket_type or cls.incidencia).id,
            "priority": "1",
        }
        if (ticket_type or cls.incidencia).requires_estimate:
            # Time is logged on a new requirement once its estimate is approved
            # (refused before with qubiq_helpdesk_estimate_sale installed).
            values["estimate_state"] = "approved"
        values.update(extra)
        return cls.env["helpdesk.ticket"].create(values)

    @classmethod
    def log(cls, ticket, minutes, day="2026-03-03", user=None, name="Trabajo"):
        """A timesheet of ``minutes`` on ``ticket`` logged by the consultant."""
        Line = cls.env["account.analytic.line"].with_user(user or cls.consultant)
        return Line.create(
            {
                "ticket_id": ticket.id,
                "project_id": ticket.project_id.id,
                "task_id": ticket.task_id.id,
                "name": name,
                "unit_amount": minutes * MINUTE,
                "date": day,
            }
        )

    def minutes(self, hours):
        """Hours as whole minutes, to assert figures to the minute."""
        return round(hours * 60)

    def balance(self, bank, date_from=None, date_to=None):
        """The bank's figures in minutes (dict), as every screen shows them."""
        bank.invalidate_recordset()
        balance = bank._hours_balances(date_from, date_to)[bank.id]
        return {
            key: round(getattr(balance, key) / 60) for key in hours_engine.BALANCE_KEYS
        }
