# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hours-bank arithmetic: billing blocks, oldest-first consumption and balances.

Plain Python, no Odoo import: the models gather their inputs in batch, call these
functions once and store the results. Durations are integer **seconds** so that sums
and comparisons are exact (a timesheet of 0:31 is 1860 s, not 0.51666 h); the models
convert at the boundary with :func:`to_seconds` / :func:`to_hours`.

Vocabulary (the usual rule: 30-minute blocks with a 30-minute minimum):

- *real*: the time a consultant logged on a timesheet line;
- *billed*: the time charged for it: at least the *minimum*, rounded up to whole
  *blocks*. Per line, or per ticket (or task) and day: then the day's running total is
  rounded and each line is billed the increase it causes;
- a *pack* is a prepaid amount of hours valid between two dates; *demands* (billed
  time) consume the packs valid on their day, the one expiring first first; what no
  pack covers is *overage*, tracked and billable, never refused;
- *direct* demands (evolutivos invoiced apart) skip the packs and are billed as they
  come.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

HOUR = 3600
MINUTE = 60

# --------------------------------------------------------------------------- units


def to_seconds(hours):
    """Seconds of a duration in hours (Odoo's float_time), to the nearest second."""
    return round((hours or 0.0) * HOUR)


def to_hours(seconds):
    return seconds / HOUR


def format_hours(hours):
    """``H:MM`` of a float number of hours, as every screen of the bank shows it."""
    return format_duration(to_seconds(hours))


def format_duration(seconds):
    """``H:MM`` (``-H:MM`` when negative), minutes rounded half up."""
    sign = "-" if seconds < 0 else ""
    minutes = (abs(seconds) + MINUTE // 2) // MINUTE
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- rounding


def rounding_group(ticket_id, task_id, line_id, day):
    """The group whose total is rounded when billing per ticket (or task) and day:
    the line's ticket, else its task, else the line alone."""
    if ticket_id:
        return ("ticket", ticket_id, day)
    if task_id:
        return ("task", task_id, day)
    return ("line", line_id, day)


def billed_seconds(real, block, minimum):
    """Billed duration of ``real`` seconds of work.

    Nothing is billed for no work. Otherwise at least ``minimum`` is billed and the
    result is rounded up to a whole number of ``block`` (``block`` 0: no rounding).
    So the result is never below the real time, always a multiple of the block, and
    less than one block above ``max(real, minimum)``.
    """
    if block < 0 or minimum < 0:
        raise ValueError("block and minimum must not be negative")
    if real <= 0:
        return 0
    billed = max(real, minimum)
    if block:
        billed = -(-billed // block) * block
    return billed


def billed_increments(reals, block, minimum, frozen=None):
    """Billed seconds of lines charged together, in their order (one ticket's day).

    The running total of real time is rounded with :func:`billed_seconds`; each line
    is billed what its time adds to the rounded total, so the lines add up to the
    rounded total of the day, each increment is a multiple of the block and adding a
    line later in the day never changes the lines before it.

    ``frozen`` (same length, ``None`` for free lines) keeps the billed value of lines
    that may not change (invoiced or in a locked period): later lines are billed what
    the rounded total still lacks, never a negative amount.
    """
    frozen = frozen or [None] * len(reals)
    result = []
    cum_real = cum_billed = 0
    for real, fixed in zip(reals, frozen, strict=True):
        cum_real += max(real, 0)
        if fixed is None:
            billed = max(0, billed_seconds(cum_real, block, minimum) - cum_billed)
        else:
            billed = fixed
        cum_billed += billed
        result.append(billed)
    return result


@dataclass(frozen=True)
class TimeLine:
    """A timesheet line to bill: ``group`` is its ticket/task and day (or the line
    itself when lines are billed one by one); ``order`` sorts the lines of a group."""

    key: object
    group: object
    order: tuple
    real: int
    frozen: int | None = None


def bill_lines(lines: Iterable[TimeLine], block, minimum):
    """``{line key: billed seconds}``: each group billed with
    :func:`billed_increments`."""
    groups = {}
    for line in lines:
        groups.setdefault(line.group, []).append(line)
    result = {}
    for members in groups.values():
        members.sort(key=lambda line: line.order)
        billed = billed_increments(
            [line.real for line in members],
            block,
            minimum,
            [line.frozen for line in members],
        )
        result.update(zip((line.key for line in members), billed, strict=True))
    return result


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class Pack:
    """Prepaid hours (``seconds``) usable from ``start`` to ``end`` included (``end``
    None: no expiry)."""

    key: object
    seconds: int
    start: date
    end: date | None = None
    sequence: int = 0

    def valid_on(self, day):
        return self.start <= day and (self.end is None or day <= self.end)

    def priority(self):
        """Expiring first, then oldest first, then by sequence and key."""
        return (self.end or date.max, self.start, self.sequence, self.key)


@dataclass(frozen=True)
class Demand:
    """Billed time of one timesheet line, dated ``day``; consumed in (day, order)."""

    key: object
    day: date
    seconds: int
    order: tuple = ()
    direct: bool = False


def allocate(packs: Iterable[Pack], demands: Iterable[Demand], used=None):
    """Consume ``demands`` from ``packs`` oldest-first (expiring first).

    ``used`` maps pack keys to seconds already consumed (by earlier or frozen
    demands). Returns ``{demand key: [(pack key or None, seconds), ...]}``: the parts
    add up to the demand; ``None`` is overage (or the whole demand, if direct). A
    pack is only used on the days it is valid and never beyond its capacity.
    """
    used = used or {}
    ordered = sorted(packs, key=Pack.priority)
    left = {pack.key: max(0, pack.seconds - used.get(pack.key, 0)) for pack in ordered}
    result = {}
    for demand in sorted(demands, key=lambda d: (d.day, d.order, str(d.key))):
        parts = []
        need = max(demand.seconds, 0)
        if not demand.direct:
            for pack in ordered:
                if not need:
                    break
                if left[pack.key] <= 0 or not pack.valid_on(demand.day):
                    continue
                take = min(need, left[pack.key])
                left[pack.key] -= take
                need -= take
                parts.append((pack.key, take))
        if need:
            parts.append((None, need))
        result[demand.key] = parts
    return result


# --------------------------------------------------------------------------- balances


@dataclass(frozen=True)
class PackPosition:
    """A pack seen on ``as_of``: ``consumed`` counts the time allocated to it up to
    that day; ``paid`` is the part of its hours already paid."""

    key: object
    seconds: int
    start: date
    end: date | None
    consumed: int
    paid: int

    def counts_on(self, as_of):
        return self.start <= as_of

    def expired_on(self, as_of):
        return self.end is not None and self.end < as_of

    def remaining(self, as_of):
        if not self.counts_on(as_of) or self.expired_on(as_of):
            return 0
        return max(0, self.seconds - self.consumed)

    def expired(self, as_of):
        if not self.counts_on(as_of) or not self.expired_on(as_of):
            return 0
        return max(0, self.seconds - self.consumed)

    def paid_available(self, as_of):
        """Of the remaining hours, those already paid."""
        return min(self.remaining(as_of), max(0, self.paid - self.consumed))


@dataclass(frozen=True)
class Consumption:
    """Aggregated time of a period: ``real``/``billed`` of billable lines,
    ``non_billable`` real time not charged, ``from_packs``/``overage``/``direct``
    the billed time by where it went, ``not_invoiced`` the overage and direct time
    not invoiced yet, ``development``/``incident`` the real time by kind."""

    real: int = 0
    billed: int = 0
    non_billable: int = 0
    from_packs: int = 0
    overage: int = 0
    direct: int = 0
    not_invoiced: int = 0
    development: int = 0
    incident: int = 0


@dataclass(frozen=True)
class Balance:
    """The figures of a bank for a period, as every screen shows them (seconds)."""

    contracted: int
    consumed_real: int
    consumed_billed: int
    non_billable: int
    from_packs: int
    overage: int
    direct: int
    not_invoiced: int
    development: int
    incident: int
    remaining: int
    expired: int
    paid_available: int
    in_force: int

    @property
    def contracted_available(self):
        return self.remaining

    @property
    def used_percent(self):
        """Share of the hours in force already consumed (0-100)."""
        if not self.in_force:
            return 100.0 if self.overage else 0.0
        return round(100.0 * (self.in_force - self.remaining) / self.in_force, 2)


def summarize(packs: Iterable[PackPosition], consumption, as_of, date_from=None):
    """Balance of a bank for the period ``date_from`` (None: the beginning) to
    ``as_of``.

    ``contracted`` counts the packs starting in the period; ``remaining``,
    ``expired``, ``paid_available`` and ``in_force`` (hours of the packs valid on
    ``as_of``) are positions on ``as_of``; the consumption figures are the period's.
    """
    packs = list(packs)
    contracted = sum(
        p.seconds
        for p in packs
        if p.counts_on(as_of) and (date_from is None or p.start >= date_from)
    )
    in_force = sum(
        p.seconds for p in packs if p.counts_on(as_of) and not p.expired_on(as_of)
    )
    return Balance(
        contracted=contracted,
        consumed_real=consumption.real,
        consumed_billed=consumption.billed,
        non_billable=consumption.non_billable,
        from_packs=consumption.from_packs,
        overage=consumption.overage,
        direct=consumption.direct,
        not_invoiced=consumption.not_invoiced,
        development=consumption.development,
        incident=consumption.incident,
        remaining=sum(p.remaining(as_of) for p in packs),
        expired=sum(p.expired(as_of) for p in packs),
        paid_available=sum(p.paid_available(as_of) for p in packs),
        in_force=in_force,
    )


def paid_seconds(seconds, price, paid_amount):
    """Hours of a pack covered by what was paid for it (free packs count as paid)."""
    if price <= 0:
        return seconds
    share = min(1.0, max(0.0, paid_amount / price))
    return round(seconds * share)


# --------------------------------------------------------------------------- warnings


@dataclass(frozen=True)
class Threshold:
    """Warn when the remaining time falls to ``value`` hours, or to ``value`` percent
    of the hours in force; ``notified``: the warning for this crossing went out."""

    key: object
    kind: str  # "hours" | "percent"
    value: float
    notified: bool = False

    def limit(self, in_force):
        if self.kind == "percent":
            return round(in_force * self.value / 100.0)
        return round(self.value * HOUR)


def threshold_changes(thresholds: Iterable[Threshold], remaining, in_force):
    """``(to_notify, to_reset)`` keys: a threshold is notified once when the remaining
    time reaches it, and re-armed when the remaining time climbs back above it (a new
    pack). A bank with no hours in force warns nothing."""
    to_notify, to_reset = [], []
    for threshold in thresholds:
        reached = in_force > 0 and remaining <= threshold.limit(in_force)
        if reached and not threshold.notified:
            to_notify.append(threshold.key)
        elif not reached and threshold.notified:
            to_reset.append(threshold.key)
    return to_notify, to_reset


def excess_limit(estimate, absolute):
    """The time a ticket may take before it is "dedicación excesiva": its approved
    estimate when it has one, else the absolute limit (0: none). Seconds or None."""
    if estimate > 0:
        return estimate
    if absolute > 0:
        return absolute
    return None


def is_excessive(consumed, limit):
    return limit is not None and consumed > limit


# --------------------------------------------------------------------------- periods

# The named periods of the dashboard, the statement wizard and the portal, with their
# labels (translated by the statement wizard's ``period`` selection, which uses this
# list). "custom": explicit dates, which period_bounds() does not compute.
PERIODS = [
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("last_3_months", "Last 3 months"),
    ("this_quarter", "This quarter"),
    ("this_year", "This year"),
    ("last_year", "Last year"),
    ("all", "Since the first pack"),
    ("custom", "Custom dates"),
]


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_bounds(period, today):
    """``(date_from, date_to)`` of a named period around ``today`` (``all``: from the
    beginning, date_from None). Periods end on their last day, or today for the
    current ones."""
    first = today.replace(day=1)
    if period == "this_month":
        return first, today
    if period == "last_month":
        start = _add_months(first, -1)
        return start, first - timedelta(days=1)
    if period == "last_3_months":
        return _add_months(first, -2), today
    if period == "this_quarter":
        return first.replace(month=3 * ((today.month - 1) // 3) + 1), today
    if period == "this_year":
        return today.replace(month=1, day=1), today
    if period == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if period == "all":
        return None, today
    raise ValueError(f"unknown period {period!r}")


# ------------------------------------------------------------------- balance dict

# The figures of a Balance every screen shows; the bank's fields are these keys
# followed by ``_hours``.
BALANCE_KEYS = (
    "contracted",
    "consumed_real",
    "consumed_billed",
    "non_billable",
    "from_packs",
    "overage",
    "direct",
    "not_invoiced",
    "development",
    "incident",
    "remaining",
    "expired",
    "paid_available",
    "in_force",
)


def balance_value(balance, key):
    """Seconds of one figure of a Balance (0 with no balance)."""
    return getattr(balance, key) if balance is not None else 0


def balance_dict(balance):
    """Hours (float) of a Balance by :data:`BALANCE_KEYS`, plus the contracted hours
    still available and the percentage used."""
    values = {key: to_hours(balance_value(balance, key)) for key in BALANCE_KEYS}
    values["contracted_available"] = values["remaining"]
    values["used_percent"] = balance.used_percent if balance else 0.0
    return values
