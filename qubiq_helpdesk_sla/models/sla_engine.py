# Copyright 2026 Qubiq
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Working-time arithmetic for SLA clocks.

Plain Python: this file imports nothing from Odoo, so it is unit-tested without a
database (``tests/pure``) and the Odoo models only feed it calendars and clocks, once
per batch.

Vocabulary
- A *calendar* is a set of weekly attendances (weekday, hour_from, hour_to in the
  calendar's local time zone, optionally limited by dates or to even/odd weeks) minus
  holidays (UTC intervals). Attendances are applied on the local wall clock of each
  day, so a daylight-saving change never shifts a working day by an hour.
- A *timeline* is the calendar unrolled into sorted, disjoint UTC working intervals
  with the working seconds accumulated before each one: adding working time to an
  instant, or measuring the working time between two instants, is then two binary
  searches.
- A *clock* runs from a start instant until ``target`` working seconds have been
  consumed, not counting its pauses (sorted ``(start, end)`` pairs, ``end`` None while
  still paused).

All public functions take and return naive UTC datetimes (Odoo's storage convention) or
aware ones; internally instants are POSIX timestamps (float seconds).
"""

from bisect import bisect_left, bisect_right
from collections import namedtuple
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1)
DAY = 86400
# How far a timeline grows each time a query falls beyond it.
_GROW = 92 * DAY
# A calendar that yields no working time over this span is considered empty.
_EMPTY_SPAN = 4 * 366 * DAY


class NoWorkingTime(ValueError):
    """The calendar has no working time at all after the given instant."""


Attendance = namedtuple(
    "Attendance",
    ["weekday", "hour_from", "hour_to", "week_type", "date_from", "date_to"],
    defaults=(None, None, None),
)
Attendance.__doc__ = """One weekly working period of a calendar.

weekday: 0 = Monday .. 6 = Sunday; hour_from/hour_to: local hours as floats
(8.5 = 8:30);
week_type: None (every week), 0 or 1 (two-week calendars, Odoo's week parity);
date_from/date_to: optional validity dates (inclusive)."""


def to_ts(value):
    """POSIX timestamp of a datetime; naive datetimes are UTC."""
    if value.tzinfo is None:
        # Plain arithmetic: no time zone lookup for Odoo's naive UTC values.
        return (value - _EPOCH).total_seconds()
    return value.timestamp()


def from_ts(ts):
    """Naive UTC datetime of a timestamp, to the microsecond."""
    return _EPOCH + timedelta(seconds=ts)


def hour_to_seconds(hour):
    """Seconds after local midnight for a float hour, as Odoo's ``float_to_time`` reads
    it (minutes rounded, 24.0 = end of the day)."""
    if hour >= 24:
        return DAY
    whole = int(hour)
    minutes = round((hour - whole) * 60)
    return whole * 3600 + minutes * 60


def week_type_of(day):
    """Odoo's parity of the week of ``day`` for two-week calendars (0 or 1)."""
    return ((day.toordinal() - 1) // 7) % 2


def _merge(intervals):
    """Sort and merge overlapping or touching (start, end) pairs, dropping empty
    ones."""
    merged = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _subtract(intervals, holes):
    """``intervals`` minus ``holes``; both sorted and disjoint."""
    result = []
    j = 0
    for start, end in intervals:
        while j < len(holes) and holes[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


class WorkCalendar:
    """Weekly attendances in a time zone, minus holidays."""

    def __init__(self, attendances, tz="UTC", holidays=(), two_weeks=False):
        self.tz = ZoneInfo(tz or "UTC")
        self.two_weeks = two_weeks
        self.attendances = []
        for att in attendances:
            att = Attendance(*att)
            if not 0 <= att.weekday <= 6:
                raise ValueError(f"weekday must be 0..6, got {att.weekday}")
            if not 0 <= att.hour_from < att.hour_to <= 24:
                raise ValueError(
                    f"attendance hours must satisfy 0 <= from < to <= 24, "
                    f"got {att.hour_from}-{att.hour_to}"
                )
            self.attendances.append(att)
        # Attendances per (weekday, week parity).
        self._by_day = {}
        for att in self.attendances:
            parities = (
                (0, 1)
                if (att.week_type is None or not two_weeks)
                else (int(att.week_type),)
            )
            for parity in parities:
                self._by_day.setdefault((att.weekday, parity), []).append(
                    (hour_to_seconds(att.hour_from), hour_to_seconds(att.hour_to), att)
                )
        self.holidays = _merge((to_ts(start), to_ts(end)) for start, end in holidays)

    def work_intervals(self, start_ts, end_ts):
        """Working intervals (UTC timestamps) intersecting [start_ts, end_ts), clipped
        to it."""
        if end_ts <= start_ts or not self.attendances:
            return []
        first = datetime.fromtimestamp(start_ts, self.tz).date() - timedelta(days=1)
        last = datetime.fromtimestamp(end_ts, self.tz).date() + timedelta(days=1)
        raw = []
        tz = self.tz
        day = first
        one_day = timedelta(days=1)
        while day <= last:
            periods = self._by_day.get((day.weekday(), week_type_of(day)))
            if periods:
                midnight = datetime(day.year, day.month, day.day)
                for sec_from, sec_to, att in periods:
                    if (att.date_from and day < att.date_from) or (
                        att.date_to and day > att.date_to
                    ):
                        continue
                    # Local wall-clock times, localized one by one: DST-safe.
                    local_from = (midnight + timedelta(seconds=sec_from)).replace(
                        tzinfo=tz
                    )
                    local_to = (midnight + timedelta(seconds=sec_to)).replace(tzinfo=tz)
                    raw.append((local_from.timestamp(), local_to.timestamp()))
            day += one_day
        intervals = _merge(raw)
        if self.holidays:
            lo = bisect_right([h[1] for h in self.holidays], start_ts)
            holes = [h for h in self.holidays[lo:] if h[0] < end_ts]
            intervals = _subtract(intervals, holes)
        return [
            (max(s, start_ts), min(e, end_ts))
            for s, e in intervals
            if e > start_ts and s < end_ts
        ]

    def timeline(self, start, end=None):
        """A :class:`Timeline` covering at least [start, end] (datetimes)."""
        start_ts = to_ts(start)
        end_ts = to_ts(end) if end else start_ts + 60 * DAY
        return Timeline(self, start_ts, end_ts)


class Timeline:
    """A calendar unrolled into working intervals with cumulative working seconds.

    Grows forward on demand; a query before its beginning rebuilds it from earlier.
    """

    def __init__(self, calendar, start_ts, end_ts):
        self.calendar = calendar
        self._reset(start_ts - DAY, max(end_ts, start_ts + DAY))

    def _reset(self, begin, end):
        self.begin = self.end = begin
        self._starts, self._ends, self._cum, self._cum_end = [], [], [], []
        self._total = 0.0
        self._grow(end)

    def _grow(self, new_end):
        for start, end in self.calendar.work_intervals(self.end, new_end):
            self._starts.append(start)
            self._ends.append(end)
            self._cum.append(self._total)
            self._total += end - start
            self._cum_end.append(self._total)
        self.end = new_end

    def _cover(self, ts):
        if ts < self.begin:
            self._reset(ts - 30 * DAY, self.end)
        if ts > self.end:
            self._grow(max(ts + 30 * DAY, self.end + _GROW))

    def _work_at(self, ts):
        """Working seconds between the timeline's beginning and ``ts``."""
        self._cover(ts)
        i = bisect_right(self._starts, ts) - 1
        if i < 0:
            return 0.0
        return self._cum[i] + min(ts, self._ends[i]) - self._starts[i]

    def measure(self, start_ts, end_ts):
        """Working seconds in [start_ts, end_ts] (0 when end is before start)."""
        if end_ts <= start_ts:
            return 0.0
        # Read the start first: reading before the timeline's beginning rebuilds it
        # from earlier, which would shift the base of a value read before it.
        at_start = self._work_at(start_ts)
        return self._work_at(end_ts) - at_start

    def add(self, start_ts, seconds):
        """The earliest instant at which ``seconds`` of working time after ``start_ts``
        are used up. Adding 0 returns ``start_ts`` itself."""
        if seconds <= 0:
            return start_ts
        target = self._work_at(start_ts) + seconds
        empty_span = 0
        while target > self._total:
            before = self._total
            self._grow(self.end + _GROW)
            empty_span = empty_span + _GROW if self._total == before else 0
            if empty_span >= _EMPTY_SPAN:
                raise NoWorkingTime("the working calendar has no working time left")
        j = bisect_left(self._cum_end, target)
        return self._starts[j] + (target - self._cum[j])


def _segments(start_ts, pauses):
    """Unpaused segments of a clock: [(seg_start, seg_end or None)], in order."""
    segments = []
    cursor = start_ts
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= cursor:
            continue
        pause_start = max(pause_start, cursor)
        segments.append((cursor, pause_start))
        if pause_end is None:
            return segments, True
        cursor = pause_end
    segments.append((cursor, None))
    return segments, False


def deadline_ts(timeline, start_ts, target_seconds, pauses=()):
    """Instant at which a clock started at ``start_ts`` reaches ``target_seconds`` of
    working time, not counting ``pauses`` (sorted timestamp pairs, end None while
    paused).

    Returns None while the clock is paused before reaching its target (the deadline is
    not known until the customer answers)."""
    if not pauses:
        return timeline.add(start_ts, target_seconds)
    remaining = target_seconds
    segments, _open = _segments(start_ts, pauses)
    for seg_start, seg_end in segments:
        if seg_end is None:
            return timeline.add(seg_start, remaining)
        available = timeline.measure(seg_start, seg_end)
        if remaining <= available:
            return timeline.add(seg_start, remaining)
        remaining -= available
    return None


def consumed_seconds(timeline, start_ts, at_ts, pauses=()):
    """Working seconds a clock has consumed between ``start_ts`` and ``at_ts``."""
    total = 0.0
    segments, _open = _segments(start_ts, pauses)
    for seg_start, seg_end in segments:
        if seg_start >= at_ts:
            break
        end = at_ts if seg_end is None else min(seg_end, at_ts)
        total += timeline.measure(seg_start, end)
    return total


def _merge_pauses(pauses):
    """Sorted pauses with overlapping ones merged (an open pause, end None, swallows
    every pause after its start)."""
    merged = []
    for pause_start, pause_end in sorted(pauses, key=lambda p: p[0]):
        if merged and (merged[-1][1] is None or pause_start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            end = (
                None
                if last_end is None or pause_end is None
                else max(last_end, pause_end)
            )
            merged[-1] = (last_start, end)
        else:
            merged.append((pause_start, pause_end))
    return merged


def paused_seconds(timeline, start_ts, at_ts, pauses=()):
    """Working seconds spent paused between ``start_ts`` and ``at_ts`` (time covered
    by two overlapping pauses counts once)."""
    total = 0.0
    for pause_start, pause_end in _merge_pauses(pauses):
        lo = max(pause_start, start_ts)
        hi = at_ts if pause_end is None else min(pause_end, at_ts)
        total += timeline.measure(lo, hi)
    return total


Clock = namedtuple("Clock", ["start", "target_seconds", "pauses"], defaults=((),))
Clock.__doc__ = """Input of :func:`compute_deadlines`: start (datetime), target in
working seconds, pauses as (start, end or None) datetimes."""


ClockFigures = namedtuple(
    "ClockFigures", ["deadline", "risk", "paused", "consumed", "paused_time"]
)
ClockFigures.__doc__ = """Where one clock stands (:func:`clock_figures`): deadline and
at-risk instant (timestamps; None while paused or not asked), whether a pause is open,
and the working seconds consumed and spent paused up to the instant asked (0 when not
asked)."""


def clock_figures(
    timeline, start_ts, target_seconds=None, pauses=(), risk_share=None, at_ts=None
):
    """Everything known of one clock, on one timeline: the arithmetic every caller
    shares (deadlines written back, the escalation instants, the live figures of a
    form, the history lines).

    ``target_seconds`` None skips the deadline; ``risk_share`` (0..1 of the target)
    None skips the at-risk instant; ``at_ts`` None skips the consumed and paused
    measures. The risk instant is None whenever the deadline is (paused clock)."""
    deadline = risk = None
    if target_seconds is not None:
        deadline = deadline_ts(timeline, start_ts, target_seconds, pauses)
        if deadline is not None and risk_share is not None:
            risk = deadline_ts(timeline, start_ts, target_seconds * risk_share, pauses)
    consumed = paused_time = 0.0
    if at_ts is not None:
        consumed = consumed_seconds(timeline, start_ts, at_ts, pauses)
        paused_time = paused_seconds(timeline, start_ts, at_ts, pauses)
    return ClockFigures(
        deadline=deadline,
        risk=risk,
        paused=bool(pauses) and pauses[-1][1] is None,
        consumed=consumed,
        paused_time=paused_time,
    )


def timelines(calendars, starts):
    """One :class:`Timeline` per calendar, covering from the earliest start of its
    clocks: ``starts`` is ``{calendar key: [start_ts, ...]}``, ``calendars``
    ``{calendar key: WorkCalendar}``; keys without a calendar are left out."""
    return {
        key: Timeline(calendars[key], min(values), max(values))
        for key, values in starts.items()
        if values and calendars.get(key)
    }


# Queue groups (by urgency and time left, first in first out): tickets with a running
# SLA deadline, then open tickets without one, then those waiting for the customer
# (nothing to do until they answer), then new requirements (evolutivos).
QUEUE_RANKS = {"deadline": 0, "open": 1, "waiting": 2, "evolutivo": 3}
ACTIVE_STATES = ("running", "paused")


def ticket_summary(clocks, uncovered=False):
    """The ticket-level SLA figures of one ticket from its clocks (all but the
    cancelled ones, oldest first): ``clocks`` are ``(kind, state, deadline,
    policy_id, contract_id, indicative, escalation)`` tuples. Returns the values of
    the ticket's ``sla_*`` summary fields: per-kind deadlines, the nearest deadline
    of the clocks still counting (a paused clock keeps the one it had), policy,
    contract and indicative flag of the clocks, paused, at risk (a running or paused
    clock escalated) and the queue group (``QUEUE_RANKS``)."""
    values = {
        "sla_response_deadline": None,
        "sla_resolution_deadline": None,
        "sla_reply_deadline": None,
        "sla_policy_id": None,
        "sla_contract_id": None,
        "sla_indicative": False,
        "sla_paused": False,
        "sla_at_risk": False,
    }
    counting = []
    for kind, state, deadline, policy_id, contract_id, indicative, escalation in clocks:
        values[f"sla_{kind}_deadline"] = deadline
        values["sla_policy_id"] = policy_id
        values["sla_contract_id"] = contract_id
        values["sla_indicative"] = bool(indicative)
        if state in ACTIVE_STATES and deadline:
            counting.append(deadline)
        if state == "paused":
            values["sla_paused"] = True
        if state in ACTIVE_STATES and escalation != "none":
            values["sla_at_risk"] = True
    values["sla_deadline"] = min(counting) if counting else None
    if uncovered:
        rank = QUEUE_RANKS["evolutivo"]
    elif values["sla_paused"]:
        rank = QUEUE_RANKS["waiting"]
    else:
        rank = QUEUE_RANKS["deadline" if counting else "open"]
    values["sla_queue_rank"] = rank
    return values


def compute_deadlines(calendar, clocks):
    """Deadlines (naive UTC datetimes, or None while paused) for many clocks on one
    calendar.

    One timeline is unrolled for the whole batch; each clock then costs a few binary
    searches.
    """
    clocks = list(clocks)
    if not clocks:
        return []
    starts = [to_ts(clock.start) for clock in clocks]
    timeline = timelines({0: calendar}, {0: starts})[0]
    result = []
    for clock, start_ts in zip(clocks, starts, strict=True):
        pauses = (
            sorted((to_ts(ps), to_ts(pe) if pe else None) for ps, pe in clock.pauses)
            if clock.pauses
            else ()
        )
        found = clock_figures(timeline, start_ts, clock.target_seconds, pauses).deadline
        result.append(from_ts(found) if found is not None else None)
    return result


def add_working_time(calendar, start, seconds):
    """``start`` plus ``seconds`` of working time (naive UTC datetime)."""
    start_ts = to_ts(start)
    return from_ts(calendar.timeline(start).add(start_ts, seconds))


def working_seconds_between(calendar, start, end):
    """Working seconds between two datetimes (0 when end is before start)."""
    if end <= start:
        return 0.0
    return calendar.timeline(start, end).measure(to_ts(start), to_ts(end))


__all__ = [
    "ACTIVE_STATES",
    "QUEUE_RANKS",
    "Attendance",
    "Clock",
    "ClockFigures",
    "NoWorkingTime",
    "Timeline",
    "WorkCalendar",
    "add_working_time",
    "clock_figures",
    "compute_deadlines",
    "consumed_seconds",
    "deadline_ts",
    "from_ts",
    "paused_seconds",
    "ticket_summary",
    "timelines",
    "to_ts",
    "week_type_of",
    "working_seconds_between",
]
