"""Repository-wide pytest policy: a skipped test is a failure (QUBIQ_FAIL_ON_SKIP=1).

Odoo skips browser tours when Chromium or websocket-client is missing and pytest-odoo
skips HttpCase without --odoo-http; both would otherwise report success for tests that
never ran.
"""

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("QUBIQ_FAIL_ON_SKIP") == "1"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        report.outcome = "failed"
        report.longrepr = f"A skipped test counts as a failure here: {report.longrepr}"


def _inside_addon(path):
    return any(
        (folder / "__manifest__.py").is_file() for folder in (path, *path.parents)
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path, parent):
    """Without pytest-odoo (no Odoo on this machine, or ``-p no:odoo``), collect the
    addons' folders as plain directories: pytest would otherwise import each addon's
    ``__init__.py`` as a package (which imports Odoo) before running the plain-Python
    tests under ``tests/pure``, which load their code by path."""
    if parent.config.pluginmanager.has_plugin("odoo") or not _inside_addon(path):
        return None
    return pytest.Dir.from_parent(parent, path=path)
