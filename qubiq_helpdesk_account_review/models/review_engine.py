# Copyright 2026 Qubiq
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The account manager's month: which month a pack covers, when it goes out, and
the early-warning arithmetic (run-out forecast, expiring packs, compliance target,
unhappy customers).

Plain Python, no Odoo import: the models gather the figures in batch and ask this
module; the rules are tested without a database (``tests/pure``).
"""

from datetime import date, timedelta

WARNING_KINDS = ("expiry", "runout", "compliance", "ratings")


def month_key(day):
    """``"YYYY-MM"`` of the month ``day`` falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(key):
    """(first day, last day) of month ``"YYYY-MM"``."""
    year, month = (int(part) for part in key.split("-"))
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(day):
    """``"YYYY-MM"`` of the month before the one ``day`` falls in: the month a pack
    sent on ``day`` covers."""
    return month_key(day.replace(day=1) - timedelta(days=1))


def first_working_day(year, month, is_working):
    """The first day of the month for which ``is_working(day)`` is true (the
    company's calendar: weekends and public holidays are not). None if the calendar
    has no working day in the month."""
    day = date(year, month, 1)
    while day.month == month:
        if is_working(day):
            return day
        day += timedelta(days=1)
    return None


def pack_due(today, is_working):
    """Whether the monthly pack of the month just closed is due on ``today``: from
    the first working day of the month on (a day missed by the scheduler is caught
    up the next day; the send log keeps it to once)."""
    first = first_working_day(today.year, today.month, is_working)
    return first is not None and today >= first


def weekly_pace(weekly_seconds, weeks):
    """Average consumption per week (seconds) over the last ``weeks`` weeks, weeks
    without consumption included. ``weekly_seconds``: the consumption of the weeks
    that had some (at most ``weeks`` values)."""
    if weeks <= 0:
        raise ValueError(f"weeks must be positive, got {weeks}")
    return sum(weekly_seconds) / weeks


def runout_weeks(remaining, pace):
    """Weeks until ``remaining`` seconds are used up at ``pace`` seconds a week; None
    when nothing is being consumed (the bank never runs out at this pace)."""
    if pace <= 0:
        return None
    return max(remaining, 0) / pace


def runs_out_within(remaining, pace, weeks):
    """A bank with hours left that will run out within ``weeks`` weeks at ``pace``.
    An empty bank has already run out: the low-balance warning covers it."""
    forecast = runout_weeks(remaining, pace)
    return remaining > 0 and forecast is not None and forecast <= weeks


def expiring_unused(remaining, date_end, today, days):
    """A pack that ends within ``days`` days (today included) with hours unused."""
    if not date_end or remaining <= 0:
        return False
    return today <= date_end <= today + timedelta(days=days)


def met_rate(met, breached):
    """Share (%) of the clocks met among those stopped or overdue; None if none."""
    rated = met + breached
    return 100.0 * met / rated if rated else None


def below_target(met, breached, target):
    """Compliance under the target (%): only when there is something to rate."""
    rate = met_rate(met, breached)
    return rate is not None and rate < target


def unhappy(bad_ratings, limit=2):
    """Two or more not-positive ratings in the month."""
    return bad_ratings >= limit
