# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .role_matrix import open_menus, press_buttons

HELPDESK_GROUPS = {
    "own": "helpdesk_mgmt.group_helpdesk_user_own",
    "team": "helpdesk_mgmt.group_helpdesk_user_team",
    # also the agent without Inventory, Accounting, Repair or Project rights
    "all": "helpdesk_mgmt.group_helpdesk_user",
    "manager": "helpdesk_mgmt.group_helpdesk_manager",
}
TIMESHEET_GROUP = "hr_timesheet.group_hr_timesheet_user"


@tagged("post_install", "-at_install")
class TestRoleMatrix(TransactionCase):
    """Every backend role opens every helpdesk screen it sees and every ticket button
    it sees works: generated from the installed menus, views and buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Role matrix"})
        # every after-sales option whose add-on is installed, so its buttons show
        # (ticking another one would install its add-on)
        field_modules = getattr(cls.team, "_aftersales_field_modules", dict)()
        installed = cls.env["ir.module.module"].search(
            [("name", "in", list(field_modules.values())), ("state", "=", "installed")]
        )
        switches = {
            name: True
            for name, module in field_modules.items()
            if module in installed.mapped("name")
        }
        cls.team.write(switches)
        cls.partner = cls.env["res.partner"].create(
            {"name": "Role matrix customer", "email": "matrix@example.com"}
        )
        timesheet = cls.env.ref(TIMESHEET_GROUP, raise_if_not_found=False)
        cls.roles = {}
        for role, group in HELPDESK_GROUPS.items():
            variants = {"": group}
            if timesheet:
                variants["+timesheet"] = f"{group},{TIMESHEET_GROUP}"
            for suffix, groups in variants.items():
                cls.roles[role + suffix] = new_test_user(
                    cls.env,
                    login=f"role_matrix_{role}{suffix.replace('+', '_')}",
                    groups=f"base.group_user,{groups}",
                )
        for role, xmlid in (
            ("demo account manager", "qubiq_helpdesk_portal.user_account_manager_demo"),
            ("demo support manager", "base.user_admin"),
            ("demo agent", "qubiq_helpdesk_sla.user_david_demo"),
        ):
            user = cls.env.ref(xmlid, raise_if_not_found=False)
            if user:
                cls.roles[role] = user
        cls.team.user_ids = [Command.link(user.id) for user in cls.roles.values()]
        cls.tickets = {
            role: cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Role matrix: {role}",
                    "description": "<p>Opened by every role</p>",
                    "team_id": cls.team.id,
                    "user_id": user.id,
                    "partner_id": cls.partner.id,
                }
            )
            for role, user in cls.roles.items()
        }
        cls._ticket_records()
        # A second ticket each, in the states the first one does not show: to
        # estimate, unassigned (but for the "Personal tickets" roles, which only
        # open their own), nothing linked.
        cls.bare_tickets = {}
        for role, user in cls.roles.items():
            personal = user.has_group(HELPDESK_GROUPS["own"]) and not user.has_group(
                HELPDESK_GROUPS["team"]
            )
            values = {
                "name": f"Role matrix, bare: {role}",
                "description": "<p>Nothing linked yet</p>",
                "team_id": cls.team.id,
                "type_id": cls.tickets[role].type_id.id,
                "user_id": user.id if personal else False,
                "partner_id": cls.partner.id,
            }
            if "project_id" in cls.tickets[role]._fields:
                values["project_id"] = cls.tickets[role].project_id.id
            cls.bare_tickets[role] = cls.env["helpdesk.ticket"].create(values)

    @classmethod
    def _ticket_records(cls):
        """Give every ticket what makes its smart buttons and lists show: a
        rating, an estimate waiting for the customer, a follow-up, and one
        record of each installed after-sales add-on and of the timesheets,
        created by the administrator (the roles only open and press)."""
        env = cls.env
        tickets = env["helpdesk.ticket"].concat(*cls.tickets.values())
        fields = tickets._fields
        estimate_type = env["helpdesk.ticket.type"].create(
            {"name": "Role matrix estimate", "requires_estimate": True}
        )
        if "hours_bank_id" in fields and "qubiq.hours.bank" in env:
            env["qubiq.hours.bank"].create({"partner_id": cls.partner.id})
        project = None
        if "project.project" in env:
            project = env["project.project"].create(
                {"name": "Role matrix", "allow_timesheets": True}
                if "allow_timesheets" in env["project.project"]._fields
                else {"name": "Role matrix"}
            )
        program = None
        if "coupon_ids" in fields:
            program = env["loyalty.program"].create(
                {"name": "Role matrix coupons", "program_type": "coupons"}
            )
        for role, ticket in cls.tickets.items():
            user = cls.roles[role]
            env["rating.rating"].create(
                {
                    "res_model_id": env["ir.model"]._get_id("helpdesk.ticket"),
                    "res_id": ticket.id,
                    "partner_id": cls.partner.id,
                    "rating": 5,
                    "consumed": True,
                }
            )
            if "origin_ticket_id" in fields:
                env["helpdesk.ticket"].create(
                    {
                        "name": f"Role matrix follow-up: {role}",
                        "description": "<p>Follow-up</p>",
                        "team_id": cls.team.id,
                        "partner_id": cls.partner.id,
                        "origin_ticket_id": ticket.id,
                    }
                )
            if "intervention_task_ids" in fields:
                env["project.task"].create(
                    {
                        "name": f"Role matrix task: {role}",
                        "project_id": project.id,
                        "helpdesk_ticket_id": ticket.id,
                        "partner_id": cls.partner.id,
                    }
                )
            if "return_picking_ids" in fields:
                picking_type = env.ref("stock.picking_type_in")
                env["stock.picking"].create(
                    {
                        "picking_type_id": picking_type.id,
                        "partner_id": cls.partner.id,
                        "helpdesk_ticket_id": ticket.id,
                        "location_id": env.ref("stock.stock_location_customers").id,
                        "location_dest_id": picking_type.default_location_dest_id.id,
                    }
                )
            if "repair_ids" in fields:
                env["repair.order"].create(
                    {"partner_id": cls.partner.id, "helpdesk_ticket_id": ticket.id}
                )
            if "refund_move_ids" in fields:
                env["account.move"].create(
                    {
                        "move_type": "out_refund",
                        "partner_id": cls.partner.id,
                        "helpdesk_ticket_id": ticket.id,
                    }
                )
            if program:
                env["loyalty.card"].create(
                    {
                        "program_id": program.id,
                        "partner_id": cls.partner.id,
                        "helpdesk_ticket_id": ticket.id,
                    }
                )
            if "timesheet_ids" in fields and project:
                employee = user.employee_id or env["hr.employee"].create(
                    {"name": user.name, "user_id": user.id}
                )
                ticket.project_id = project
                env["account.analytic.line"].create(
                    {
                        "name": "Role matrix work",
                        "ticket_id": ticket.id,
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "user_id": user.id,
                        "unit_amount": 0.5,
                    }
                )
        # The estimate waits for the customer; time was logged before (with
        # qubiq_helpdesk_estimate_sale, no time is logged on it until accepted).
        tickets.write({"type_id": estimate_type.id})
        tickets.write({"estimate_hours": 2.0, "estimate_state": "sent"})

    def test_role_matrix(self):
        report = {}
        for role, user in self.roles.items():
            env = self.env(user=user)
            failures = open_menus(env)
            ticket = self.tickets[role].with_env(env)
            press_buttons(ticket, failures, "ticket form")
            bare = self.bare_tickets[role].with_env(env)
            press_buttons(bare, failures, "bare ticket form")
            if failures:
                report[role] = failures
        self.assertFalse(
            report,
            "\n".join(
                f"{role}:\n  " + "\n  ".join(failures)
                for role, failures in report.items()
            ),
        )
