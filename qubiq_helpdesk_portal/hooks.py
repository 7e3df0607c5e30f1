# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """This module replaces helpdesk_mgmt's portal ticket rule (every contact of a
    company saw all of its tickets) by its own; give it back on uninstall."""
    rule = env.ref(
        "helpdesk_mgmt.helpdesk_ticket_rule_portal", raise_if_not_found=False
    )
    if rule:
        rule.active = True
