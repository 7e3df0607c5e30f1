#!/usr/bin/env python3
"""Load and consistency run (issue 18): the suite under concurrent HTTP clients,
against plain OCA helpdesk_mgmt (+ helpdesk_mgmt_timesheet) in the same run, then
its invariants.

For each database in turn, Odoo is started as a subprocess (``--workers=4
--max-cron-threads=0``, loopback only, ``--db-filter`` to that database) and
``--clients`` threads drive it for ``--seconds``, half agents and half customers:

- agents (``admin`` on both databases, JSON-RPC after /web/session/authenticate): the
  ticket queue (search_read), one ticket (read), a 0.5 h timesheet on a ticket of the
  hours-bank demo customer (Talleres Moncayo; any ticket with a project on the base),
  a public reply (message_post, comment);
- customers (portal login through the /web/login form): /my/tickets and a ticket page
  /my/ticket/<id>.

Printed per request kind: count, errors, 5xx, p50/p95 (ms) and requests per second;
then the ratios suite/base. Afterwards, on the suite database with a direct cursor:
every billable timesheet with an hours bank has allocations summing to its billed
time (no allocation repeated), no pack consumed beyond its size, the stored
allocations equal a from-scratch ``_hours_rebalance`` of every bank (in a transaction
rolled back), at most one open ``qubiq.sla.pause`` per ticket, no 5xx answer. Exit
code 1 on any violation.

Usage: python3 bench/load.py [--clients 4] [--seconds 20] [--port 8479]
The databases ``qubiq_load`` (qubiq_helpdesk_portal, qubiq_hours_bank and demo data,
then scripts/demo_setup.py) and ``qubiq_load_base`` (helpdesk_mgmt,
helpdesk_mgmt_timesheet, demo data) are created on the first run and reused; the
timesheets and replies of each run stay in them.

Figures of one run on a 2-core machine (``--clients 4 --seconds 20``): see the
"Benchmarks" section of README.md.
"""

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import ROOT, ensure_db, environment, odoo_conf, row

SUITE, BASE = "qubiq_load", "qubiq_load_base"
SUITE_MODULES = "qubiq_helpdesk_portal,qubiq_hours_bank"
BASE_MODULES = "helpdesk_mgmt,helpdesk_mgmt_timesheet"
AGENT = ("admin", "admin")
CUSTOMERS = {
    SUITE: [("talleres.moncayo", "talleres.moncayo"), ("portal", "portal")],
    BASE: [("portal", "portal")],
}
KINDS = [
    "agent: queue",
    "agent: ticket",
    "agent: timesheet",
    "agent: reply",
    "portal: /my/tickets",
    "portal: ticket page",
]
LAUNCHER = """import sys
import time

if sys.argv[1:2] == ["gevent"]:
    while True:
        time.sleep(3600)
from odoo.cli.command import main

main()
"""
WIDTHS = (22, 8, 8, 6, 10, 10, 8)


class Stats:
    """Latencies and failures per request kind, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = Counter()
        self.server_errors = Counter()
        self.samples = {}

    def record(self, kind, seconds, status, error=None):
        with self.lock:
            self.latency[kind].append(seconds * 1000)
            if status >= 500:
                self.server_errors[kind] += 1
            if error:
                self.errors[kind] += 1
                self.samples.setdefault(kind, error[:300])


def percentile(values, share):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


class Client:
    """One HTTP session against the server, timing each request into ``stats``."""

    def __init__(self, url, stats):
        self.url = url
        self.stats = stats
        self.session = requests.Session()

    def rpc(self, kind, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        }
        return self.json(kind, "/web/dataset/call_kw", payload)

    def json(self, kind, path, payload):
        start = time.perf_counter()
        try:
            answer = self.session.post(self.url + path, json=payload, timeout=60)
        except requests.RequestException as exc:
            self.stats.record(kind, time.perf_counter() - start, 599, repr(exc))
            return None
        elapsed = time.perf_counter() - start
        error = None
        result = None
        if answer.status_code != 200:
            error = f"HTTP {answer.status_code}"
        else:
            body = answer.json()
            if "error" in body:
                data = body["error"].get("data") or {}
                error = data.get("message") or str(body["error"])
            result = body.get("result")
        if kind:
            self.stats.record(kind, elapsed, answer.status_code, error)
        elif error:
            raise RuntimeError(f"{path}: {error}")
        return result

    def get(self, kind, path):
        start = time.perf_counter()
        try:
            answer = self.session.get(self.url + path, timeout=60)
        except requests.RequestException as exc:
            self.stats.record(kind, time.perf_counter() - start, 599, repr(exc))
            return None
        error = None
        if answer.status_code != 200 or "/web/login" in answer.url:
            error = f"HTTP {answer.status_code} {answer.url}"
        self.stats.record(kind, time.perf_counter() - start, answer.status_code, error)
        return answer

    def agent_login(self, db, login, password):
        params = {"db": db, "login": login, "password": password}
        payload = {"jsonrpc": "2.0", "method": "call", "params": params}
        result = self.json(None, "/web/session/authenticate", payload)
        if not result or not result.get("uid"):
            raise RuntimeError(f"agent login {login} failed on {db}")

    def portal_login(self, login, password):
        page = self.session.get(self.url + "/web/login", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.session.post(
            self.url + "/web/login",
            data={
                "login": login,
                "password": password,
                "csrf_token": token,
                "redirect": "/my/tickets",
            },
            timeout=60,
        )
        if "/web/login" in answer.url:
            raise RuntimeError(f"portal login {login} failed")


def prepare(url, db, stats):
    """The ticket that agents log time on and reply to (found once, as admin)."""
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    domain = [("project_id", "!=", False)]
    if db == SUITE:
        domain.append(
            ("partner_id.commercial_partner_id.name", "=", "Talleres Moncayo S.L.")
        )
    tickets = client.rpc(
        None,
        "helpdesk.ticket",
        "search_read",
        [domain, ["id", "project_id", "closed"]],
        {"order": "closed, id"},
    )
    if not tickets:  # the base demo tickets have no project: give one a project
        project = client.rpc(
            None,
            "project.project",
            "create",
            [{"name": "Load bench", "allow_timesheets": True}],
        )
        (ticket,) = client.rpc(
            None, "helpdesk.ticket", "search", [[]], {"limit": 1, "order": "id"}
        )
        client.rpc(
            None, "helpdesk.ticket", "write", [[ticket], {"project_id": project}]
        )
        return {"id": ticket, "project_id": project}
    return {"id": tickets[0]["id"], "project_id": tickets[0]["project_id"][0]}


def give_tickets(url, db, stats):
    """A ticket for each portal customer who sees none (the base demo has none)."""
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    for login, _password in CUSTOMERS[db]:
        users = client.rpc(
            None, "res.users", "search_read", [[("login", "=", login)], ["partner_id"]]
        )
        partner = users[0]["partner_id"][0]
        domain = [("partner_id", "child_of", partner)]
        if not client.rpc(None, "helpdesk.ticket", "search_count", [domain]):
            values = {
                "name": "Load bench: portal ticket",
                "description": "<p>Load bench</p>",
                "partner_id": partner,
            }
            client.rpc(None, "helpdesk.ticket", "create", [values])


def agent_loop(url, db, stats, ticket, deadline):
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    fields = ["name", "stage_id", "user_id", "partner_id", "priority"]
    while time.monotonic() < deadline:
        queue = client.rpc(
            "agent: queue",
            "helpdesk.ticket",
            "search_read",
            [[("closed", "=", False)], fields],
            {"limit": 80, "order": "priority desc, id desc"},
        )
        some = queue[0]["id"] if queue else ticket["id"]
        client.rpc(
            "agent: ticket",
            "helpdesk.ticket",
            "read",
            [[some], fields + ["description", "message_ids"]],
        )
        client.rpc(
            "agent: timesheet",
            "account.analytic.line",
            "create",
            [
                {
                    "name": "Load bench",
                    "ticket_id": ticket["id"],
                    "project_id": ticket["project_id"],
                    "unit_amount": 0.5,
                }
            ],
        )
        client.rpc(
            "agent: reply",
            "helpdesk.ticket",
            "message_post",
            [[ticket["id"]]],
            {
                "body": "Load bench reply",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )


def customer_loop(url, stats, credentials, deadline):
    client = Client(url, stats)
    client.portal_login(*credentials)
    ids = []
    while time.monotonic() < deadline:
        page = client.get("portal: /my/tickets", "/my/tickets")
        if page is not None and not ids:
            ids = sorted({int(i) for i in re.findall(r"/my/ticket/(\d+)", page.text)})
        if ids:
            client.get("portal: ticket page", f"/my/ticket/{ids[0]}")


def free_port(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    return port


def start_server(conf, db, port, log):
    # A launcher file, not ``-m odoo``: the prefork server starts its gevent process
    # (websockets, the bus) with ``sys.argv[0]``, which must be a script. The clients
    # do not use the bus: that process idles, so that a gevent that cannot start
    # (a missing plugin dependency) is not respawned in a loop during the run.
    launcher = Path(tempfile.gettempdir()) / "qubiq-load-odoo.py"
    launcher.write_text(LAUNCHER)
    cmd = [
        sys.executable,
        str(launcher),
        "-c",
        conf,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
    ]
    cmd += ["--workers=4", "--max-cron-threads=0", "--http-interface=127.0.0.1"]
    cmd += [f"--http-port={port}", f"--gevent-port={free_port(port + 1)}"]
    cmd += ["--log-level=warn", f"--logfile={log}", "--no-database-list"]
    server = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Odoo exited ({server.returncode}), see {log}")
        try:
            if requests.get(url + "/web/login", timeout=5).status_code == 200:
                return server, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"Odoo did not answer /web/login within 120 s, see {log}")


def stop_server(server):
    """Stop the server and its workers and gevent process (its own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=20)
            break
        except subprocess.TimeoutExpired:
            continue


def run_phase(conf, db, args):
    stats = Stats()
    log = Path(tempfile.gettempdir()) / f"qubiq-load-{db}.log"
    log.unlink(missing_ok=True)
    server, url = start_server(conf, db, free_port(args.port), log)
    try:
        ticket = prepare(url, db, stats)
        give_tickets(url, db, stats)
        deadline = time.monotonic() + args.seconds
        agents = max(1, args.clients // 2)
        threads = []
        for n in range(args.clients):
            if n < agents:
                target = agent_loop
                targs = (url, db, stats, ticket, deadline)
            else:
                credentials = CUSTOMERS[db][(n - agents) % len(CUSTOMERS[db])]
                target = customer_loop
                targs = (url, stats, credentials, deadline)
            threads.append(threading.Thread(target=target, args=targs, daemon=True))
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        stop_server(server)
    stats.retries = log.read_text(errors="replace").count("could not serialize")
    return stats, elapsed


def report(db, stats, elapsed):
    print(f"\n## {db}: {elapsed:.1f} s")
    row("kind", "count", "errors", "5xx", "p50 ms", "p95 ms", "req/s", widths=WIDTHS)
    figures = {}
    for kind in KINDS:
        values = stats.latency.get(kind, [])
        figures[kind] = (
            percentile(values, 0.5),
            percentile(values, 0.95),
            len(values) / elapsed,
        )
        row(
            kind,
            len(values),
            stats.errors[kind],
            stats.server_errors[kind],
            f"{figures[kind][0]:.0f}",
            f"{figures[kind][1]:.0f}",
            f"{figures[kind][2]:.1f}",
            widths=WIDTHS,
        )
    print(
        f"serialization conflicts (retried by Odoo, not seen by clients): "
        f"{stats.retries}"
    )
    for kind, sample in stats.samples.items():
        print(f"  first error of {kind}: {sample}")
    return figures


def compare(suite, base):
    print("\n## suite / base")
    row("kind", "p50", "p95", "req/s", widths=(22, 10, 10, 10))
    for kind in KINDS:
        cells = []
        for index in range(3):
            ours, theirs = suite[kind][index], base[kind][index]
            cells.append(f"{ours / theirs:.2f}x" if theirs else "-")
        row(kind, *cells, widths=(22, 10, 10, 10))


def snapshot(cr):
    cr.execute(
        """SELECT timesheet_id, bank_id, pack_id, kind, date, round(hours::numeric, 4)
             FROM qubiq_hours_allocation"""
    )
    allocations = Counter(cr.fetchall())
    cr.execute(
        """SELECT id, hours_bank_id, hours_billable, round(hours_billed::numeric, 4)
             FROM account_analytic_line WHERE hours_bank_id IS NOT NULL"""
    )
    return allocations, set(cr.fetchall())


def invariants(conf, server_errors):
    """The violations found on the suite database after the load."""
    violations = []
    if server_errors:
        violations.append(f"{server_errors} HTTP 5xx answers")
    _registry, cr, env = environment(conf, SUITE)
    try:
        cr.execute(
            """SELECT l.id, l.hours_billed, coalesce(sum(a.hours), 0)
                 FROM account_analytic_line l
            LEFT JOIN qubiq_hours_allocation a ON a.timesheet_id = l.id
                WHERE l.hours_bank_id IS NOT NULL AND l.hours_billable
             GROUP BY l.id
               HAVING abs(coalesce(sum(a.hours), 0) - coalesce(l.hours_billed, 0))
                      > 0.0001"""
        )
        for line, billed, allocated in cr.fetchall():
            violations.append(
                f"timesheet {line}: billed {billed} h, allocated {allocated} h"
            )
        cr.execute(
            """SELECT timesheet_id, pack_id, kind, count(*)
                 FROM qubiq_hours_allocation
             GROUP BY timesheet_id, pack_id, kind HAVING count(*) > 1"""
        )
        for line, pack, kind, count in cr.fetchall():
            violations.append(
                f"timesheet {line}: {count} allocations of kind {kind} to pack {pack}"
            )
        cr.execute(
            """SELECT p.id, p.hours, sum(a.hours)
                 FROM qubiq_hours_pack p
                 JOIN qubiq_hours_allocation a ON a.pack_id = p.id
             GROUP BY p.id HAVING sum(a.hours) > p.hours + 0.0001"""
        )
        for pack, size, used in cr.fetchall():
            violations.append(f"pack {pack}: {used} h allocated, size {size} h")
        cr.execute(
            """SELECT ticket_id, count(*) FROM qubiq_sla_pause
                WHERE date_end IS NULL GROUP BY ticket_id HAVING count(*) > 1"""
        )
        for ticket, count in cr.fetchall():
            violations.append(f"ticket {ticket}: {count} open SLA pauses")
        stored = snapshot(cr)
        banks = env["qubiq.hours.bank"].with_context(active_test=False).search([])
        env["qubiq.hours.allocation"]._hours_rebalance(
            {bank: (None, True) for bank in banks}
        )
        env.flush_all()
        again = snapshot(cr)
        if stored[0] != again[0]:
            missing = stored[0] - again[0]
            extra = again[0] - stored[0]
            violations.append(
                f"allocations differ from a recomputation of {len(banks)} banks: "
                f"{sum(missing.values())} stored only, {sum(extra.values())} "
                f"recomputed only (e.g. {list(missing)[:2]} / {list(extra)[:2]})"
            )
        if stored[1] != again[1]:
            changed = stored[1] ^ again[1]
            violations.append(
                f"billing of {len(changed) // 2 or len(changed)} timesheets "
                f"differs from a recomputation (e.g. {sorted(changed)[:2]})"
            )
        cr.execute("SELECT count(*) FROM qubiq_hours_allocation")
        (count,) = cr.fetchone()
        print(
            f"\n## invariants on {SUITE}: {count} allocations, {len(banks)} banks "
            "recomputed from scratch"
        )
    finally:
        cr.rollback()
        cr.close()
    return violations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8479)
    args = parser.parse_args()
    conf = odoo_conf()
    if SUITE not in _databases(conf):
        ensure_db(conf, SUITE, SUITE_MODULES)
        setup = [sys.executable, str(ROOT / "scripts/demo_setup.py")]
        subprocess.run([*setup, "-c", conf, "-d", SUITE], check=True)
    ensure_db(conf, BASE, BASE_MODULES)
    print(
        f"# {args.clients} clients ({max(1, args.clients // 2)} agents) for "
        f"{args.seconds:.0f} s per database, Odoo --workers=4"
    )
    figures, server_errors = {}, 0
    for db in (SUITE, BASE):
        stats, elapsed = run_phase(conf, db, args)
        figures[db] = report(db, stats, elapsed)
        if db == SUITE:
            server_errors = sum(stats.server_errors.values())
    compare(figures[SUITE], figures[BASE])
    violations = invariants(conf, server_errors)
    if violations:
        print(f"{len(violations)} invariant violations:")
        for violation in violations:
            print(f"- {violation}")
        sys.exit(1)
    print("0 invariant violations")


def _databases(conf):
    import odoo

    odoo.tools.config.parse_config(["-c", conf])
    return odoo.service.db.list_dbs(force=True)


if __name__ == "__main__":
    main()
