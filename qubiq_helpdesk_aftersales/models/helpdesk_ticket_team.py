# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

# Switch of each after-sales service → the capability add-on that runs it. The
# switches live here, in the base, so that the team form offers every service and
# ticking one installs its add-on (as Odoo Enterprise's helpdesk team does with
# use_credit_notes, use_product_returns...). tests_repo checks that every
# capability add-on of the repository is listed.
AFTERSALES_SWITCH_MODULES = {
    "use_aftersales_refund": "qubiq_helpdesk_aftersales_refund",
    "use_aftersales_coupon": "qubiq_helpdesk_aftersales_coupon",
    "use_aftersales_return": "qubiq_helpdesk_aftersales_return",
    "use_aftersales_repair": "qubiq_helpdesk_aftersales_repair",
    "use_aftersales_intervention": "qubiq_helpdesk_aftersales_intervention",
}
MANAGER_GROUP = "helpdesk_mgmt.group_helpdesk_manager"


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_aftersales_refund = fields.Boolean(
        string="Refunds",
        help="Agents of this team can issue credit notes from a ticket.",
    )
    use_aftersales_coupon = fields.Boolean(
        string="Coupons",
        help="Agents of this team can give the customer a coupon from a ticket.",
    )
    use_aftersales_return = fields.Boolean(
        string="Returns",
        help="Agents of this team can return a customer's delivery from a ticket.",
    )
    use_aftersales_repair = fields.Boolean(
        string="Repairs",
        help="Agents of this team can create repair orders from a ticket.",
    )
    use_aftersales_intervention = fields.Boolean(
        string="On-site Interventions",
        help="Agents of this team can plan on-site interventions from a ticket.",
    )
    aftersales_uninstalled_switches = fields.Char(
        compute="_compute_aftersales_uninstalled_switches",
        help="Technical: the switches whose add-on is not installed, for the form.",
    )
    aftersales_install_message = fields.Text(
        compute="_compute_aftersales_install_message",
        help="Technical: what saving the switches just ticked installs.",
    )

    @api.model
    def _aftersales_field_modules(self):
        """{switch field: capability add-on}; extend it for a new capability."""
        return dict(AFTERSALES_SWITCH_MODULES)

    def _aftersales_modules(self, field_names):
        """The ``ir.module.module`` of the add-ons behind ``field_names``."""
        names = [self._aftersales_field_modules()[name] for name in field_names]
        # sudo: reading the module list is not a helpdesk right; only names are read
        return self.env["ir.module.module"].sudo().search([("name", "in", names)])

    def _compute_aftersales_uninstalled_switches(self):
        field_modules = self._aftersales_field_modules()
        installed = set(
            self._aftersales_modules(list(field_modules))
            .filtered(lambda module: module.state == "installed")
            .mapped("name")
        )
        value = ",".join(
            name for name, module in field_modules.items() if module not in installed
        )
        for team in self:
            team.aftersales_uninstalled_switches = value

    @api.depends(lambda self: list(self._aftersales_field_modules()))
    def _compute_aftersales_install_message(self):
        for team in self:
            # the switches ticked since the team was last saved (all on a new team)
            ticked = [
                name
                for name in team._aftersales_field_modules()
                if team[name] and not team._origin[name]
            ]
            team.aftersales_install_message = team._aftersales_install_message(ticked)

    def _aftersales_install_message(self, field_names):
        """One line per add-on that ticking ``field_names`` installs, with the
        applications it brings; empty when every add-on is installed."""
        lines = []
        field_modules = self._aftersales_field_modules()
        modules = {m.name: m for m in self._aftersales_modules(field_names)}
        for name in field_names:
            module = modules.get(field_modules[name])
            if not module or module.state == "installed":
                continue
            apps = (
                module.upstream_dependencies(
                    exclude_states=("installed", "uninstallable")
                )
                | module
            ).filtered("application")
            label = self._fields[name].get_description(self.env)["string"]
            if apps:
                lines.append(
                    _(
                        "%(service)s: add-on “%(module)s”, which also installs "
                        "%(apps)s",
                        service=label,
                        module=module.shortdesc,
                        apps=", ".join(apps.mapped("shortdesc")),
                    )
                )
            else:
                lines.append(
                    _(
                        "%(service)s: add-on “%(module)s”",
                        service=label,
                        module=module.shortdesc,
                    )
                )
        return "\n".join(lines)

    @api.model_create_multi
    def create(self, vals_list):
        ticked = {name for vals in vals_list for name in self._aftersales_ticked(vals)}
        self._aftersales_check_can_switch(vals_list)
        teams = super().create(vals_list)
        teams._aftersales_install(ticked)
        return teams

    def write(self, vals):
        self._aftersales_check_can_switch([vals])
        res = super().write(vals)
        self._aftersales_install(self._aftersales_ticked(vals))
        return res

    def _aftersales_ticked(self, vals):
        return [name for name in self._aftersales_field_modules() if vals.get(name)]

    def _aftersales_check_can_switch(self, vals_list):
        """Only helpdesk managers switch after-sales services (and so install
        their add-ons). Not a ``groups`` on the fields: the tickets' related
        switches would inherit it and hide the agents' buttons."""
        switches = self._aftersales_field_modules()
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        if any(name in switches for vals in vals_list for name in vals):
            raise AccessError(
                _(
                    "Only helpdesk managers can switch the after-sales services of "
                    "a team."
                )
            )

    def _aftersales_install(self, field_names):
        """Install the add-ons of the switches just ticked that are not installed
        (the team form has the manager confirm first). ``button_immediate_install``
        commits and reloads the registry, as Odoo's settings do."""
        if not field_names:
            return False
        modules = self._aftersales_modules(field_names)
        missing = {
            self._aftersales_field_modules()[name] for name in field_names
        } - set(modules.filtered(lambda m: m.state != "uninstallable").mapped("name"))
        if missing:
            raise UserError(
                _(
                    "The add-on %(modules)s of this after-sales service is not "
                    "available on this server: ask your administrator to add it to "
                    "the addons path, or untick the service.",
                    modules=", ".join(sorted(missing)),
                )
            )
        to_install = modules.filtered(lambda m: m.state == "uninstalled")
        if not to_install:
            return False
        if not self.env.registry.ready:
            # while modules load (demo data of another add-on): never install then
            _logger.warning(
                "Not installing %s during module loading", to_install.mapped("name")
            )
            return False
        _logger.info(
            "User #%d installs %s from a helpdesk team's after-sales switches",
            self.env.uid,
            to_install.mapped("name"),
        )
        # sudo: a helpdesk manager needs no Settings rights to install the add-ons
        # of the services listed above, as with Enterprise's helpdesk team
        to_install.sudo().button_immediate_install()
        return True
