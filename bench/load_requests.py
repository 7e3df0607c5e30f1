#!/usr/bin/env python3
"""SQL queries and time of single requests of ``bench/load.py``, one at a time, in
process (no server): where the load bench's latencies come from, without the noise of
concurrency. Optional pyinstrument profile (``pip install pyinstrument``).

Usage: python3 bench/load_requests.py DB KIND [LOGIN] [--profile] [--sql]
KIND: portal-list, portal-page (LOGIN: a portal user whose password is its login, as
in the demo), timesheet, reply (as admin; they write a timesheet or a message).
The databases are those of bench/load.py (run it first): figures in README.md.
"""

import re
import sys
import time
from pathlib import Path

from werkzeug.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import _configure, odoo_conf

QUERIES = []
MARK = [0]


def main():
    db, kind = sys.argv[1], sys.argv[2]
    _configure(odoo_conf())
    import odoo
    import odoo.http
    from odoo import sql_db

    odoo.tools.config["db_name"] = db
    odoo.tools.config["dbfilter"] = f"^{db}$"
    odoo.service.server.load_server_wide_modules()
    if "--sql" in sys.argv:
        execute = sql_db.Cursor.execute

        def logged(self, query, params=None, log_exceptions=True):
            QUERIES.append(str(query)[:230].replace("\n", " "))
            return execute(self, query, params, log_exceptions)

        sql_db.Cursor.execute = logged

    def app(environ, start):
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return odoo.http.root(environ, start)

    client = Client(app)

    def rpc(model, method, args, kwargs=None):
        params = {"model": model, "method": method, "args": args}
        params["kwargs"] = kwargs or {}
        answer = client.post(
            "/web/dataset/call_kw",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
        ).get_json()
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def measure(label, request):
        request()  # warm-up
        counts, times = [], []
        profiler = None
        if "--profile" in sys.argv:
            import pyinstrument

            profiler = pyinstrument.Profiler(interval=0.0005)
            profiler.start()
        for _n in range(5):
            before = sql_db.sql_counter
            MARK[0] = len(QUERIES)
            start = time.perf_counter()
            request()
            times.append(round((time.perf_counter() - start) * 1000))
            counts.append(sql_db.sql_counter - before)
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))
        for query in QUERIES[MARK[0] :]:
            print("  ", query)
        print(f"{db} {label}: queries {counts}, ms {times}")

    if kind.startswith("portal"):
        login = sys.argv[3]
        page = client.get("/web/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/web/login",
            data={"login": login, "password": login, "csrf_token": token},
        )
        # The language prefix the portal pages link with (/es on the suite).
        first = client.get("/my/tickets")
        location = first.headers.get("Location") or ""
        prefix = location.split("/my/tickets")[0].split("://")[-1]
        prefix = prefix[prefix.find("/") :] if "/" in prefix else ""
        page = client.get(f"{prefix}/my/tickets").get_data(as_text=True)
        ids = sorted({int(i) for i in re.findall(r"/my/ticket/(\d+)", page)})
        path = f"{prefix}/my/tickets"
        if kind == "portal-page":
            path = f"{prefix}/my/ticket/{ids[0]}"
        measure(path, lambda: client.get(path))
        return
    params = {"db": db, "login": "admin", "password": "admin"}
    client.post(
        "/web/session/authenticate",
        json={"jsonrpc": "2.0", "method": "call", "params": params},
    )
    domain = [("project_id", "!=", False)]
    if not db.endswith("_base"):
        domain.append(
            ("partner_id.commercial_partner_id.name", "=", "Talleres Moncayo S.L.")
        )
    (ticket,) = rpc(
        "helpdesk.ticket",
        "search_read",
        [domain, ["id", "project_id"]],
        {"order": "id", "limit": 1},
    )
    if kind == "timesheet":
        values = {
            "name": "load_requests",
            "ticket_id": ticket["id"],
            "project_id": ticket["project_id"][0],
            "unit_amount": 0.5,
        }
        measure(
            "timesheet create",
            lambda: rpc("account.analytic.line", "create", [values]),
        )
    elif kind == "reply":
        kwargs = {
            "body": "load_requests",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        }
        measure(
            "message_post",
            lambda: rpc("helpdesk.ticket", "message_post", [[ticket["id"]]], kwargs),
        )


if __name__ == "__main__":
    main()
