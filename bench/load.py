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
  a public reply (message_post, comment; every other one on the newest ticket of the
  mail gateway, so that both agents often give its first response at once), a stage
  change of one shared open ticket round the open stages;
- customers (portal login through the /web/login form; the first is the designated
  contact of a company given ``--history`` tickets, copied in SQL once): /my/tickets
  and a ticket page (with the language prefix the pages link with), a reply on the
  ticket page every 2nd loop (the suite's form; helpdesk_mgmt's portal chatter with
  the ticket's access token on the base), a new ticket through /new/ticket every 5th;
- ``--mailers`` mail-gateway clients: ``mail.thread.message_process`` over RPC, as
  Odoo's mail gateway script does, with RFC 822 text to ``help@load-bench.example``
  (the helpdesk alias, given an alias domain): a new request, then a reply
  (In-Reply-To, References) to one of the last five requests, in turn.

Printed per request kind: count, errors, 5xx, p50/p95 (ms) and requests per second;
then the ratios suite/base. Afterwards, with a direct cursor: on the suite, every
billable timesheet with an hours bank has allocations summing to its billed time (no
allocation repeated), no pack consumed beyond its size, the stored allocations equal
a from-scratch ``_hours_rebalance`` of every bank (in a transaction rolled back), at
most one open ``qubiq.sla.pause`` per ticket, one response clock per ticket and, on
the tickets of the run, a reached one equal to the ticket's first response date; on
both databases, every mail delivered is exactly one message (by Message-Id), a new
one on a ticket of its own and a reply on its parent's ticket, no partner follows a
record twice, no 5xx answer and no client thread stopped by an exception. Exit code 1
on any violation.

Usage: python3 bench/load.py [--clients 4] [--seconds 20] [--port 8479]
    [--mailers 2] [--history 10000] [--db-prefix qubiq_load]
The databases ``PREFIX`` (qubiq_helpdesk_portal, qubiq_hours_bank and demo data, then
scripts/demo_setup.py) and ``PREFIX_base`` (helpdesk_mgmt, helpdesk_mgmt_timesheet,
demo data) are created on the first run and reused; the timesheets, replies, mails
and tickets of each run stay in them.

Figures of one run on a 2-core machine (``--clients 4 --seconds 20``): see the
"Benchmarks" section of README.md.
"""

import argparse
import contextlib
import datetime
import email.utils
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
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
    "agent: stage change",
    "portal: /my/tickets",
    "portal: ticket page",
    "portal: reply",
    "portal: new ticket",
    "mail: new ticket",
    "mail: reply",
]
# The mails of a run: Message-Id -> (kind, parent Message-Id or None), filled by
# the mail clients and checked afterwards on the database.
MAIL_DOMAIN = "load-bench.example"
MAILS = defaultdict(dict)
NEW_TICKETS = defaultdict(list)
# Access tokens of the customers' tickets (helpdesk_mgmt's portal chatter).
TOKENS = defaultdict(dict)
MAILS_LOCK = threading.Lock()
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
        self.crashes = []

    def guard(self, target):
        """``target`` run by a client thread: an exception is kept, not lost."""

        def run(*args):
            try:
                target(*args)
            except Exception as exc:  # noqa: BLE001 - reported after the run
                with self.lock:
                    self.crashes.append(f"{target.__name__}: {exc!r}"[:300])

        return run

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

    def csrf(self, path):
        page = self.session.get(self.url + path, timeout=60)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return page, found.group(1) if found else ""

    def post(self, kind, path, data):
        """A portal form POST; a redirect to a page other than the login is a
        success (the form answers with the ticket page)."""
        start = time.perf_counter()
        try:
            answer = self.session.post(
                self.url + path, data=data, timeout=60, allow_redirects=False
            )
        except requests.RequestException as exc:
            self.stats.record(kind, time.perf_counter() - start, 599, repr(exc))
            return None
        elapsed = time.perf_counter() - start
        error = None
        target = answer.headers.get("Location", "")
        if answer.status_code not in (200, 303, 302) or "/web/login" in target:
            error = f"HTTP {answer.status_code} {target} {answer.text[:200]}"
        self.stats.record(kind, elapsed, answer.status_code, error)
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
        found = {"id": ticket, "project_id": project}
    else:
        found = {"id": tickets[0]["id"], "project_id": tickets[0]["project_id"][0]}
    # Stage changes: the agents move one open ticket (not the timesheet one) round
    # the open stages, waiting ones included (they pause the SLA clocks).
    stages = client.rpc(
        None,
        "helpdesk.ticket.stage",
        "search_read",
        [[("closed", "=", False)], ["id"]],
        {"order": "sequence, id"},
    )
    found["stages"] = [stage["id"] for stage in stages]
    (moved,) = client.rpc(
        None,
        "helpdesk.ticket",
        "search",
        [[("closed", "=", False), ("id", "!=", found["id"])]],
        {"limit": 1, "order": "id"},
    )
    found["moved"] = moved
    mail_domain(client)
    if db == SUITE:
        # The customers file a ticket every few loops: more than the hourly limit
        # per contact, which the bench lifts (a load generator is not a flood).
        companies = client.rpc(None, "res.company", "search", [[]])
        client.rpc(
            None,
            "res.company",
            "write",
            [companies, {"qubiq_portal_ticket_rate_limit": 0}],
        )
    return found


def mail_domain(client):
    """The mail gateway delivers to the helpdesk alias ``help@load-bench.example``:
    an alias domain as a production database has one."""
    domains = client.rpc(
        None, "mail.alias.domain", "search", [[("name", "=", MAIL_DOMAIN)]]
    )
    domain = domains[0] if domains else None
    if not domain:
        domain = client.rpc(
            None, "mail.alias.domain", "create", [{"name": MAIL_DOMAIN}]
        )
    aliases = client.rpc(
        None,
        "mail.alias",
        "search",
        [
            [
                ("alias_name", "=", "help"),
                ("alias_model_id.model", "=", "helpdesk.ticket"),
            ]
        ],
        {"limit": 1},
    )
    client.rpc(None, "mail.alias", "write", [aliases, {"alias_domain_id": domain}])


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
        # The access token of each ticket, as in the link of the customer's
        # e-mails: helpdesk_mgmt's portal chatter posts with it (without it, a
        # portal user may not post on a ticket).
        for found in client.rpc(
            None, "helpdesk.ticket", "search_read", [domain, ["access_token"]]
        ):
            token = found["access_token"]
            if not token:
                token = str(uuid.uuid4())
                client.rpc(
                    None,
                    "helpdesk.ticket",
                    "write",
                    [[found["id"]], {"access_token": token}],
                )
            TOKENS[db][found["id"]] = token


def company_tickets(conf, db, login, wanted):
    """``wanted`` tickets for the company of the portal customer ``login`` (the
    first of them: the designated contact on the suite), copied in SQL from one of
    its tickets: the portal pages are measured on a customer with a long history.
    Returns the number of tickets the company has."""
    _registry, cr, _env = environment(conf, db)
    try:
        cr.execute(
            """SELECT p.commercial_partner_id FROM res_users u
                 JOIN res_partner p ON p.id = u.partner_id WHERE u.login = %s""",
            [login],
        )
        (company,) = cr.fetchone()
        cr.execute(
            """SELECT count(*), min(t.id) FROM helpdesk_ticket t
                 JOIN res_partner p ON p.id = t.partner_id
                WHERE p.commercial_partner_id = %s""",
            [company],
        )
        count, template = cr.fetchone()
        if count < wanted and template:
            cr.execute(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN
                          ('id', 'number', 'name', 'access_token')"""
            )
            columns = ", ".join(f'"{name}"' for (name,) in cr.fetchall())
            cr.execute(
                f"""INSERT INTO helpdesk_ticket (number, name, {columns})
                    SELECT 'LB' || g, 'Load bench history ' || g, {columns}
                      FROM helpdesk_ticket, generate_series(%s, %s) g
                     WHERE id = %s""",
                [count + 1, wanted, template],
            )
            cr.commit()
            count = wanted
    finally:
        cr.close()
    return count


def warm_up(url, db, stats):
    """Every worker loads the registry on its first request: a few rounds of
    concurrent requests before the clock starts."""
    clients = []
    for _n in range(6):
        client = Client(url, stats)
        client.agent_login(db, *AGENT)
        clients.append(client)

    def ask(client):
        for _n in range(3):
            client.rpc(None, "helpdesk.ticket", "search_count", [[]])
            client.session.get(url + "/web/login", timeout=60)

    threads = [threading.Thread(target=ask, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def agent_loop(url, db, stats, ticket, deadline):
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    fields = ["name", "stage_id", "user_id", "partner_id", "priority"]
    turn = 0
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
        turn += 1
        agent_stage_loop(client, ticket, turn)
        # Every other reply answers the newest ticket of the mail gateway (both
        # agents at once, often): its first response is recorded once.
        with MAILS_LOCK:
            target = NEW_TICKETS[db][-1] if NEW_TICKETS[db] and turn % 2 else None
        client.rpc(
            "agent: reply",
            "helpdesk.ticket",
            "message_post",
            [[target or ticket["id"]]],
            {
                "body": "Load bench reply",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )


def agent_stage_loop(client, ticket, turn):
    """One stage change of the shared ticket (every agent moves the same one)."""
    stages = ticket["stages"]
    if stages:
        client.rpc(
            "agent: stage change",
            "helpdesk.ticket",
            "write",
            [[ticket["moved"]], {"stage_id": stages[turn % len(stages)]}],
        )


def customer_loop(url, db, stats, credentials, deadline):
    client = Client(url, stats)
    client.portal_login(*credentials)
    # The customer's language prefix (/es on the suite, whose customers read
    # Spanish): the pages link with it, as a browser follows them.
    first = client.session.get(client.url + "/my/tickets", timeout=60)
    prefix = first.url.split("/my/tickets")[0].replace(client.url, "")
    ids = []
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        page = client.get("portal: /my/tickets", f"{prefix}/my/tickets")
        if page is not None and not ids:
            ids = sorted({int(i) for i in re.findall(r"/my/ticket/(\d+)", page.text)})
        if not ids:
            continue
        page = client.get("portal: ticket page", f"{prefix}/my/ticket/{ids[0]}")
        if turn % 2 == 0 and page is not None:
            portal_reply(client, db, ids[0], page.text)
        if turn % 5 == 0:
            portal_new_ticket(client, prefix)


def portal_reply(client, db, ticket_id, page):
    """The customer answers on the ticket page: the suite's reply form, the
    portal chatter of helpdesk_mgmt on the base."""
    text = f"Load bench customer reply {time.time():.6f}"
    if db == SUITE:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        client.post(
            "portal: reply",
            f"/my/ticket/{ticket_id}/reply",
            {"message": text, "csrf_token": found.group(1) if found else ""},
        )
        return
    params = {
        "res_model": "helpdesk.ticket",
        "res_id": ticket_id,
        "message": text,
        "token": TOKENS[db].get(ticket_id, ""),
    }
    client.json(
        "portal: reply",
        "/mail/chatter_post",
        {"jsonrpc": "2.0", "method": "call", "params": params},
    )


def portal_new_ticket(client, prefix):
    """The portal's new-ticket form as a browser sends it: its checked radios,
    the selected (or first) option of its lists and its prefilled fields, with a
    subject and a description."""
    page, token = client.csrf(f"{prefix}/new/ticket")
    data = {}
    for tag in re.findall(r"<input[^>]*>", page.text):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        if not name or not value or kind == "file":
            continue
        if kind in ("radio", "checkbox") and "checked" not in tag:
            continue
        data.setdefault(name.group(1), value.group(1))
    for name, options in re.findall(
        r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', page.text, re.DOTALL
    ):
        chosen = re.search(r'<option[^>]*value="([^"]+)"[^>]*selected', options)
        chosen = chosen or re.search(r'<option[^>]*value="([^"]+)"', options)
        if chosen:
            data.setdefault(name, chosen.group(1))
    data.update(
        {
            "csrf_token": token,
            "subject": f"Load bench portal ticket {time.time():.6f}",
            "description": "Al validar una factura de proveedor aparece un error "
            "y no se guarda; esperaba que quedara contabilizada.",
        }
    )
    client.post("portal: new ticket", "/submitted/ticket", data)


def mail_text(number, sender, parent=None):
    """An RFC 822 message to the helpdesk: a new request, or a reply to ``parent``
    (its Message-Id) with In-Reply-To and References."""
    message_id = f"<load-{uuid.uuid4().hex}-{number}@load-bench.example>"
    lines = [
        f"From: Load bench {number} <{sender}>",
        "To: Helpdesk <help@load-bench.example>",
        f"Subject: {'Re: ' if parent else ''}Load bench mail {number}",
        f"Message-Id: {message_id}",
        f"Date: {email.utils.formatdate()}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    if parent:
        lines += [f"In-Reply-To: {parent}", f"References: {parent}"]
    body = "Buenos días, la impresora de recepción no imprime. Un saludo."
    return message_id, "\r\n".join([*lines, "", body, ""])


def mail_loop(url, db, stats, number, deadline):
    """The mail gateway (as its script does, ``message_process`` over RPC): a new
    request, then a reply to a request of either mail client, in turn."""
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    sender = f"load.mailer{number}@load-bench.example"
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        with MAILS_LOCK:
            parents = [mid for mid, (kind, _p) in MAILS[db].items() if kind == "new"]
        parent = parents[-(turn % min(len(parents), 5)) - 1] if parents else None
        if turn % 2 and parent:
            kind, (message_id, text) = "reply", mail_text(turn, sender, parent)
        else:
            kind, (message_id, text) = "new", mail_text(turn, sender)
            parent = None
        label = "mail: new ticket" if kind == "new" else "mail: reply"
        errors = client.stats.errors[label]
        thread_id = client.rpc(
            label,
            "mail.thread",
            "message_process",
            ["helpdesk.ticket", text],
        )
        if client.stats.errors[label] == errors:
            with MAILS_LOCK:
                MAILS[db][message_id] = (kind, parent)
                if kind == "new" and thread_id:
                    NEW_TICKETS[db].append(thread_id)


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
        stats.history = company_tickets(conf, db, CUSTOMERS[db][0][0], args.history)
        warm_up(url, db, stats)
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
                targs = (url, db, stats, credentials, deadline)
            threads.append(
                threading.Thread(target=stats.guard(target), args=targs, daemon=True)
            )
        for number in range(args.mailers):
            targs = (url, db, stats, number, deadline)
            threads.append(
                threading.Thread(target=stats.guard(mail_loop), args=targs, daemon=True)
            )
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
    print(
        f"\n## {db}: {elapsed:.1f} s; the first customer's company has "
        f"{stats.history} tickets"
    )
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
    for crash in stats.crashes:
        print(f"  client stopped: {crash}")
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


def mail_violations(cr, mails):
    """Every mail delivered is exactly one message (counted by Message-Id): a new
    request on a ticket of its own, a reply on the ticket of the mail it answers;
    no partner follows a record twice."""
    violations = []
    cr.execute(
        """SELECT message_id, count(*), min(model), min(res_id)
             FROM mail_message WHERE message_id = ANY(%s) GROUP BY message_id""",
        [list(mails)],
    )
    found = {mid: (count, model, res_id) for mid, count, model, res_id in cr.fetchall()}
    tickets = Counter()
    for message_id, (kind, parent) in mails.items():
        count, model, res_id = found.get(message_id, (0, None, None))
        if count != 1 or model != "helpdesk.ticket":
            violations.append(f"mail {message_id}: {count} messages on {model}")
            continue
        if kind == "new":
            tickets[res_id] += 1
        elif found.get(parent, (0, None, None))[2] != res_id:
            violations.append(
                f"reply {message_id}: on ticket {res_id}, not on the ticket of {parent}"
            )
    for ticket, count in tickets.items():
        if count > 1:
            violations.append(f"ticket {ticket}: created by {count} mails")
    cr.execute(
        """SELECT res_model, res_id, partner_id, count(*) FROM mail_followers
            GROUP BY res_model, res_id, partner_id HAVING count(*) > 1"""
    )
    for model, res_id, partner, count in cr.fetchall():
        violations.append(f"{model} {res_id}: partner {partner} follows {count} times")
    return violations, len(mails)


def invariants(conf, server_errors, started):
    """The violations found on both databases after the load."""
    violations = []
    for db, errors in server_errors.items():
        if errors:
            violations.append(f"{db}: {errors} HTTP 5xx answers or stopped clients")
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
        # The first response is recorded once: one response clock per ticket, and
        # a reached one agrees with the ticket's first response date.
        cr.execute(
            """SELECT ticket_id, count(*) FROM qubiq_sla_clock
                WHERE kind = 'response' GROUP BY ticket_id HAVING count(*) > 1"""
        )
        for ticket, count in cr.fetchall():
            violations.append(f"ticket {ticket}: {count} first-response clocks")
        cr.execute(
            """SELECT t.id FROM qubiq_sla_clock c
                 JOIN helpdesk_ticket t ON t.id = c.ticket_id
                WHERE c.kind = 'response' AND c.reached_date IS NOT NULL
                  AND t.create_date >= %s
                  AND t.sla_first_response_date IS DISTINCT FROM c.reached_date""",
            [started],
        )
        for (ticket,) in cr.fetchall():
            violations.append(
                f"ticket {ticket}: first response date differs from its clock's"
            )
        found, mail_count = mail_violations(cr, MAILS[SUITE])
        violations += found
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
    _registry, cr, env = environment(conf, BASE)
    try:
        found, base_count = mail_violations(cr, MAILS[BASE])
        violations += [f"{BASE}: {violation}" for violation in found]
    finally:
        cr.rollback()
        cr.close()
    print(f"{mail_count} mails checked on {SUITE}, {base_count} on {BASE}")
    return violations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--history", type=int, default=10000, help="tickets of the customer's company"
    )
    parser.add_argument(
        "--mailers", type=int, default=2, help="mail gateway clients (besides)"
    )
    parser.add_argument("--port", type=int, default=8479)
    parser.add_argument(
        "--db-prefix", default="qubiq_load", help="databases PREFIX and PREFIX_base"
    )
    args = parser.parse_args()
    _set_databases(args.db_prefix)
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
    figures, server_errors = {}, {}
    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    for db in (SUITE, BASE):
        stats, elapsed = run_phase(conf, db, args)
        figures[db] = report(db, stats, elapsed)
        server_errors[db] = sum(stats.server_errors.values()) + len(stats.crashes)
    compare(figures[SUITE], figures[BASE])
    violations = invariants(conf, server_errors, started)
    if violations:
        print(f"{len(violations)} invariant violations:")
        for violation in violations:
            print(f"- {violation}")
        sys.exit(1)
    print("0 invariant violations")


def _set_databases(prefix):
    global SUITE, BASE
    if prefix == SUITE:
        return
    CUSTOMERS[prefix] = CUSTOMERS.pop(SUITE)
    CUSTOMERS[f"{prefix}_base"] = CUSTOMERS.pop(BASE)
    SUITE, BASE = prefix, f"{prefix}_base"


def _databases(conf):
    import odoo

    odoo.tools.config.parse_config(["-c", conf])
    return odoo.service.db.list_dbs(force=True)


if __name__ == "__main__":
    main()
