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
        # every after-sales option an installed add-on offers, so its buttons show
        switches = {
            name: True
            for name, field in cls.team._fields.items()
            if name.startswith("use_aftersales_") and field.type == "boolean"
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

    def test_role_matrix(self):
        report = {}
        for role, user in self.roles.items():
            env = self.env(user=user)
            failures = open_menus(env)
            ticket = self.tickets[role].with_env(env)
            press_buttons(ticket, failures, "ticket form")
            if failures:
                report[role] = failures
        self.assertFalse(
            report,
            "\n".join(
                f"{role}:\n  " + "\n  ".join(failures)
                for role, failures in report.items()
            ),
        )
