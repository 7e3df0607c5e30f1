#!/usr/bin/env python3
"""Load and consistency run (issue 18): the suite under concurrent HTTP clients,
against plain OCA helpdesk_mgmt (+ helpdesk_mgmt_timesheet) in the same run, then
its invariants.

For each database in turn, Odoo is started as a subprocess (``--workers=4
--max-cron-threads=0``, loopback only, ``--db-filter`` to that database) and
``--clients`` threads drive it for ``--warmup`` seconds (not measured: each worker
loads the registry on its first requests), then for ``--seconds``, half agents and
half customers:

- agents (``admin`` on both databases, JSON-RPC after /web/session/authenticate): the
  ticket queue (search_read), one ticket (read), a 0.5 h timesheet on a ticket of the
  hours-bank demo customer (Talleres Moncayo; any ticket with a project on the base;
  the same ticket for every agent, or with ``--own-tickets`` one ticket each of that
  customer, so that only the hours bank is shared), a public reply (message_post,
  comment; the ticket's contact follows it on both databases and is e-mailed), a
  stage change of the first customer's open ticket (round the open
  stages, a "waiting for the customer" one included);
- customers (portal login through the /web/login form; the first one's company is
  given ``--history`` tickets, copied in SQL once): /my/tickets, their open
  ticket's page, a reply on it (the suite's reply form; helpdesk_mgmt's portal
  chatter with the ticket's token on the base) and, every 4th loop, a new ticket
  through the portal form (/submitted/ticket, the first team/category/type offered).

Then ``--mailers`` threads play the mail gateway for ``--mail-seconds``: RFC 822 mails
with their own Message-Id, through ``execute_kw`` of ``mail.thread.message_process``
(model ``helpdesk.ticket``): a new mail, then two answers (In-Reply-To/References) to
mails already delivered by any of the threads, and so on.

Printed per request kind: count, errors, 5xx, p50/p95 (ms), requests per second and
the median SQL queries per request (from the server's request log); then the ratios
suite/base. Afterwards, on the suite database with a direct cursor: every billable
timesheet with an hours bank has allocations summing to its billed time (no
allocation repeated), no pack consumed beyond its size, the stored allocations equal
a from-scratch ``_hours_rebalance`` of every bank (in a transaction rolled back);
every mail delivered is exactly one message (by Message-Id: a new ticket's, or one
on its parent's ticket) and a refused one left none; no partner follows a record
twice, no duplicate activity; at most one open ``qubiq.sla.pause`` per ticket (its
clocks pause together) and one open clock per ticket and kind; a first response
recorded during the run has the date of the ticket's first answer, and no response
clock is reached twice; no 5xx answer. Exit code 1 on any violation.

Usage: python3 bench/load.py [--clients 4] [--seconds 20] [--warmup 8] [--mailers 3]
[--mail-seconds 10] [--history 10000] [--rounds 1] [--port 8479]
[--db-prefix qubiq_load_] [--own-tickets]
``--rounds N``: N phases on each database, in the order suite, base, base, suite, ...
(a machine that slows down or speeds up during the run weighs on both sides alike);
the figures pool the phases' requests.
The databases ``<prefix>suite`` (qubiq_helpdesk_portal, qubiq_hours_bank and demo
data, then scripts/demo_setup.py) and ``<prefix>base`` (helpdesk_mgmt,
helpdesk_mgmt_timesheet, demo data) are created on the first run and reused; what
each run creates stays in them, but for the agents' timesheets, which the next run
deletes first. Odoo listens on ``--port`` (or the next free one up to +7), its
gevent port up to +8.

Figures of one run on a 2-core machine (``--clients 4 --seconds 20``): see the
"Benchmarks" section of README.md.
"""

import argparse
import contextlib
import os
import random
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
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import ROOT, ensure_db, environment, odoo_conf, row

# The databases' names: ``--db-prefix`` + suite / base (set by main()).
SUITE, BASE = "qubiq_load_suite", "qubiq_load_base"
SUITE_MODULES = "qubiq_helpdesk_portal,qubiq_hours_bank"
BASE_MODULES = "helpdesk_mgmt,helpdesk_mgmt_timesheet"
AGENT = ("admin", "admin")
CUSTOMERS = {
    "suite": [("talleres.moncayo", "talleres.moncayo"), ("portal", "portal")],
    "base": [("portal", "portal")],
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
# A customer files a new ticket through the portal form every NEW_TICKET_EVERY loops.
NEW_TICKET_EVERY = 4
LAUNCHER = """import sys
import time

if sys.argv[1:2] == ["gevent"]:
    while True:
        time.sleep(3600)
from odoo.cli.command import main

main()
"""
WIDTHS = (22, 8, 8, 6, 10, 10, 8, 9)


class Stats:
    """Latencies and failures per request kind, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = Counter()
        self.server_errors = Counter()
        self.samples = {}
        self.history = 0
        # From the server's log once the phase is over: Odoo's retries and the
        # SQL queries of each request, by kind.
        self.retries = 0
        self.queries = defaultdict(list)

    def merge(self, other):
        """Add the figures of another phase on the same database (``--rounds``)."""
        for kind, values in other.latency.items():
            self.latency[kind].extend(values)
        self.errors.update(other.errors)
        self.server_errors.update(other.server_errors)
        for kind, sample in other.samples.items():
            self.samples.setdefault(kind, sample)
        self.history = max(self.history, other.history)
        self.retries += other.retries
        for kind, values in other.queries.items():
            self.queries[kind].extend(values)

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
        self.last_error = None

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
        # The web client's path: the server's request log then tells the kinds apart.
        return self.json(kind, f"/web/dataset/call_kw/{model}/{method}", payload)

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
        self.last_error = error
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

    def post(self, kind, path, data):
        """A portal form: answered by a redirect (303) when accepted."""
        start = time.perf_counter()
        try:
            answer = self.session.post(
                self.url + path, data=data, timeout=60, allow_redirects=False
            )
        except requests.RequestException as exc:
            self.stats.record(kind, time.perf_counter() - start, 599, repr(exc))
            return None
        error = None
        location = answer.headers.get("Location", "")
        if answer.status_code not in (200, 302, 303) or "/web/login" in location:
            error = f"HTTP {answer.status_code} {location}"
            if answer.status_code == 400:
                found = re.findall(r"alert-danger[^>]*>(.*?)<", answer.text, re.DOTALL)
                error += " " + " | ".join(f.strip() for f in found)[:200]
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


def side(db):
    return "suite" if db == SUITE else "base"


def prepare(url, db, stats, own_tickets=0):
    """What the clients work on (found once, as admin): the ticket that agents log
    time on and reply to, the open stages they move a customer's ticket between,
    the open ticket of each portal customer and the mail gateway's sender.
    ``own_tickets``: that many tickets of the same customer (with a project), one
    per agent to log its time on; none: every agent logs on the one ticket."""
    client = Client(url, stats)
    client.agent_login(db, *AGENT)
    # The timesheets of earlier runs, deleted: every run starts from the same
    # hours bank. A timesheet's consumption reads its bank's lines of the same day,
    # which the runs would otherwise pile up (about 100 a run, all today).
    old = client.rpc(
        None, "account.analytic.line", "search", [[("name", "=", "Load bench")]]
    )
    if old:
        client.rpc(None, "account.analytic.line", "unlink", [old])
    domain = [("project_id", "!=", False)]
    if db == SUITE:
        domain.append(
            ("partner_id.commercial_partner_id.name", "=", "Talleres Moncayo S.L.")
        )
        # The portal form's rate limit (tickets per contact and hour) would refuse
        # the bench's customers after a few loops: lifted on the bench database.
        company = client.rpc(None, "res.users", "read", [[2], ["company_id"]])
        client.rpc(
            None,
            "res.company",
            "write",
            [[company[0]["company_id"][0]], {"qubiq_portal_ticket_rate_limit": 0}],
        )
    tickets = client.rpc(
        None,
        "helpdesk.ticket",
        "search_read",
        [domain, ["id", "project_id", "closed"]],
        {"order": "closed, id"},
    )
    wanted = max(1, own_tickets)
    if len(tickets) < wanted:
        # The base demo tickets have no project: give some tickets (of the same
        # customer as the first, if any) the first one's project or a new one.
        if tickets:
            project = tickets[0]["project_id"][0]
        else:
            project = client.rpc(
                None,
                "project.project",
                "create",
                [{"name": "Load bench", "allow_timesheets": True}],
            )
        others = [
            ("project_id", "=", False),
            ("id", "not in", [t["id"] for t in tickets]),
        ] + domain[1:]
        more = client.rpc(
            None,
            "helpdesk.ticket",
            "search",
            [others],
            {"limit": wanted - len(tickets), "order": "id"},
        )
        client.rpc(None, "helpdesk.ticket", "write", [more, {"project_id": project}])
        tickets += [{"id": id_, "project_id": [project]} for id_ in more]
    ticket = {"id": tickets[0]["id"], "project_id": tickets[0]["project_id"][0]}
    ticket["timesheet"] = [
        {"id": t["id"], "project_id": t["project_id"][0]} for t in tickets[:wanted]
    ]
    # An agent's public reply e-mails the ticket's contact, who follows a ticket
    # sent from the portal or by e-mail; the demo tickets the agents reply to have
    # no such follower on either database (only the agent, and on the suite its
    # customer's account manager): the contact is subscribed on both, so that
    # both sides send the customer the same notification.
    (replied,) = client.rpc(
        None, "helpdesk.ticket", "read", [[ticket["id"]], ["partner_id"]]
    )
    if replied["partner_id"]:
        client.rpc(
            None,
            "helpdesk.ticket",
            "message_subscribe",
            [[ticket["id"]], [replied["partner_id"][0]]],
        )
    stage_fields = ["id", "sla_pause"] if db == SUITE else ["id"]
    stages = client.rpc(
        None,
        "helpdesk.ticket.stage",
        "search_read",
        [[("closed", "=", False)], stage_fields],
        {"order": "sequence, id"},
    )
    # Both kinds of open stage on the suite: entering a "waiting for the customer"
    # stage opens an SLA pause, leaving it (or the customer's reply) closes it.
    paused = [s["id"] for s in stages if s.get("sla_pause")]
    running = [s["id"] for s in stages if not s.get("sla_pause")]
    ticket["stages"] = (running[:2] + paused[:1]) or running
    ticket["customers"] = customer_tickets(client, db)
    ticket["sender"] = client.rpc(
        None,
        "res.users",
        "search_read",
        [[("login", "=", CUSTOMERS[side(db)][0][0])], ["email"]],
    )[0]["email"]
    return ticket


def customer_tickets(client, db):
    """An open ticket for each portal customer (created when the customer has none:
    the base demo has none), by login."""
    tickets = {}
    for login, _password in CUSTOMERS[side(db)]:
        users = client.rpc(
            None, "res.users", "search_read", [[("login", "=", login)], ["partner_id"]]
        )
        partner = users[0]["partner_id"][0]
        domain = [("partner_id", "child_of", partner), ("closed", "=", False)]
        found = client.rpc(
            None, "helpdesk.ticket", "search", [domain], {"limit": 1, "order": "id"}
        )
        if not found:
            values = {
                "name": "Load bench: portal ticket",
                "description": "<p>Load bench</p>",
                "partner_id": partner,
            }
            found = [client.rpc(None, "helpdesk.ticket", "create", [values])]
        (ticket,) = client.rpc(
            None, "helpdesk.ticket", "read", [found, ["access_token"]]
        )
        if not ticket["access_token"]:
            # helpdesk_mgmt's ticket page hands the chatter this token to post with.
            ticket["access_token"] = str(uuid.uuid4())
            client.rpc(
                None,
                "helpdesk.ticket",
                "write",
                [found, {"access_token": ticket["access_token"]}],
            )
        tickets[login] = ticket
    return tickets


def agent_loop(url, db, stats, ticket, deadline, number=0):
    """``number``: the agent's, which picks its timesheet ticket (--own-tickets)."""
    client = Client(url, stats)
    logged = ticket["timesheet"][number % len(ticket["timesheet"])]
    client.agent_login(db, *AGENT)
    fields = ["name", "stage_id", "user_id", "partner_id", "priority"]
    # Agents move the first customer's ticket between open stages while that
    # customer answers on it: pauses open and close under concurrent requests.
    moved = ticket["customers"][CUSTOMERS[side(db)][0][0]]["id"]
    step = 0
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
                    "ticket_id": logged["id"],
                    "project_id": logged["project_id"],
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
        step += 1
        stage = ticket["stages"][step % len(ticket["stages"])]
        client.rpc(
            "agent: stage change",
            "helpdesk.ticket",
            "write",
            [[moved], {"stage_id": stage}],
        )


def csrf(page):
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text if page else "")
    return found.group(1) if found else ""


def options(page, name):
    """The values of the options of the form's ``name`` select or radio buttons."""
    pattern = rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>'
    select = re.search(pattern, page, re.DOTALL)
    if select:
        return re.findall(r'<option[^>]*value="(\d+)"', select.group(1))
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="(\d+)"', page)


def customer_loop(url, db, stats, credentials, ticket, deadline):
    client = Client(url, stats)
    client.portal_login(*credentials)
    # The pages of a website answer under the customer's language prefix (/es/...):
    # ask for them there, not through a redirect on every request.
    landing = client.session.get(url + "/my/tickets", timeout=60)
    prefix = landing.url[len(url) :].split("/my/tickets", 1)[0]
    form = client.session.get(url + prefix + "/new/ticket", timeout=60)
    token = csrf(form)
    # What a customer picks in the form: the first team and category offered.
    choices = {name: options(form.text, name) for name in ("team", "category", "type")}
    company = 'name="company_name"' in form.text
    ticket_id = ticket["id"]
    step = 0
    while time.monotonic() < deadline:
        step += 1
        client.get("portal: /my/tickets", f"{prefix}/my/tickets")
        client.get("portal: ticket page", f"{prefix}/my/ticket/{ticket_id}")
        text = f"Load bench: customer answer {step}"
        if db == SUITE:
            client.post(
                "portal: reply",
                f"/my/ticket/{ticket_id}/reply",
                {"csrf_token": token, "message": text},
            )
        else:  # helpdesk_mgmt's ticket page answers through the portal chatter
            client.json(
                "portal: reply",
                "/mail/chatter_post",
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "res_model": "helpdesk.ticket",
                        "res_id": ticket_id,
                        "message": text,
                        "token": ticket["access_token"],
                    },
                },
            )
        if step % NEW_TICKET_EVERY == 1:
            values = {
                "csrf_token": token,
                "subject": f"Load bench: new portal ticket {step}",
                "description": "It fails when the load bench runs.",
            }
            values.update({k: v[0] for k, v in choices.items() if v})
            if company:  # a contact of several companies says which one
                values["company_name"] = "Load bench S.L."
            client.post("portal: new ticket", "/submitted/ticket", values)


class Mailbox:
    """The mails the gateway clients sent: Message-Id -> (parent Message-Id or
    None, delivered), and the delivered ones that replies may answer."""

    def __init__(self, run):
        self.run = run
        self.lock = threading.Lock()
        self.sent = {}
        self.delivered = []
        self.count = 0

    def new_id(self, kind):
        with self.lock:
            self.count += 1
            return f"<load-{self.run}-{kind}-{self.count}@bench.qubiq.invalid>"

    def parent(self):
        with self.lock:
            return random.choice(self.delivered) if self.delivered else None


def rfc822(sender, message_id, subject, body, parent=None):
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "support@bench.qubiq.invalid"
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-Id"] = message_id
    if parent:
        mail["In-Reply-To"] = parent
        mail["References"] = parent
    mail.set_content(body)
    return mail.as_string()


def mail_loop(url, db, stats, sender, mailbox, deadline):
    """The mail gateway: a new mail, then replies to mails already delivered (by
    any gateway client), each through ``mail.thread.message_process``."""
    client = Client(url, stats)
    payload = {"jsonrpc": "2.0", "method": "call"}
    params = {"service": "common", "method": "login", "args": [db, *AGENT]}
    uid = client.json(None, "/jsonrpc", {**payload, "params": params})
    step = 0
    while time.monotonic() < deadline:
        parent = mailbox.parent() if step % 3 else None
        step += 1
        kind = "reply" if parent else "new"
        message_id = mailbox.new_id(kind)
        subject = "Re: Load bench mail" if parent else f"Load bench mail {step}"
        raw = rfc822(sender, message_id, subject, f"Load bench {kind} mail.", parent)
        with mailbox.lock:
            mailbox.sent[message_id] = (parent, False)
        args = [db, uid, AGENT[1], "mail.thread", "message_process"]
        args += [["helpdesk.ticket", raw], {}]
        params = {"service": "object", "method": "execute_kw", "args": args}
        label = "mail: reply" if parent else "mail: new ticket"
        result = client.json(label, "/jsonrpc", {**payload, "params": params})
        if result and not client.last_error:
            with mailbox.lock:
                mailbox.sent[message_id] = (parent, True)
                mailbox.delivered.append(message_id)


def free_port(port, last=None):
    """``port`` or the next free one up to ``last`` (default ``port + 8``)."""
    for candidate in range(port, (last or port + 8) + 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    raise RuntimeError(f"no free port in {port}-{last or port + 8}")


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
    cmd += [f"--http-port={port}", f"--gevent-port={free_port(port + 1, port + 8)}"]
    # werkzeug's request lines carry the SQL queries each request made.
    cmd += ["--log-level=warn", "--log-handler=werkzeug:INFO"]
    cmd += [f"--logfile={log}", "--no-database-list"]
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


def clients(url, db, args, stats, ticket, seconds):
    """The agents' and customers' threads, for ``seconds``."""
    deadline = time.monotonic() + seconds
    agents = max(1, args.clients // 2)
    threads = []
    for n in range(args.clients):
        if n < agents:
            target = agent_loop
            targs = (url, db, stats, ticket, deadline, n)
        else:
            credentials = CUSTOMERS[side(db)][(n - agents) % len(CUSTOMERS[side(db)])]
            target = customer_loop
            own = ticket["customers"][credentials[0]]
            targs = (url, db, stats, credentials, own, deadline)
        threads.append(threading.Thread(target=target, args=targs, daemon=True))
    return threads


def run_threads(threads):
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start


def company_tickets(conf, db, wanted):
    """``wanted`` tickets for the company of the first portal customer (the
    designated contact on the suite), copied in SQL once from one of its tickets:
    the portal pages are measured on a customer with a long history. Returns the
    number of tickets the company has."""
    _registry, cr, _env = environment(conf, db)
    try:
        cr.execute(
            """SELECT p.commercial_partner_id FROM res_users u
                 JOIN res_partner p ON p.id = u.partner_id WHERE u.login = %s""",
            [CUSTOMERS[side(db)][0][0]],
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


def run_phase(conf, db, args, mailbox):
    """The clients for ``--seconds``, then the mail gateway's clients for
    ``--mail-seconds`` (apart, so that the portal and agent figures are those of
    ``--clients`` clients), on one Odoo server."""
    stats = Stats()
    log = Path(tempfile.gettempdir()) / f"qubiq-load-{db}.log"
    log.unlink(missing_ok=True)
    server, url = start_server(conf, db, free_port(args.port, args.port + 7), log)
    elapsed = {}
    try:
        agents = max(1, args.clients // 2) if args.own_tickets else 0
        ticket = prepare(url, db, stats, agents)
        stats.history = company_tickets(conf, db, args.history)
        # Each worker loads the registry and compiles the templates on its first
        # requests: a warm-up, not measured, so that both databases are measured
        # warm.
        run_threads(clients(url, db, args, Stats(), ticket, args.warmup))
        threads = clients(url, db, args, stats, ticket, args.seconds)
        elapsed["main"] = run_threads(threads)
        deadline = time.monotonic() + args.mail_seconds
        targs = (url, db, stats, ticket["sender"], mailbox, deadline)
        threads = [
            threading.Thread(target=mail_loop, args=targs, daemon=True)
            for _n in range(args.mailers)
        ]
        elapsed["mail"] = run_threads(threads)
    finally:
        stop_server(server)
    text = log.read_text(errors="replace")
    stats.retries = text.count("could not serialize")
    stats.queries = request_queries(text)
    return stats, elapsed


# The request lines of the server's log, by kind; the mail gateway's new mails and
# replies share one path.
REQUEST_PATHS = [
    ("agent: queue", r"POST /web/dataset/call_kw/helpdesk\.ticket/search_read "),
    ("agent: ticket", r"POST /web/dataset/call_kw/helpdesk\.ticket/read "),
    ("agent: timesheet", r"POST /web/dataset/call_kw/account\.analytic\.line/create "),
    ("agent: reply", r"POST /web/dataset/call_kw/helpdesk\.ticket/message_post "),
    ("agent: stage change", r"POST /web/dataset/call_kw/helpdesk\.ticket/write "),
    ("portal: /my/tickets", r"GET (/[a-z]{2}(_[A-Z]{2})?)?/my/tickets "),
    ("portal: ticket page", r"GET (/[a-z]{2}(_[A-Z]{2})?)?/my/ticket/\d+ "),
    ("portal: reply", r"POST (/my/ticket/\d+/reply|/mail/chatter_post) "),
    ("portal: new ticket", r"POST /submitted/ticket "),
    ("mail: new ticket", r"POST /jsonrpc "),
]


def request_queries(text):
    """SQL queries of each request, by kind, from the request log lines (``... "GET
    /my/tickets HTTP/1.1" 200 - <queries> <query s> <other s>``)."""
    counts = defaultdict(list)
    for line in text.splitlines():
        found = re.search(r'"((?:GET|POST) \S+) HTTP/[\d.]+" \d+ \S+ (\d+) ', line)
        if not found:
            continue
        for kind, pattern in REQUEST_PATHS:
            if re.match(pattern, found.group(1) + " "):
                counts[kind].append(int(found.group(2)))
                break
    counts["mail: reply"] = counts["mail: new ticket"]
    return counts


def report(db, stats, elapsed):
    print(
        f"\n## {db}: {elapsed['main']:.1f} s, then mail {elapsed['mail']:.1f} s;"
        f" the first customer's company has {stats.history} tickets"
    )
    row(
        "kind",
        "count",
        "errors",
        "5xx",
        "p50 ms",
        "p95 ms",
        "req/s",
        "queries",
        widths=WIDTHS,
    )
    figures = {}
    for kind in KINDS:
        values = stats.latency.get(kind, [])
        figures[kind] = (
            percentile(values, 0.5),
            percentile(values, 0.95),
            len(values) / elapsed["mail" if kind.startswith("mail") else "main"],
        )
        row(
            kind,
            len(values),
            stats.errors[kind],
            stats.server_errors[kind],
            f"{figures[kind][0]:.0f}",
            f"{figures[kind][1]:.0f}",
            f"{figures[kind][2]:.1f}",
            percentile(stats.queries[kind], 0.5) if stats.queries.get(kind) else "-",
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


def mail_invariants(cr, mailbox):
    """Every mail delivered is exactly one message (a new ticket's first one, or one
    on the ticket it answers); a refused one left nothing."""
    violations = []
    if not mailbox.sent:
        return ["the mail gateway delivered no mail"]
    cr.execute(
        """SELECT message_id, array_agg(res_id), min(model)
             FROM mail_message WHERE message_id = ANY(%s) GROUP BY message_id""",
        [list(mailbox.sent)],
    )
    found = {mid: (ids, model) for mid, ids, model in cr.fetchall()}
    tickets = Counter()
    for message_id, (parent, delivered) in mailbox.sent.items():
        ids, model = found.get(message_id, ([], None))
        if len(ids) != (1 if delivered else 0) or ids and model != "helpdesk.ticket":
            violations.append(
                f"mail {message_id} ({'delivered' if delivered else 'refused'}): "
                f"{len(ids)} messages on {model}"
            )
        elif ids and parent is None:
            tickets[ids[0]] += 1
        elif ids and found.get(parent, ([None],))[0][0] != ids[0]:
            violations.append(f"reply {message_id} is not on its parent's ticket")
    for ticket, count in tickets.items():
        if count > 1:
            violations.append(f"ticket {ticket}: {count} new mails merged into it")
    print(
        f"mail gateway: {len(mailbox.sent)} mails sent, "
        f"{sum(1 for _p, ok in mailbox.sent.values() if ok)} delivered, "
        f"{len(tickets)} tickets created"
    )
    return violations


def thread_invariants(cr, start):
    """No follower twice on a record, one open pause per ticket (its clocks pause
    together), at most one open clock per ticket and kind, and each ticket's first
    response recorded once."""
    violations = []
    cr.execute(
        """SELECT res_model, res_id, partner_id, count(*) FROM mail_followers
         GROUP BY res_model, res_id, partner_id HAVING count(*) > 1"""
    )
    for model, res_id, partner, count in cr.fetchall():
        violations.append(f"{model} {res_id}: partner {partner} follows {count}x")
    cr.execute(
        """SELECT res_model, res_id, activity_type_id, user_id, count(*)
             FROM mail_activity
         GROUP BY res_model, res_id, activity_type_id, user_id, summary
           HAVING count(*) > 1"""
    )
    for model, res_id, kind, user, count in cr.fetchall():
        violations.append(
            f"{model} {res_id}: {count} identical activities {kind} for user {user}"
        )
    cr.execute(
        """SELECT ticket_id, count(*) FROM qubiq_sla_pause
            WHERE date_end IS NULL GROUP BY ticket_id HAVING count(*) > 1"""
    )
    for ticket, count in cr.fetchall():
        violations.append(f"ticket {ticket}: {count} open SLA pauses")
    cr.execute(
        """SELECT ticket_id, kind, count(*) FROM qubiq_sla_clock
            WHERE state IN ('running', 'paused') GROUP BY ticket_id, kind
           HAVING count(*) > 1"""
    )
    for ticket, kind, count in cr.fetchall():
        violations.append(f"ticket {ticket}: {count} open {kind} clocks")
    # The first response is written once, by the first answer: a ticket answered
    # for the first time during the run has the date of its first agent's answer
    # (two answers at once do not leave the later one's date).
    cr.execute(
        """SELECT t.id FROM helpdesk_ticket t
            WHERE t.sla_first_response_date >= %(start)s
              AND t.sla_first_response_date <> (
                  SELECT min(m.date) FROM mail_message m
                    JOIN res_users u ON u.partner_id = m.author_id AND NOT u.share
                    JOIN mail_message_subtype s ON s.id = m.subtype_id
                   WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                     AND m.message_type IN ('comment', 'email')
                     AND NOT s.internal AND m.date >= %(start)s)""",
        {"start": start},
    )
    for (ticket,) in cr.fetchall():
        violations.append(
            f"ticket {ticket}: first response not the date of its first answer"
        )
    cr.execute(
        """SELECT ticket_id, count(*) FROM qubiq_sla_history
            WHERE kind = 'response' AND reason = 'reached'
         GROUP BY ticket_id HAVING count(*) > 1"""
    )
    for ticket, count in cr.fetchall():
        violations.append(f"ticket {ticket}: first response reached {count} times")
    return violations


def invariants(conf, server_errors, mailbox, start):
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
        violations += thread_invariants(cr, start)
        violations += mail_invariants(cr, mailbox)
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
    parser.add_argument("--warmup", type=float, default=8)
    parser.add_argument("--mailers", type=int, default=3)
    parser.add_argument("--mail-seconds", type=float, default=10)
    parser.add_argument(
        "--history", type=int, default=10000, help="tickets of the customer's company"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="phases on each database, alternated (suite, base, base, suite, ...); "
        "the figures pool them",
    )
    parser.add_argument("--port", type=int, default=8479)
    parser.add_argument("--db-prefix", default="qubiq_load_")
    parser.add_argument(
        "--own-tickets",
        action="store_true",
        help="each agent logs its time on its own ticket of the same customer "
        "(they share the hours bank, not the ticket's row, where "
        "helpdesk_mgmt_timesheet stores the ticket's total hours); default: all "
        "on one ticket",
    )
    args = parser.parse_args()
    global SUITE, BASE
    SUITE, BASE = f"{args.db_prefix}suite", f"{args.db_prefix}base"
    conf = odoo_conf()
    if SUITE not in _databases(conf):
        ensure_db(conf, SUITE, SUITE_MODULES)
        setup = [sys.executable, str(ROOT / "scripts/demo_setup.py")]
        subprocess.run([*setup, "-c", conf, "-d", SUITE], check=True)
    ensure_db(conf, BASE, BASE_MODULES)
    print(
        f"# {args.clients} clients ({max(1, args.clients // 2)} agents) for "
        f"{args.seconds:.0f} s per database, then {args.mailers} mail gateway "
        f"clients for {args.mail_seconds:.0f} s, Odoo --workers=4"
        + (f", {args.rounds} rounds alternated" if args.rounds > 1 else "")
        + (", each agent's time on its own ticket" if args.own_tickets else "")
    )
    run = f"{int(time.time())}-{os.getpid()}"
    start = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    mailboxes = {db: Mailbox(run) for db in (SUITE, BASE)}
    pooled = {db: Stats() for db in (SUITE, BASE)}
    elapsed = {db: {"main": 0.0, "mail": 0.0} for db in (SUITE, BASE)}
    # Suite, base, then base, suite, and so on: a machine that gets slower or
    # faster during the run weighs on both sides alike.
    for number in range(args.rounds):
        for db in (SUITE, BASE) if number % 2 == 0 else (BASE, SUITE):
            stats, seconds = run_phase(conf, db, args, mailboxes[db])
            pooled[db].merge(stats)
            for key, value in seconds.items():
                elapsed[db][key] += value
    figures = {db: report(db, pooled[db], elapsed[db]) for db in (SUITE, BASE)}
    server_errors = sum(pooled[SUITE].server_errors.values())
    compare(figures[SUITE], figures[BASE])
    violations = invariants(conf, server_errors, mailboxes[SUITE], start)
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
