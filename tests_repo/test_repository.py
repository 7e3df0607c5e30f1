"""Repository checks run by scripts/run-tests: lint, manifests, translations.

Plain Python (no Odoo needed): ruff and pylint-odoo on the addons, and every addon's
Spanish translation complete.
"""

import ast
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))


def test_ruff_reports_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-fix", "."],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_odoo_mandatory_checks():
    result = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile=.pylintrc-mandatory"]
        + [p.name for p in ADDONS],
        cwd=ROOT,
        capture_output=True,
        check=False,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_manifest(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert manifest["version"].startswith("17.0.")
    assert manifest["license"] in ("AGPL-3", "LGPL-3")
    assert manifest["author"] == "Qubiq"
    for key in ("name", "summary", "website", "depends"):
        assert manifest.get(key), key
    for path in manifest.get("data", []) + manifest.get("demo", []):
        assert (addon / path).is_file(), path
    assert (addon / "static/description/icon.png").is_file()
    assert (addon / "readme/DESCRIPTION.md").is_file()
    assert (addon / "pyproject.toml").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_spanish_translation_is_complete(addon):
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    po = polib.pofile(str(addon / "i18n" / "es.po"))
    translated = {entry.msgid for entry in po if entry.msgstr}
    missing = [entry.msgid for entry in pot if entry.msgid not in translated]
    assert not missing, f"untranslated in {addon.name}/i18n/es.po: {missing[:5]}"
