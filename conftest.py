"""Repository-wide pytest policy: a skipped test is a failure (QUBIQ_FAIL_ON_SKIP=1).

Odoo skips browser tours when Chromium or websocket-client is missing and pytest-odoo skips
HttpCase without --odoo-http; both would otherwise report success for tests that never ran.
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
