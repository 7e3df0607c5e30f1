# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.qubiq_hours_bank.tests.common import HoursBankCase


def setup_estimate_team(cls):
    """A development product (60 €/h, no taxes) and an "approved" stage on
    ``cls.team``, which estimates with them."""
    cls.dev_product = cls.env["product.product"].create(
        {
            "name": "Desarrollo a medida (hora)",
            "detailed_type": "service",
            "uom_id": cls.env.ref("uom.product_uom_hour").id,
            "uom_po_id": cls.env.ref("uom.product_uom_hour").id,
            "list_price": 60.0,
            "taxes_id": [Command.clear()],
        }
    )
    cls.stage_approved = cls.env["helpdesk.ticket.stage"].create(
        {"name": "Aprobado", "sequence": 5, "team_ids": [Command.link(cls.team.id)]}
    )
    cls.team.write(
        {
            "estimate_product_id": cls.dev_product.id,
            "estimate_approved_stage_id": cls.stage_approved.id,
        }
    )


class EstimateCase(HoursBankCase):
    """The hours-bank fixtures plus a development product, an "approved" stage on
    the team and an evolutivo of Muebles Ebro assigned to the consultant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_estimate_team(cls)
        cls.team.user_id = cls.agent
        cls.team.user_ids = [Command.link(cls.consultant.id)]
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="hd_manager",
            name="Jefa Soporte",
            groups="helpdesk_mgmt.group_helpdesk_manager",
            tz="Europe/Madrid",
        )
        cls.customer.lang = "en_US"
        cls.company.qubiq_estimate_pre_approval = "refuse"

    def evolutivo_ticket(
        self, partner=None, name="Informe de ventas por comercial", **extra
    ):
        return self.ticket_for(
            partner=partner,
            ticket_type=self.evolutivo,
            name=name,
            user_id=self.consultant.id,
            estimate_state="to_estimate",
            **extra,
        )

    def send_estimate(self, ticket, hours=2.0, user=None, lines=None):
        wizard = (
            self.env["qubiq.estimate.wizard"]
            .with_user(user or self.agent)
            .create(
                {
                    "ticket_id": ticket.id,
                    "hours": hours,
                    "description": "<p>Nuevo informe agrupado por comercial</p>",
                    "line_ids": lines or [],
                }
            )
        )
        wizard.action_send()
        ticket.invalidate_recordset()
        return ticket.estimate_order_id
