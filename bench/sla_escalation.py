#!/usr/bin/env python3
"""At-risk escalation cron benchmark (issue 5), in one run on this machine's Odoo 17.

For 10k and 100k open tickets under SLA (inserted in bulk inside a transaction that is
rolled back at the end), measures ``qubiq.sla.clock._cron_escalate``:

- a run where a share of the clocks crossed a threshold since the last run (1% by
  default: a 10-minute cron interval on a busy desk), which escalates them: level
  raised, activity, chatter note, digest to the support manager;
- the steady-state run right after (nothing left to flip);
- seconds, SQL queries and peak Python memory (measured in a separate repetition, as
  tracemalloc slows Python down);

against the naive per-ticket loop the OCA way, ``calendar.get_work_hours_count(now,
deadline)`` for every open ticket, measured on 1,000 tickets and extrapolated.

Usage: python3 bench/sla_escalation.py [--db qubiq_bench] [--share 0.01] [--quick]
"""

import argparse
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _odoo import Measure, ensure_db, environment, odoo_conf, row

NOW = datetime(2026, 6, 10, 10, 0)  # a Wednesday, 12:00 in Madrid


def seed(env, count, share):
    """``count`` open tickets with a running response clock each; ``share`` of them
    crossed their at-risk instant (half of those their deadline) just before NOW."""
    team = env.ref("helpdesk_mgmt.helpdesk_team_1")
    calendar = env.ref("qubiq_helpdesk_sla.resource_calendar_qubiq_demo")
    stage = team._get_applicable_stages().filtered(lambda s: not s.closed)[:1]
    leader = env.ref("base.user_admin")
    team.user_id = leader
    env.company.qubiq_support_manager_id = leader
    env.flush_all()
    crossing = int(count * share)
    # Only the seeded tickets are measured: the database's own clocks (demo, other
    # benchmarks) are taken as already escalated, inside the rolled-back transaction.
    env.cr.execute("UPDATE qubiq_sla_clock SET escalation = 'breached'")
    env.cr.execute(
        """
        INSERT INTO helpdesk_ticket (name, number, description, company_id, team_id,
                                     stage_id, priority, support_level, sla_queue_rank,
                                     active, create_date, write_date)
        SELECT 'ESC ' || n, 'ESC' || n, '<p>bench</p>', %(company)s, %(team)s,
               %(stage)s, '2', '1', 0, TRUE, %(now)s, %(now)s
          FROM generate_series(1, %(count)s) n
        RETURNING id
        """,
        {
            "company": env.company.id,
            "team": team.id,
            "stage": stage.id,
            "now": NOW,
            "count": count,
        },
    )
    ids = [r[0] for r in env.cr.fetchall()]
    # Crossing clocks: at risk 1-9 min ago (half of them also past their deadline);
    # the others are due later today or in the coming days.
    env.cr.execute(
        """
        INSERT INTO qubiq_sla_clock (ticket_id, kind, state, escalation, calendar_id,
                                     target_minutes, start_date, risk_date, deadline)
        SELECT t.id, 'response', 'running', 'none', %(calendar)s, 240,
               %(now)s - interval '3 hours',
               CASE WHEN t.rn <= %(crossing)s
                    THEN %(now)s - (1 + t.rn %% 9) * interval '1 minute'
                    ELSE %(now)s + (1 + t.rn %% 4000) * interval '1 minute' END,
               CASE WHEN t.rn <= %(crossing)s / 2
                    THEN %(now)s - (1 + t.rn %% 9) * interval '1 minute'
                    ELSE %(now)s + (61 + t.rn %% 4000) * interval '1 minute' END
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                  FROM helpdesk_ticket WHERE id = ANY(%(ids)s)) t
        """,
        {"calendar": calendar.id, "now": NOW, "crossing": crossing, "ids": ids},
    )
    env.invalidate_all()
    return ids, crossing


def cron(env, memory=False):
    measure = Measure(env.cr, memory=memory)
    with measure():
        flipped = env["qubiq.sla.clock"]._cron_escalate(now=NOW)
        env.flush_all()
    return measure, flipped


def naive(env, ids, sample=1000):
    """What a per-ticket cron does: working hours left until each deadline."""
    clocks = env["qubiq.sla.clock"].search([("ticket_id", "in", ids[:sample])])
    calendar = clocks[:1].calendar_id
    measure = Measure(env.cr)
    with measure():
        for clock in clocks:
            left = calendar.get_work_hours_count(
                NOW, clock.deadline, compute_leaves=True
            )
            _at_risk = left <= clock.target_minutes / 60 * 0.25
    return measure.seconds / len(clocks), measure.queries / len(clocks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="qubiq_bench")
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    conf = odoo_conf()
    ensure_db(conf, args.db, "qubiq_helpdesk_sla")
    _registry, cr, env = environment(conf, args.db)
    sizes = (2000, 10000) if args.quick else (10000, 100000)
    print(f"## Escalation cron, {args.share:.0%} of the clocks crossing a threshold")
    row("open tickets", "crossing", "first run s", "queries", "peak MB")
    results = []
    try:
        for size in sizes:
            cr.execute("SAVEPOINT bench")
            ids, crossing = seed(env, size, args.share)
            cr.execute("SAVEPOINT seeded")
            first, flipped = cron(env)
            steady, again = cron(env)
            cr.execute("ROLLBACK TO SAVEPOINT seeded")
            env.invalidate_all()
            memory, _flipped = cron(env, memory=True)
            per_ticket_s, per_ticket_q = naive(env, ids)
            cr.execute("ROLLBACK TO SAVEPOINT bench")
            env.invalidate_all()
            assert flipped == crossing and again == 0, (flipped, crossing, again)
            row(
                f"{size:,}",
                f"{crossing:,}",
                f"{first.seconds:.2f}",
                first.queries,
                f"{memory.peak_mb:.1f}",
            )
            results.append((size, first, steady, per_ticket_s, per_ticket_q))
        print("\n## Steady state (nothing to flip) and the naive per-ticket loop")
        row("open tickets", "steady s", "steady queries", "naive s", "ratio")
        for size, first, steady, per_ticket_s, _per_ticket_q in results:
            naive_s = per_ticket_s * size
            row(
                f"{size:,}",
                f"{steady.seconds:.3f}",
                steady.queries,
                f"{naive_s:.0f} (extrap.)",
                f"{naive_s / first.seconds:,.0f}x",
            )
        print(
            f"#   naive loop: {per_ticket_s * 1000:.2f} ms and {per_ticket_q:.1f} "
            "queries per open ticket (get_work_hours_count), measured on 1,000"
        )
    finally:
        cr.rollback()
        cr.close()


if __name__ == "__main__":
    main()
