"""Shared set-up of the benchmarks: databases built with the Odoo that python3 imports.

Not a test: the benchmark scripts print figures and ratios measured in one run.
"""

import getpass
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def odoo_conf():
    """A throw-away Odoo configuration for the local PostgreSQL (current OS user)."""
    handle, path = tempfile.mkstemp(prefix="qubiq-bench-", suffix=".conf")
    with os.fdopen(handle, "w") as conf:
        conf.write(
            "[options]\n"
            f"db_host = {os.environ.get('PGHOST', '127.0.0.1')}\n"
            f"db_port = {os.environ.get('PGPORT', '5432')}\n"
            f"db_user = {os.environ.get('PGUSER', getpass.getuser())}\n"
            f"addons_path = {ROOT}\n"
            "admin_passwd = admin\n"
        )
    return path


_PARSED = set()


def _configure(conf):
    import odoo

    if conf not in _PARSED:
        odoo.tools.config.parse_config(["-c", conf])
        _PARSED.add(conf)
    return odoo


def ensure_db(conf, name, modules, demo=True):
    """Create database ``name`` with ``modules`` installed unless it exists."""
    odoo = _configure(conf)
    if name in odoo.service.db.list_dbs(force=True):
        return
    print(f"# creating database {name} with {modules} (once)...", flush=True)
    cmd = [sys.executable, "-m", "odoo", "-c", conf, "-d", name, "-i", modules]
    cmd += ["--stop-after-init", "--log-level=warn"]
    if not demo:
        cmd.append("--without-demo=all")
    subprocess.run(cmd, check=True)


def environment(conf, name):
    """(registry, cursor, env) as superuser on database ``name``."""
    odoo = _configure(conf)
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(name)
    cr = registry.cursor()
    return registry, cr, api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


class Measure:
    """Seconds, SQL queries and peak Python memory of a block."""

    def __init__(self, cr, memory=False):
        self.cr = cr
        self.memory = memory
        self.seconds = self.queries = self.peak_mb = 0.0

    @contextmanager
    def __call__(self):
        if self.memory:
            tracemalloc.start()
        before = self.cr.sql_log_count
        start = time.perf_counter()
        try:
            yield self
        finally:
            self.seconds = time.perf_counter() - start
            self.queries = self.cr.sql_log_count - before
            if self.memory:
                self.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()


def row(*cells, widths=(34, 14, 22, 14, 12)):
    """One line of a fixed-width table: first cell left-aligned, the rest right."""
    print(
        "".join(
            str(cell).rjust(width) if i else str(cell).ljust(width)
            for i, (cell, width) in enumerate(
                zip(cells, widths[: len(cells)], strict=True)
            )
        )
    )
