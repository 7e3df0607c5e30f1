#!/usr/bin/env python3
"""Monthly account pack benchmark (issue 16), in one run on this machine's Odoo 17:

1. The monthly job over N customers (default 1,000), each with a maintenance
   contract and an hours bank, some with tickets: the batched job (one claim query per
   batch, the summary's figures for all customers at once) against a naive
   per-customer loop (each customer's contract, bank, claim and figures looked up
   alone) - same mails sent, checked equal.
2. The query count of the review figures of all the customers with T tickets and
   with 3T tickets: it does not depend on the number of tickets.

The PDFs themselves are not rendered in part 1 (wkhtmltopdf takes the same time per
customer in both loops and would hide the job's own cost): the report's data is
gathered, the PDF bytes are stubbed. The time of one real rendering of the two PDFs
is printed apart.

Usage: python3 bench/account_review.py [--db ar_bench] [--customers 1000]
       [--tickets 200] [--quick] [--pdf]   (100 customers, 50 tickets in ar_bench_quick)
Each measured run is rolled back: the database is reused as generated.
"""

import argparse
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import Measure, ensure_db, environment, odoo_conf, row

PREFIX = "Bench review %04d"


def generate(env, customers, tickets):
    """Customers with a contract, an hours bank with one pack, and ``tickets``
    tickets spread over the first customers (committed)."""
    print("# generating the benchmark data (once)...", flush=True)
    env = env(context=dict(env.context, mail_create_nolog=True, mail_notrack=True))
    policy = env["qubiq.sla.policy"].search([], limit=1) or env[
        "qubiq.sla.policy"
    ].create({"name": "Bench"})
    manager = env.ref("base.user_admin")
    Partner = env["res.partner"]
    partners = Partner.create(
        [
            {
                "name": PREFIX % i,
                "is_company": True,
                "email": f"bench{i}@example.com",
                "account_manager_id": manager.id,
            }
            for i in range(customers)
        ]
    )
    env["qubiq.support.contract"].create(
        [
            {
                "name": f"Contract {p.name}",
                "partner_id": p.id,
                "policy_id": policy.id,
                "date_start": "2020-01-01",
                "state": "active",
            }
            for p in partners
        ]
    )
    banks = env["qubiq.hours.bank"].create(
        [{"partner_id": p.id, "threshold_ids": []} for p in partners]
    )
    env["qubiq.hours.pack"].create(
        [
            {
                "name": "Bench 20 h",
                "bank_id": bank.id,
                "hours": 20,
                "date_start": "2020-01-01",
                "state": "active",
            }
            for bank in banks
        ]
    )
    add_tickets(env, partners, tickets)
    env["ir.config_parameter"].set_param("qubiq_helpdesk_account_review.bench", "1")
    env.cr.commit()


def add_tickets(env, partners, count):
    incidencia = env.ref("qubiq_helpdesk_sla.ticket_type_incidencia")
    env["helpdesk.ticket"].create(
        [
            {
                "name": f"Bench ticket {i}",
                "description": "<p>Bench</p>",
                "partner_id": partners[i % max(1, len(partners) // 5)].id,
                "type_id": incidencia.id,
                "priority": str(i % 4),
            }
            for i in range(count)
        ]
    )


@contextmanager
def stubbed_pdf(env):
    """PDF bytes stubbed; the data of reports with a model still gathered."""
    Report = type(env["ir.actions.report"])
    original = Report._render_qweb_pdf

    def fake(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        model = self.env.get(f"report.{report.report_name}")
        if model is not None:
            model._get_report_values(res_ids, data=data)
        return b"%PDF-1.4 bench", "pdf"

    Report._render_qweb_pdf = fake
    try:
        yield
    finally:
        Report._render_qweb_pdf = original


def batched(env, month):
    Send = env["qubiq.account.review.send"]
    return Send._send_month(month, env.company)


def naive(env, month):
    """What a straightforward job does: one customer at a time."""
    Send = env["qubiq.account.review.send"]
    Review = env["qubiq.account.review"]
    partners = env["res.partner"].search([("name", "=like", "Bench review %")])
    sent = Send.browse()
    for partner in partners:
        if Send.search_count([("partner_id", "=", partner.id), ("month", "=", month)]):
            continue
        contracts = env["qubiq.support.contract"].search(
            [("partner_id", "=", partner.id), ("state", "=", "active")]
        )
        banks = env["qubiq.hours.bank"].search([("partner_id", "=", partner.id)])
        sent |= Send._send_batch(partner, month, env.company, contracts, banks)
        Review._figures(partner, month)  # the summary line, customer by customer
    return sent


def measured(env, function, *args):
    env.invalidate_all()
    measure = Measure(env.cr)
    with measure():
        result = function(*args)
    count = len(result)
    env.cr.rollback()
    env.invalidate_all()
    return measure, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--pdf", action="store_true", help="also time one real rendering"
    )
    args = parser.parse_args()
    if args.quick:
        args.customers, args.tickets = 100, 50
        args.db = args.db or "ar_bench_quick"
    args.db = args.db or "ar_bench"
    conf = odoo_conf()
    ensure_db(conf, args.db, "qubiq_helpdesk_account_review", demo=False)
    _registry, cr, env = environment(conf, args.db)
    # No commit per batch: every measured run is rolled back.
    threading.current_thread().testing = True
    try:
        if not env["ir.config_parameter"].get_param(
            "qubiq_helpdesk_account_review.bench"
        ):
            start = time.perf_counter()
            threading.current_thread().testing = False
            generate(env, args.customers, args.tickets)
            threading.current_thread().testing = True
            print(f"# generated in {time.perf_counter() - start:.1f} s")
        env = env(context=dict(env.context, mail_notify_force_send=False))
        month = f"{date.today():%Y-%m}"
        partners = env["res.partner"].search([("name", "=like", "Bench review %")])
        tickets = env["helpdesk.ticket"].search_count(
            [("commercial_partner_id", "in", partners.ids)]
        )
        print(
            f"\n{len(partners)} customers (contract + hours bank), {tickets} tickets, "
            f"month {month}"
        )
        print("\n## 1. Monthly job (PDF bytes stubbed)")
        row("method", "seconds", "queries", "per customer", "mails")
        with stubbed_pdf(env):
            fast, sent_fast = measured(env, batched, env, month)
            slow, sent_slow = measured(env, naive, env, month)
        for name, m, sent in (
            ("batched (50 per commit)", fast, sent_fast),
            ("naive per-customer loop", slow, sent_slow),
        ):
            row(
                name,
                f"{m.seconds:.2f}",
                m.queries,
                f"{m.queries / len(partners):.1f}",
                sent,
            )
        print(
            f"naive / batched: {slow.seconds / fast.seconds:.1f}x time, "
            f"{slow.queries / fast.queries:.1f}x queries"
        )

        print("\n## 2. Review figures of all customers vs number of tickets")
        row("tickets", "seconds", "queries")
        Review = env["qubiq.account.review"]
        one, _n = measured(env, lambda: Review._figures(partners, month) or [1])
        row(tickets, f"{one.seconds:.2f}", one.queries)
        add_tickets(env, partners, 2 * tickets)
        env.flush_all()
        more = env["helpdesk.ticket"].search_count(
            [("commercial_partner_id", "in", partners.ids)]
        )
        measure = Measure(env.cr)
        env.invalidate_all()
        with measure():
            Review._figures(partners, month)
        row(more, f"{measure.seconds:.2f}", measure.queries)
        env.cr.rollback()

        if not args.pdf:
            return
        print("\n## 3. One customer's two real PDFs (wkhtmltopdf)")
        threading.current_thread().testing = True
        Send = env["qubiq.account.review.send"]
        partner = partners[:1]
        contracts = env["qubiq.support.contract"].search(
            [("partner_id", "=", partner.id)]
        )
        banks = env["qubiq.hours.bank"].search([("partner_id", "=", partner.id)])
        m = Measure(env.cr)
        with m():
            Send._send_batch(partner, month, env.company, contracts, banks)
        print(f"{m.seconds:.2f} s, {m.queries} queries")
        env.cr.rollback()
    finally:
        cr.close()


if __name__ == "__main__":
    main()
