#!/usr/bin/env python3
"""Hours-bank balance and dashboard benchmark (issue 8), in one run on this machine's
Odoo 17 (the Odoo that ``python3`` imports):

1. One customer with 50k timesheet lines: its balance (``_hours_balances``) and its
   dashboard (``hours_dashboard``), read_group based, against reading the lines one by
   one (``read()`` per line) and against the naive ORM loop over the lines and their
   consumption (prefetched by 1000) - same figures, checked equal.
2. 1k customers with 10 lines each: the balances of all the banks and the manager's
   dashboard over all of them, against the same one-by-one reading.
3. The query count of a balance for a customer with 500 lines and with 50k lines:
   it does not depend on the number of lines.
Also printed: the time of the first full consumption (classify, bill, allocate
oldest-first) of the 50k lines, done once when the data is generated.

Usage: python3 bench/hours_bank.py [--db hb_bench] [--lines 50000] [--customers 1000]
       [--quick]   (5k lines and 100 customers in hb_bench_quick, for a smoke run)
The database (default ``hb_bench``) is created on the first run with qubiq_hours_bank
installed without demo data, and the benchmark data is generated once (timesheet lines
cloned in SQL from one line logged through the ORM, then consumed by the module) and
reused afterwards; ``--db`` names another database to create or reuse.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import Measure, ensure_db, environment, odoo_conf, row

BIG = "Bench: customer with many lines"
SMALL = "Bench: customer with few lines"
MANY = "Bench: customer %04d"
FIELDS = ["unit_amount", "hours_billed", "hours_billable", "hours_work_kind"]


def clone_lines(env, template, count, ticket_ids=None):
    """``count`` copies of timesheet line ``template`` (per ticket when given), dated
    over the last 400 days with durations of 5 to 94 minutes: SQL, to generate fast."""
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'account_analytic_line' AND column_name != 'id'"
    )
    columns = [c for (c,) in cr.fetchall()]
    varying = {"date", "unit_amount", "ticket_id", "name"}
    fixed = [c for c in columns if c not in varying]
    today = date.today()
    select = ", ".join(f"t.{c}" for c in fixed)
    insert = ", ".join(fixed + ["date", "unit_amount", "ticket_id", "name"])
    if ticket_ids:
        cr.execute(
            f"""INSERT INTO account_analytic_line ({insert})
                SELECT {select}, %s::date - (g * 37 %% 400),
                       ((g * 7) %% 90 + 5) / 60.0, k.id, 'Bench ' || g
                  FROM account_analytic_line t,
                       unnest(%s::int[]) AS k(id), generate_series(1, %s) g
                 WHERE t.id = %s
             RETURNING id""",
            (today, list(ticket_ids), count, template.id),
        )
    else:
        cr.execute(
            f"""INSERT INTO account_analytic_line ({insert})
                SELECT {select}, %s::date - (g * 37 %% 400),
                       ((g * 7) %% 90 + 5) / 60.0, t.ticket_id, 'Bench ' || g
                  FROM account_analytic_line t, generate_series(1, %s) g
                 WHERE t.id = %s
             RETURNING id""",
            (today, count, template.id),
        )
    ids = [i for (i,) in cr.fetchall()]
    env.invalidate_all()
    return env["account.analytic.line"].browse(ids)


def generate(env, lines, customers):
    """Customers, packs, tickets and timesheets for the benchmark (committed)."""
    print("# generating the benchmark data (once)...", flush=True)
    env = env(context=dict(env.context, mail_create_nolog=True, mail_notrack=True))
    project = env["project.project"].create({"name": "Bench", "allow_timesheets": True})
    team = env["helpdesk.ticket.team"].create(
        {"name": "Bench", "allow_timesheet": True, "default_project_id": project.id}
    )
    employee = env["hr.employee"].create({"name": "Bench consultant"})
    incidencia = env.ref("qubiq_helpdesk_sla.ticket_type_incidencia")
    start = date.today() - timedelta(days=400)

    def customer(name):
        return env["res.partner"].create({"name": name, "is_company": True})

    def ticket(partner):
        return env["helpdesk.ticket"].create(
            {
                "name": f"Bench {partner.name}",
                "description": "<p>Bench</p>",
                "team_id": team.id,
                "project_id": project.id,
                "partner_id": partner.id,
                "type_id": incidencia.id,
            }
        )

    def first_line(ticket_record):
        return env["account.analytic.line"].create(
            {
                "name": "Bench",
                "ticket_id": ticket_record.id,
                "project_id": project.id,
                "employee_id": employee.id,
                "unit_amount": 0.5,
                "date": start,
            }
        )

    def pack(bank, hours):
        env["qubiq.hours.pack"].create(
            {
                "name": f"Bench {hours} h",
                "bank_id": bank.id,
                "hours": hours,
                "date_start": start,
                "state": "active",
            }
        )

    report = {}
    for name, count in ((BIG, lines), (SMALL, 500)):
        partner = customer(name)
        template = first_line(ticket(partner))
        bank = template.hours_bank_id
        for hours in (count // 4, count // 4, count // 8):  # three packs, overage
            pack(bank, hours)
        clones = clone_lines(env, template, count - 1)
        measure = Measure(env.cr)
        with measure():
            env["qubiq.hours.allocation"]._hours_consume(clones)
            env.flush_all()
        report[name] = measure
    partners = env["res.partner"].create(
        [{"name": MANY % i, "is_company": True} for i in range(customers)]
    )
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Bench {p.name}",
                "description": "<p>Bench</p>",
                "team_id": team.id,
                "project_id": project.id,
                "partner_id": p.id,
                "type_id": incidencia.id,
            }
            for p in partners
        ]
    )
    template = first_line(tickets[0])
    banks = env["qubiq.hours.bank"]._hours_find(
        {(p.id, env.company.id) for p in partners}, create=True
    )
    env["qubiq.hours.pack"].create(
        [
            {
                "name": "Bench 10 h",
                "bank_id": bank.id,
                "hours": 10,
                "date_start": start,
                "state": "active",
            }
            for bank in banks.values()
        ]
    )
    clones = clone_lines(env, template, 10, ticket_ids=tickets[1:].ids)
    clones |= clone_lines(env, template, 9)
    env["qubiq.hours.allocation"]._hours_consume(clones)
    env["ir.config_parameter"].set_param("qubiq_hours_bank.bench", "1")
    env.cr.commit()
    return report


def one_by_one(env, lines):
    """Figures read line by line (one query per line): the baseline."""
    real = billed = non_billable = 0.0
    Line = env["account.analytic.line"]
    for line_id in lines.ids:
        (values,) = Line.browse(line_id).read(FIELDS)
        if values["hours_billable"]:
            real += values["unit_amount"]
            billed += values["hours_billed"]
        else:
            non_billable += values["unit_amount"]
    return real, billed, non_billable


def orm_loop(env, lines):
    """The naive ORM loop (prefetched by 1000) over lines and their consumption."""
    real = billed = from_packs = 0.0
    for line in env["account.analytic.line"].browse(lines.ids):
        if line.hours_billable:
            real += line.unit_amount
            billed += line.hours_billed
            for allocation in line.hours_allocation_ids:
                if allocation.pack_id:
                    from_packs += allocation.hours
    return real, billed, from_packs


def measured(env, function, *args):
    env.invalidate_all()
    measure = Measure(env.cr)
    with measure():
        result = function(*args)
    return measure, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="default: hb_bench (hb_bench_quick with --quick)")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.lines, args.customers = 5_000, 100
    args.db = args.db or ("hb_bench_quick" if args.quick else "hb_bench")
    conf = odoo_conf()
    ensure_db(conf, args.db, "qubiq_hours_bank", demo=False)
    _registry, cr, env = environment(conf, args.db)
    try:
        sync = None
        if not env["ir.config_parameter"].get_param("qubiq_hours_bank.bench"):
            start = time.perf_counter()
            sync = generate(env, args.lines, args.customers)
            print(f"# generated in {time.perf_counter() - start:.1f} s")
        Bank = env["qubiq.hours.bank"]
        Dashboard = env["qubiq.hours.dashboard"]
        big = Bank.search([("partner_id.name", "=", BIG)])
        small = Bank.search([("partner_id.name", "=", SMALL)])
        many = Bank.search([("partner_id.name", "=like", "Bench: customer 0%")])
        Line = env["account.analytic.line"]
        big_lines = Line.search([("hours_bank_id", "=", big.id)])
        many_lines = Line.search([("hours_bank_id", "in", many.ids)])
        version = env["ir.module.module"].search([("name", "=", "base")])
        print(
            f"\nOdoo {version.latest_version}, database {args.db}: "
            f"{len(big_lines)} lines on one customer, "
            f"{len(many)} customers with {len(many_lines)} lines"
        )
        if sync:
            m = sync[BIG]
            print(
                f"first full consumption of {len(big_lines)} lines (classify, bill, "
                f"allocate oldest-first, write): {m.seconds:.1f} s, {m.queries} queries"
            )

        print("\n## 1. One customer, balance and dashboard")
        row("method", "seconds", "queries", "vs read_group", "billed h")
        balance, result = measured(env, lambda: big._hours_balances()[big.id])
        row(
            "read_group balance",
            f"{balance.seconds:.3f}",
            balance.queries,
            "1.0x",
            f"{result.consumed_billed / 3600:.1f}",
        )
        dash, data = measured(
            env, lambda: Dashboard.hours_dashboard(period="all", bank_ids=big.ids)
        )
        row(
            "read_group dashboard",
            f"{dash.seconds:.3f}",
            dash.queries,
            f"{dash.seconds / balance.seconds:.1f}x",
            f"{data['totals']['consumed_billed']:.1f}",
        )
        naive, (real, billed, _non_billable) = measured(env, one_by_one, env, big_lines)
        row(
            "read() line by line",
            f"{naive.seconds:.3f}",
            naive.queries,
            f"{naive.seconds / balance.seconds:.0f}x",
            f"{billed:.1f}",
        )
        loop, (_loop_real, loop_billed, loop_packs) = measured(
            env, orm_loop, env, big_lines
        )
        row(
            "ORM loop (prefetch 1000)",
            f"{loop.seconds:.3f}",
            loop.queries,
            f"{loop.seconds / balance.seconds:.0f}x",
            f"{loop_billed:.1f}",
        )
        same = (
            round(billed * 60) == round(result.consumed_billed / 60)
            and round(real * 60) == round(result.consumed_real / 60)
            and round(loop_packs * 60) == round(result.from_packs / 60)
        )
        print(f"same figures (billed, real, from packs, to the minute): {same}")

        print(f"\n## 2. {len(many)} customers: all balances and the dashboard")
        row("method", "seconds", "queries", "vs read_group", "billed h")
        balances, results = measured(env, many._hours_balances)
        total = sum(b.consumed_billed for b in results.values()) / 3600
        row(
            "read_group balances",
            f"{balances.seconds:.3f}",
            balances.queries,
            "1.0x",
            f"{total:.1f}",
        )
        dash, data = measured(
            env, lambda: Dashboard.hours_dashboard(period="all", bank_ids=many.ids)
        )
        row(
            "read_group dashboard",
            f"{dash.seconds:.3f}",
            dash.queries,
            f"{dash.seconds / balances.seconds:.1f}x",
            f"{data['totals']['consumed_billed']:.1f}",
        )
        naive, (_real, billed, _nb) = measured(env, one_by_one, env, many_lines)
        row(
            "read() line by line",
            f"{naive.seconds:.3f}",
            naive.queries,
            f"{naive.seconds / balances.seconds:.0f}x",
            f"{billed:.1f}",
        )

        print("\n## 3. Queries of one balance against the number of lines")
        row("customer", "lines", "queries", "seconds")
        for bank in (small, big):
            count = Line.search_count([("hours_bank_id", "=", bank.id)])
            measure, _result = measured(env, bank._hours_balances)
            row(bank.partner_id.name, count, measure.queries, f"{measure.seconds:.3f}")
    finally:
        cr.rollback()
        cr.close()


if __name__ == "__main__":
    main()
