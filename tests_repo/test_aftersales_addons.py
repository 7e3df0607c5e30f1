"""Repository checks of the after-sales add-ons, generated from their folders so that
a new add-on is caught: its team switch and install check."""

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AFTERSALES = sorted(
    p.parent.name for p in ROOT.glob("qubiq_helpdesk_aftersales*/__manifest__.py")
)
# After-sales add-ons that launch no service of their own, so have no team switch:
# the ticket's sales links.
NO_SWITCH = {"qubiq_helpdesk_aftersales_sale"}


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def switch_modules():
    """AFTERSALES_SWITCH_MODULES of the base add-on, read without Odoo."""
    source = ROOT / "qubiq_helpdesk_aftersales/models/helpdesk_ticket_team.py"
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == (
            "AFTERSALES_SWITCH_MODULES"
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("AFTERSALES_SWITCH_MODULES not found")


def test_every_capability_addon_has_its_switch():
    """Every after-sales add-on that is not a bridge (auto_install) nor in NO_SWITCH
    is the add-on of one switch of the team form, the one its actions check."""
    capabilities = {
        addon
        for addon in AFTERSALES
        if addon != "qubiq_helpdesk_aftersales"
        and not manifest(addon).get("auto_install")
        and addon not in NO_SWITCH
    }
    mapping = switch_modules()
    assert set(mapping.values()) == capabilities, (
        "add each new capability add-on's switch to AFTERSALES_SWITCH_MODULES "
        "(qubiq_helpdesk_aftersales), or to NO_SWITCH here if it offers no service"
    )
    for field, addon in mapping.items():
        code = "\n".join(p.read_text() for p in (ROOT / addon).rglob("*.py"))
        checked = set(re.findall(r"_aftersales_check_enabled\(\s*\"(\w+)\"", code))
        assert checked == {field}, f"{addon} checks {checked}, mapped to {field}"


def test_install_each_addon_covers_every_aftersales_addon():
    listed = subprocess.run(
        ["bash", str(ROOT / "scripts/install-each-addon"), "--list"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    assert set(AFTERSALES) <= set(listed)
    assert set(listed) == {p.parent.name for p in ROOT.glob("*/__manifest__.py")}
    aftersales = subprocess.run(
        ["bash", str(ROOT / "scripts/install-each-addon"), "--list", "--aftersales"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split()
    assert aftersales == AFTERSALES
