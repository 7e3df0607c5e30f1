# Copyright 2026 Qubiq
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA compliance figures: counts, met rate, mean and percentiles of working time.

Plain Python, no Odoo import. The compliance report and its PDF feed it the clocks read
in one query and group them; this module only does the arithmetic, so the figures are
tested without a database.
"""

import math
from collections import namedtuple

Outcome = namedtuple("Outcome", ["met", "minutes"])
Outcome.__doc__ = """One clock that has stopped: met (bool) and the working minutes
it took to reach (pauses excluded). Ongoing clocks are not outcomes; breached ongoing
clocks are counted apart (``overdue``)."""

Summary = namedtuple(
    "Summary",
    ["count", "met", "missed", "overdue", "met_rate", "mean_minutes", "p90_minutes"],
)
Summary.__doc__ = """count: stopped clocks; met/missed among them; overdue: ongoing
clocks already past their deadline; met_rate: met / (count + overdue) in % (None when
there is nothing to rate); mean_minutes, p90_minutes: of the stopped clocks (None when
none)."""


def percentile(values, share):
    """The ``share`` (0..1) percentile of ``values`` by linear interpolation between
    closest ranks (PostgreSQL's ``percentile_cont``, NumPy's default). None if empty."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be within 0..1, got {share}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(outcomes, overdue=0):
    """A :class:`Summary` of stopped clocks plus ``overdue`` ongoing breached ones.

    An overdue clock is a breach already: it counts against the met rate even though it
    has not stopped yet, so a team cannot look compliant by not closing late tickets."""
    outcomes = list(outcomes)
    met = sum(1 for outcome in outcomes if outcome.met)
    missed = len(outcomes) - met
    rated = len(outcomes) + overdue
    minutes = [outcome.minutes for outcome in outcomes]
    return Summary(
        count=len(outcomes),
        met=met,
        missed=missed,
        overdue=overdue,
        met_rate=100.0 * met / rated if rated else None,
        mean_minutes=sum(minutes) / len(minutes) if minutes else None,
        p90_minutes=percentile(minutes, 0.9),
    )
