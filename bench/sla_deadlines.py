#!/usr/bin/env python3
"""SLA deadline benchmark (issue 4), in one run on this machine's Odoo 17:

1. Computing both deadlines (response and resolution) of 1k, 10k and 100k tickets on
   the demo calendar with Spain's holidays: the plain-Python engine, batched, against
   ``resource.calendar.plan_hours`` per ticket (what OCA helpdesk_mgmt_sla does), with
   the ratio and the largest disagreement between the two (seconds).
2. SQL queries of ``helpdesk.ticket.create()`` for 1 and 100 tickets in one call, with
   and without qubiq_helpdesk_sla (a second database with only helpdesk_mgmt).
3. End to end: recomputing 10k stored deadlines (read, compute, write back, flush)
   with ``qubiq.sla.clock._recompute`` against the same done the per-ticket ORM way,
   and adding a public holiday, which re-targets every open clock with its history.

Usage: python3 bench/sla_deadlines.py [--db qubiq_bench] [--base-db qubiq_bench_base]
       [--quick]   (smaller sizes, for a smoke run)
The databases are created on the first run (a few minutes) and reused afterwards.
Per-ticket plan_hours over 10k/100k tickets is measured on the first 2,000 tickets and
extrapolated linearly (each call is independent); this is printed as such.
"""

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import Measure, ensure_db, environment, odoo_conf, row

SLA_TABLE = {"0": (6, 60), "1": (6, 52), "2": (4, 48), "3": (2, 24)}


def random_starts(count, seed=2026):
    rng = random.Random(seed)
    origin = datetime(2026, 1, 5, 7, 0)
    return [
        (
            origin + timedelta(minutes=rng.randrange(0, 330 * 24 * 60)),
            rng.choice(list(SLA_TABLE)),
        )
        for _i in range(count)
    ]


def bench_computation(env, sizes, sample):
    from odoo.addons.qubiq_helpdesk_sla.models import sla_engine

    calendar = env.ref("qubiq_helpdesk_sla.resource_calendar_qubiq_demo")
    holidays = env["resource.calendar.leaves"].search_count(
        [("resource_id", "=", False)]
    )
    print(
        f"\n## 1. Both deadlines per ticket, calendar '{calendar.name}', "
        f"{holidays} public holidays"
    )
    row("tickets", "engine s", "plan_hours s", "ratio", "max diff s")
    for size in sizes:
        tickets = random_starts(size)
        measure = Measure(env.cr)
        with measure():
            work = calendar._sla_work_calendars()[calendar.id]
            clocks = []
            for start, priority in tickets:
                response, resolution = SLA_TABLE[priority]
                clocks.append(sla_engine.Clock(start, response * 3600))
                clocks.append(sla_engine.Clock(start, resolution * 3600))
            found = sla_engine.compute_deadlines(work, clocks)
        engine_s = measure.seconds
        measured = tickets[: min(sample, size)]
        base = Measure(env.cr)
        max_diff = 0.0
        with base():
            for i, (start, priority) in enumerate(measured):
                response, resolution = SLA_TABLE[priority]
                for j, hours in enumerate((response, resolution)):
                    expected = calendar.plan_hours(hours, start, compute_leaves=True)
                    diff = abs((found[2 * i + j] - expected).total_seconds())
                    max_diff = max(max_diff, diff)
        per_ticket = base.seconds / len(measured)
        plan_s = per_ticket * size
        label = f"{plan_s:.2f}" + ("" if len(measured) == size else " (extrap.)")
        row(
            f"{size:,}",
            f"{engine_s:.3f}",
            label,
            f"{plan_s / engine_s:,.0f}x",
            f"{max_diff:.0f}",
        )
        if size == sizes[0]:
            print(
                f"#   plan_hours: {per_ticket * 1000 / 2:.2f} ms and "
                f"{base.queries / len(measured) / 2:.1f} queries per deadline; "
                f"engine: {engine_s * 1e6 / (2 * size):.1f} us per deadline"
            )


def count_create_queries(env, partner, team, ticket_type=None):
    Ticket = env["helpdesk.ticket"].with_context(tracking_disable=True)

    def values(i):
        vals = {
            "name": f"Bench {i}",
            "description": "<p>bench</p>",
            "partner_id": partner.id,
            "team_id": team.id,
            "priority": "2",
        }
        if ticket_type:
            vals["type_id"] = ticket_type.id
        return vals

    Ticket.create([values(0)])  # warm caches
    env.flush_all()
    result = {}
    for size in (1, 100):
        measure = Measure(env.cr)
        with measure():
            Ticket.create([values(i) for i in range(size)])
            env.flush_all()
        result[size] = measure.queries
    return result


def bench_create_queries(env, base_env):
    print("\n## 2. SQL queries of one helpdesk.ticket.create() call")
    partner = env.ref("qubiq_helpdesk_sla.partner_muebles_ebro_lucia_demo")
    team = env.ref("helpdesk_mgmt.helpdesk_team_1")
    with_sla = count_create_queries(
        env, partner, team, env.ref("qubiq_helpdesk_sla.ticket_type_incidencia")
    )
    base_partner = base_env["res.partner"].create({"name": "Bench", "is_company": True})
    base_team = base_env["helpdesk.ticket.team"].search([], limit=1) or base_env[
        "helpdesk.ticket.team"
    ].create({"name": "Bench"})
    without = count_create_queries(base_env, base_partner, base_team)
    row("tickets in one create()", "helpdesk_mgmt", "+ qubiq SLA", "extra", "")
    for size in (1, 100):
        row(
            f"{size}", without[size], with_sla[size], with_sla[size] - without[size], ""
        )
    print(
        "#   extra queries: 100 tickets cost "
        f"{with_sla[100] - without[100]} vs {with_sla[1] - without[1]} for 1 "
        "(SLA work is per batch)"
    )


def bench_end_to_end(env, size):
    print(f"\n## 3. End to end: recompute {size:,} tickets' stored deadlines")
    partner = env.ref("qubiq_helpdesk_sla.partner_muebles_ebro_lucia_demo")
    team = env.ref("helpdesk_mgmt.helpdesk_team_1")
    incidencia = env.ref("qubiq_helpdesk_sla.ticket_type_incidencia")
    Ticket = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    tickets = Ticket.search([("name", "=like", "E2E %")])
    if len(tickets) < size:
        print(
            f"#   creating {size - len(tickets):,} open tickets (once)...", flush=True
        )
        for chunk in range(len(tickets), size, 2000):
            starts = random_starts(min(2000, size - chunk), seed=chunk)
            tickets |= Ticket.create(
                [
                    {
                        "name": f"E2E {chunk + i}",
                        "description": "<p>bench</p>",
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "type_id": incidencia.id,
                        "priority": priority,
                        "sla_start_date": start,
                    }
                    for i, (start, priority) in enumerate(starts)
                ]
            )
            env.cr.commit()
    tickets = tickets[:size]
    env.invalidate_all()
    # Batched: what a priority change or a policy edit runs.
    engine = Measure(env.cr)
    with engine():
        env["qubiq.sla.clock"]._recompute(tickets)
        env.flush_all()
    env.cr.rollback()
    env.invalidate_all()
    # Per ticket with the ORM: read each clock, plan_hours, write, flush.
    naive = Measure(env.cr)
    clocks = tickets.sla_clock_ids.filtered(lambda c: c.state == "running")
    with naive():
        for clock in clocks:
            calendar = clock.calendar_id
            deadline = calendar.plan_hours(
                clock.target_minutes / 60, clock.start_date, compute_leaves=True
            )
            clock.write({"deadline": deadline})
            clock.flush_recordset()
    env.cr.rollback()
    # A public holiday added: every open clock on the calendars re-targeted, with
    # its history line (what an integrator's admin does in December).
    holiday = Measure(env.cr)
    with holiday():
        env["resource.calendar.leaves"].create(
            {
                "name": "Bench holiday",
                "date_from": datetime(2026, 6, 24, 0, 0),
                "date_to": datetime(2026, 6, 25, 0, 0),
                "time_type": "leave",
            }
        )
        env.flush_all()
    retargeted = env["qubiq.sla.history"].search_count(
        [("description", "like", "Bench holiday")]
    )
    env.cr.rollback()
    env.invalidate_all()
    row("method", "seconds", "queries", "", "")
    row("clock._recompute (engine, batch)", f"{engine.seconds:.2f}", engine.queries)
    row("holiday added (re-target all)", f"{holiday.seconds:.2f}", holiday.queries)
    row("per ticket (plan_hours + write)", f"{naive.seconds:.2f}", naive.queries)
    print(
        f"#   ratio {naive.seconds / engine.seconds:,.0f}x in time, "
        f"{naive.queries / max(engine.queries, 1):,.0f}x in queries "
        f"({len(clocks):,} clocks)"
    )
    print(
        f"#   holiday: {retargeted:,} clock moves recorded; "
        f"{naive.seconds / holiday.seconds:,.0f}x faster than the per-ticket way"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="qubiq_bench")
    parser.add_argument("--base-db", default="qubiq_bench_base")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    conf = odoo_conf()
    ensure_db(conf, args.db, "qubiq_helpdesk_sla")
    ensure_db(conf, args.base_db, "helpdesk_mgmt", demo=False)
    sizes = (1000, 2000) if args.quick else (1000, 10000, 100000)
    _reg, cr, env = environment(conf, args.db)
    _base_reg, base_cr, base_env = environment(conf, args.base_db)
    try:
        bench_computation(env, sizes, sample=500 if args.quick else 2000)
        bench_create_queries(env, base_env)
        bench_end_to_end(env, 1000 if args.quick else 10000)
    finally:
        cr.rollback()
        base_cr.rollback()
        cr.close()
        base_cr.close()


if __name__ == "__main__":
    main()
