# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_module import Module

from ..upgrade import hand_switch_to_base


@tagged("post_install", "-at_install")
class TestTeamSwitches(TransactionCase):
    """Every after-sales switch is on the team form; ticking one whose add-on is
    not installed installs it (the install itself is recorded, never run: module
    operations are not transactional)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="switch_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
            tz="Europe/Madrid",
        )
        cls.team_agent = new_test_user(
            cls.env,
            login="switch_team_agent",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
            tz="Europe/Madrid",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Posventa"})
        cls.switches = cls.team._aftersales_field_modules()
        cls.modules = cls.env["ir.module.module"].search(
            [("name", "in", list(cls.switches.values()))]
        )

    def setUp(self):
        super().setUp()
        self.installed = []

        def button_immediate_install(modules):
            self.installed.append(sorted(modules.mapped("name")))
            return True

        self.patch(Module, "button_immediate_install", button_immediate_install)

    def _uninstalled(self, field_name):
        """Pretend the add-on of ``field_name`` is not installed (in this test's
        transaction only)."""
        module = self.modules.filtered(lambda m: m.name == self.switches[field_name])
        module.state = "uninstalled"
        return module

    def test_every_switch_has_its_module(self):
        booleans = {
            name
            for name, field in self.team._fields.items()
            if name.startswith("use_aftersales_") and field.type == "boolean"
        }
        self.assertEqual(set(self.switches), booleans)
        self.assertEqual(set(self.modules.mapped("name")), set(self.switches.values()))
        for name in self.switches:
            # defined by this module, whatever capability add-on is installed
            self.assertIn("qubiq_helpdesk_aftersales", self.team._fields[name]._modules)

    def test_ticking_uninstalled_service_installs_its_addon(self):
        self._uninstalled("use_aftersales_coupon")
        team = self.team.with_user(self.manager)
        team.use_aftersales_coupon = True
        self.assertEqual(self.installed, [["qubiq_helpdesk_aftersales_coupon"]])
        self.assertTrue(self.team.use_aftersales_coupon)
        # saving again, or another switch, does not install it twice
        team.write({"name": "Posventa 2", "use_aftersales_coupon": False})
        self.assertEqual(len(self.installed), 1)

    def test_new_team_with_uninstalled_service_installs_its_addon(self):
        self._uninstalled("use_aftersales_repair")
        self._uninstalled("use_aftersales_return")
        self.env["helpdesk.ticket.team"].with_user(self.manager).create(
            {
                "name": "Taller",
                "use_aftersales_repair": True,
                "use_aftersales_return": True,
            }
        )
        self.assertEqual(
            self.installed,
            [["qubiq_helpdesk_aftersales_repair", "qubiq_helpdesk_aftersales_return"]],
        )

    def test_installed_service_installs_nothing(self):
        for module in self.modules.filtered(lambda m: m.state != "installed"):
            module.state = "installed"
        self.team.with_user(self.manager).write(dict.fromkeys(self.switches, True))
        self.assertEqual(self.installed, [])
        self.assertFalse(self.team.aftersales_uninstalled_switches)

    def test_addon_missing_from_server_is_refused(self):
        self._uninstalled("use_aftersales_refund").state = "uninstallable"
        team = self.team.with_user(self.manager).with_context(lang="es_ES")
        with self.assertRaisesRegex(UserError, "no está disponible en este servidor"):
            team.use_aftersales_refund = True
        self.assertEqual(self.installed, [])

    def test_team_agent_cannot_switch(self):
        self._uninstalled("use_aftersales_refund")
        team = self.team.with_user(self.team_agent).with_context(lang="es_ES")
        with self.assertRaisesRegex(
            AccessError, "Solo los responsables de soporte pueden activar"
        ):
            team.use_aftersales_refund = True
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            team.create({"name": "Mine", "use_aftersales_refund": True})
        self.assertEqual(self.installed, [])
        self.assertFalse(self.team.use_aftersales_refund)

    def test_team_form_in_spanish(self):
        """The manager's team form lists every switch with its description, in
        Spanish; ticking an uninstalled one says what saving installs."""
        module = self._uninstalled("use_aftersales_refund")
        team = self.team.with_user(self.manager).with_context(lang="es_ES")
        form = Form(team)
        arch = etree.fromstring(team.get_view(view_type="form")["arch"])
        settings = arch.xpath("//div[@name='aftersales_options']/setting")
        self.assertEqual(
            [setting.xpath("./field/@name")[0] for setting in settings],
            list(self.switches),
        )
        labels = {name: form._view["fields"][name]["string"] for name in self.switches}
        self.assertEqual(
            labels,
            {
                "use_aftersales_refund": "Reembolsos",
                "use_aftersales_coupon": "Cupones",
                "use_aftersales_return": "Devoluciones",
                "use_aftersales_repair": "Reparaciones",
                "use_aftersales_intervention": "Intervenciones in situ",
            },
        )
        self.assertEqual(
            settings[0].get("help"),
            "Los agentes de este equipo pueden emitir facturas rectificativas "
            "desde un ticket.",
        )
        self.assertIn("<h2>Posventa</h2>", etree.tostring(arch, encoding="unicode"))
        self.assertFalse(form.aftersales_install_message)
        form.use_aftersales_refund = True
        self.assertIn(
            f"Reembolsos: módulo «{module.with_context(lang='es_ES').shortdesc}»",
            form.aftersales_install_message,
        )
        form.save()
        self.assertEqual(self.installed, [["qubiq_helpdesk_aftersales_refund"]])

    def test_switch_field_kept_when_old_capability_addon_updates(self):
        """An add-on that defined a switch before 17.0.1.1.0 of this module,
        updated alone, hands the field over instead of dropping its column (its
        external id is no longer the add-on's: the end of the update keeps it)."""
        field = self.env["ir.model.fields"]._get(
            "helpdesk.ticket.team", "use_aftersales_repair"
        )
        xmlid = "field_helpdesk_ticket_team__use_aftersales_repair"
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.model.fields"), ("res_id", "=", field.id)]
        )
        data.unlink()
        self.team.use_aftersales_repair = True
        old = self.env["ir.model.data"].create(
            {
                "module": "qubiq_helpdesk_aftersales_repair",
                "name": xmlid,
                "model": "ir.model.fields",
                "res_id": field.id,
            }
        )
        # the repair add-on's pre-migration, when it is updated alone
        hand_switch_to_base(self.env.cr, "qubiq_helpdesk_aftersales_repair")
        self.env.invalidate_all()
        self.assertTrue(field.exists())
        self.assertEqual(old.module, "qubiq_helpdesk_aftersales")
        self.assertTrue(self.team.use_aftersales_repair)

    def test_switch_field_kept_when_updated_with_this_module(self):
        """Updated together, this module already has its own external id for the
        switch: the old add-on's one is dropped, the field and values stay."""
        field = self.env["ir.model.fields"]._get(
            "helpdesk.ticket.team", "use_aftersales_repair"
        )
        xmlid = "field_helpdesk_ticket_team__use_aftersales_repair"
        self.team.use_aftersales_repair = True
        old = self.env["ir.model.data"].create(
            {
                "module": "qubiq_helpdesk_aftersales_repair",
                "name": xmlid,
                "model": "ir.model.fields",
                "res_id": field.id,
            }
        )
        hand_switch_to_base(self.env.cr, "qubiq_helpdesk_aftersales_repair")
        self.env.invalidate_all()
        self.assertFalse(old.exists())
        self.assertEqual(self.env.ref(f"qubiq_helpdesk_aftersales.{xmlid}"), field)
        self.assertTrue(self.team.use_aftersales_repair)


@tagged("post_install", "-at_install")
class TestTeamSwitchesTour(HttpCase):
    def test_manager_confirms_before_install(self):
        installed = []

        def button_immediate_install(modules):
            installed.append(sorted(modules.mapped("name")))
            return True

        self.patch(Module, "button_immediate_install", button_immediate_install)
        self.env["ir.module.module"].search(
            [("name", "=", "qubiq_helpdesk_aftersales_refund")]
        ).state = "uninstalled"
        new_test_user(
            self.env,
            login="switch_tour_manager",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_manager",
            tz="Europe/Madrid",
            lang="en_US",
        )
        team = self.env["helpdesk.ticket.team"].create({"name": "Tour team"})
        self.start_tour(
            f"/web#model=helpdesk.ticket.team&id={team.id}&view_type=form",
            "qubiq_helpdesk_aftersales_team_switches",
            login="switch_tour_manager",
        )
        self.assertEqual(installed, [["qubiq_helpdesk_aftersales_refund"]])
        self.assertTrue(team.use_aftersales_refund)
