# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

MADRID = ZoneInfo("Europe/Madrid")


def madrid(*args):
    """Naive UTC datetime of a Europe/Madrid wall-clock time (Odoo's storage)."""
    return (
        datetime(*args, tzinfo=MADRID).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    )


class SlaCase(TransactionCase):
    """Calendar, holidays, policy, contract customer, customer without contract,
    agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, lang="en_US")
        )
        # Demo data may ship public holidays: the stories below declare their own.
        cls.env["resource.calendar.leaves"].search(
            [("resource_id", "=", False)]
        ).unlink()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Soporte L-V 8:30-17:30",
                "tz": "Europe/Madrid",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8.5, 14.0, "morning"),
                        (15.0, 17.5, "afternoon"),
                    )
                ],
            }
        )
        # Good Friday 2026 (3 April), a national holiday.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Viernes Santo",
                "date_from": madrid(2026, 4, 3),
                "date_to": madrid(2026, 4, 4),
                "time_type": "leave",
            }
        )
        cls.policy = cls.env["qubiq.sla.policy"].create(
            {
                "name": "Mantenimiento",
                "calendar_id": cls.calendar.id,
                "line_ids": [
                    Command.create(
                        {"priority": p, "response_target": r, "resolution_target": s}
                    )
                    for p, r, s in (
                        ("0", 6, 60),
                        ("1", 6, 52),
                        ("2", 4, 48),
                        ("3", 2, 24),
                    )
                ],
            }
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "qubiq_sla_indicative_policy_id": cls.policy.id,
                "qubiq_sla_indicative_factor": 1.5,
            }
        )
        cls.agent = new_test_user(
            cls.env,
            login="sla_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            tz="Europe/Madrid",
            lang="en_US",
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_waiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Soporte",
                "user_ids": [Command.link(cls.agent.id)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Muebles Ebro S.L.", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Lucía Gracia",
                "parent_id": cls.customer.id,
                "email": "lucia@ebro.example.com",
            }
        )
        cls.contract = cls.env["qubiq.support.contract"].create(
            {
                "name": "Mantenimiento Ebro",
                "partner_id": cls.customer.id,
                "policy_id": cls.policy.id,
                "date_start": "2026-01-01",
                "state": "active",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Bodegas Sierra Alta", "is_company": True}
        )
        cls.incidencia = cls.env.ref("qubiq_helpdesk_sla.ticket_type_incidencia")
        cls.consulta = cls.env.ref("qubiq_helpdesk_sla.ticket_type_consulta")
        cls.evolutivo = cls.env.ref("qubiq_helpdesk_sla.ticket_type_evolutivo")

    def new_ticket(self, priority="2", partner=None, ticket_type=None, **extra):
        values = {
            "name": "Error de numeración al validar una factura",
            "description": "<p>Pasos para reproducir...</p>",
            "team_id": self.team.id,
            "partner_id": (partner or self.contact).id,
            "type_id": (ticket_type or self.incidencia).id,
            "priority": priority,
        }
        values.update(extra)
        return self.env["helpdesk.ticket"].with_user(self.agent).create(values)

    def clock(self, ticket, kind):
        return ticket.sla_clock_ids.filtered(
            lambda c: c.kind == kind and c.state != "cancelled"
        )
