"""Plain-Python tests of the SLA working-time engine (no Odoo, no database)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import qubiq_sla_engine as eng
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MADRID = ZoneInfo("Europe/Madrid")
H = 3600


def local(*args):
    """Naive UTC datetime of a Madrid wall-clock time."""
    dt = datetime(*args, tzinfo=MADRID)
    return dt.astimezone(eng.UTC).replace(tzinfo=None)


def as_local(naive_utc):
    return naive_utc.replace(tzinfo=eng.UTC).astimezone(MADRID).replace(tzinfo=None)


# Monday-Friday 8:30-17:30 with a one-hour lunch break = 8 h a day.
QUBIQ = [(d, 8.5, 14.0) for d in range(5)] + [(d, 15.0, 17.5) for d in range(5)]
# A split shift 8:00-12:00 and 14:00-17:30.
SPLIT = [(d, 8.0, 12.0) for d in range(5)] + [(d, 14.0, 17.5) for d in range(5)]
# Spain's national holidays used by the stories below.
HOLIDAYS_2026 = [
    (local(2026, 1, 1), local(2026, 1, 2)),
    (local(2026, 1, 6), local(2026, 1, 7)),
    (local(2026, 4, 3), local(2026, 4, 4)),
    (local(2026, 5, 1), local(2026, 5, 2)),
    (local(2026, 10, 12), local(2026, 10, 13)),
    (local(2026, 12, 8), local(2026, 12, 9)),
    (local(2026, 12, 25), local(2026, 12, 26)),
]


@pytest.fixture(scope="module")
def qubiq():
    return eng.WorkCalendar(QUBIQ, "Europe/Madrid", HOLIDAYS_2026)


@pytest.fixture(scope="module")
def split():
    return eng.WorkCalendar(SPLIT, "Europe/Madrid")


def deadline(cal, start, hours, pauses=()):
    (found,) = eng.compute_deadlines(cal, [eng.Clock(start, hours * H, pauses)])
    return as_local(found) if found else None


# --- table-driven stories -------------------------------------------------------------


@pytest.mark.parametrize(
    "start, hours, expected",
    [
        # Grave ticket opened Friday 16:30: 1 h on Friday, 3 h on Monday.
        ((2026, 3, 6, 16, 30), 4, (2026, 3, 9, 11, 30)),
        # Same, resolution 48 h = six working days later at the same time.
        ((2026, 3, 6, 16, 30), 48, (2026, 3, 16, 16, 30)),
        # Lunch break 14:00-15:00 is not working time.
        ((2026, 3, 9, 13, 0), 2, (2026, 3, 9, 16, 0)),
        # Ending exactly at the close of the day stays on that day.
        ((2026, 3, 9, 15, 30), 2, (2026, 3, 9, 17, 30)),
        # Start on a Saturday: the clock starts on Monday 8:30.
        ((2026, 3, 7, 11, 0), 2, (2026, 3, 9, 10, 30)),
        # Start at 23:00: next morning.
        ((2026, 3, 9, 23, 0), 6, (2026, 3, 10, 15, 30)),
        # Crítica on the eve of Good Friday (3 April 2026), 2 h before closing:
        # 1 h on Thursday, holiday Friday, weekend, 1 h on Monday 6 April.
        ((2026, 4, 2, 16, 30), 2, (2026, 4, 6, 9, 30)),
        # Start on a holiday (12 October 2026, Monday): clock starts on Tuesday.
        ((2026, 10, 12, 10, 0), 6, (2026, 10, 13, 15, 30)),
        # DST starts Sunday 29 March 2026: Friday 16:30 + 4 h = Monday 11:30 local.
        ((2026, 3, 27, 16, 30), 4, (2026, 3, 30, 11, 30)),
        # DST ends Sunday 25 October 2026.
        ((2026, 10, 23, 16, 30), 4, (2026, 10, 26, 11, 30)),
        # 60 h (Leve resolution) across the 8 December holiday: Monday 7.5 h, Tuesday
        # off, Wednesday to Wednesday 6 x 8 h = 48 h, Thursday 17th 4.5 h -> 13:00.
        ((2026, 12, 7, 9, 0), 60, (2026, 12, 17, 13, 0)),
    ],
)
def test_stories(qubiq, start, hours, expected):
    assert deadline(qubiq, local(*start), hours) == datetime(*expected)


def test_split_shift_minutes(split):
    # Priority 1 answered within 30 working minutes; 11:50 + 30 min = 14:20.
    (found,) = eng.compute_deadlines(
        split, [eng.Clock(local(2026, 3, 9, 11, 50), 30 * 60)]
    )
    assert as_local(found) == datetime(2026, 3, 9, 14, 20)
    # 90 minutes from 17:00: 30 min today, 60 min tomorrow from 8:00.
    (found,) = eng.compute_deadlines(
        split, [eng.Clock(local(2026, 3, 9, 17, 0), 90 * 60)]
    )
    assert as_local(found) == datetime(2026, 3, 10, 9, 0)


def test_pause_over_night_and_weekend(qubiq):
    # Opened Thursday 9:00 with 6 h; waiting for the customer from Thursday 10:00 until
    # Monday 10:00 (spanning a night and a weekend): 1 h consumed before the pause,
    # 5 h after -> Monday 16:00 (lunch 14-15).
    pauses = [(local(2026, 3, 12, 10, 0), local(2026, 3, 16, 10, 0))]
    assert deadline(qubiq, local(2026, 3, 12, 9, 0), 6, pauses) == datetime(
        2026, 3, 16, 16, 0
    )


def test_open_pause_has_no_deadline_until_resumed(qubiq):
    pauses = [(local(2026, 3, 12, 10, 0), None)]
    assert deadline(qubiq, local(2026, 3, 12, 9, 0), 6, pauses) is None
    # But a target already used up before the pause keeps its (breached) deadline.
    assert deadline(qubiq, local(2026, 3, 12, 9, 0), 0.5, pauses) == datetime(
        2026, 3, 12, 9, 30
    )


def test_pause_after_deadline_does_not_move_it(qubiq):
    pauses = [(local(2026, 3, 13, 9, 0), local(2026, 3, 16, 9, 0))]
    assert deadline(qubiq, local(2026, 3, 12, 9, 0), 2, pauses) == datetime(
        2026, 3, 12, 11, 0
    )


def test_pause_before_start_is_ignored(qubiq):
    pauses = [(local(2026, 3, 10, 9, 0), local(2026, 3, 11, 9, 0))]
    assert deadline(qubiq, local(2026, 3, 12, 9, 0), 2, pauses) == datetime(
        2026, 3, 12, 11, 0
    )


def test_consumed_and_paused_seconds(qubiq):
    tl = qubiq.timeline(local(2026, 3, 12, 9, 0))
    start = eng.to_ts(local(2026, 3, 12, 9, 0))
    pauses = [
        (eng.to_ts(local(2026, 3, 12, 10, 0)), eng.to_ts(local(2026, 3, 16, 10, 0)))
    ]
    at = eng.to_ts(local(2026, 3, 16, 12, 0))
    assert eng.consumed_seconds(tl, start, at, pauses) == 3 * H
    # Paused: Thu 10-17:30 (6.5 h) + Fri 8 h + Mon 8:30-10 (1.5 h) = 16 h of working
    # time.
    assert eng.paused_seconds(tl, start, at, pauses) == 16 * H


def test_calendar_without_working_time_raises():
    cal = eng.WorkCalendar([], "Europe/Madrid")
    with pytest.raises(eng.NoWorkingTime):
        eng.add_working_time(cal, datetime(2026, 3, 9), H)


def test_invalid_attendance_is_refused():
    with pytest.raises(ValueError):
        eng.WorkCalendar([(0, 17, 9)], "Europe/Madrid")
    with pytest.raises(ValueError):
        eng.WorkCalendar([(7, 8, 9)], "Europe/Madrid")


def test_two_week_calendar_alternates():
    # Odd weeks work on Monday only, even weeks on Tuesday only.
    cal = eng.WorkCalendar(
        [(0, 9, 17, 1), (1, 9, 17, 0)], "Europe/Madrid", two_weeks=True
    )
    monday = datetime(2026, 3, 9)
    parity = eng.week_type_of(monday.date())
    found = as_local(eng.add_working_time(cal, local(2026, 3, 9, 0, 0), H))
    expected_day = 9 if parity == 1 else 10
    assert found == datetime(2026, 3, expected_day, 10, 0)


def test_long_holiday_does_not_stop_the_clock():
    # A whole year of holidays: the deadline lands after it.
    cal = eng.WorkCalendar(
        QUBIQ, "Europe/Madrid", [(local(2026, 1, 1), local(2027, 1, 1))]
    )
    found = as_local(eng.add_working_time(cal, local(2026, 1, 1), 2 * H))
    assert found == datetime(2027, 1, 1, 10, 30)


# --- properties ---------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)
)
seconds = st.integers(min_value=1, max_value=80 * H)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=instants, amount=seconds)
def test_add_then_measure_round_trips(qubiq, start, amount):
    end = eng.add_working_time(qubiq, start, amount)
    assert end > start
    assert eng.working_seconds_between(qubiq, start, end) == pytest.approx(
        amount, abs=1e-3
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=instants, amount=seconds)
def test_deadline_is_inside_working_time(qubiq, start, amount):
    end = as_local(eng.add_working_time(qubiq, start, amount))
    assert end.weekday() < 5
    minutes = end.hour * 60 + end.minute + end.second / 60
    assert 8.5 * 60 < minutes <= 14 * 60 or 15 * 60 < minutes <= 17.5 * 60


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=instants, a=seconds, b=seconds)
def test_adding_is_additive(split, start, a, b):
    direct = eng.add_working_time(split, start, a + b)
    stepwise = eng.add_working_time(split, eng.add_working_time(split, start, a), b)
    assert abs((direct - stepwise).total_seconds()) < 1e-3


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=instants,
    amount=seconds,
    pause_offset=st.integers(min_value=0, max_value=20 * 24 * H),
    pause_length=st.integers(min_value=1, max_value=10 * 24 * H),
)
def test_closed_pause_extends_by_its_working_time(
    qubiq, start, amount, pause_offset, pause_length
):
    p_start = start + timedelta(seconds=pause_offset)
    p_end = p_start + timedelta(seconds=pause_length)
    (with_pause,) = eng.compute_deadlines(
        qubiq, [eng.Clock(start, amount, [(p_start, p_end)])]
    )
    plain = eng.add_working_time(qubiq, start, amount)
    if plain <= p_start:
        assert with_pause == plain
    else:
        tl = qubiq.timeline(start)
        paused = eng.paused_seconds(
            tl,
            eng.to_ts(start),
            eng.to_ts(with_pause),
            [(eng.to_ts(p_start), eng.to_ts(p_end))],
        )
        consumed = eng.working_seconds_between(qubiq, start, with_pause) - paused
        assert consumed == pytest.approx(amount, abs=1e-3)
        assert with_pause >= plain


def test_batch_equals_one_by_one(qubiq):
    starts = [local(2026, 3, 2, 7, 0) + timedelta(minutes=97 * i) for i in range(500)]
    clocks = [eng.Clock(s, (i % 60 + 1) * H) for i, s in enumerate(starts)]
    batch = eng.compute_deadlines(qubiq, clocks)
    single = [eng.add_working_time(qubiq, c.start, c.target_seconds) for c in clocks]
    assert batch == single


# --- one function per clock, whatever the batch ---------------------------------------


def test_measure_before_the_timeline_start_keeps_one_base(qubiq):
    """A timeline built for a later ticket, then asked about an earlier one, rebuilds
    itself from earlier: both reads of one measure must share the new base."""
    early, late = local(2026, 3, 2, 9, 0), local(2026, 3, 16, 9, 0)
    at = eng.to_ts(local(2026, 3, 20, 12, 0))
    shared = eng.timelines({0: qubiq}, {0: [eng.to_ts(late)]})[0]
    figures = eng.clock_figures(shared, eng.to_ts(early), at_ts=at)
    # Mon 2 March 9:00-17:30 (7.5 h) + Tue 3 .. Fri 13 (9 days x 8 h) + Mon 16 ..
    # Thu 19 (4 x 8 h) + Fri 20 8:30-12:00 (3.5 h) = 115 h, 6,900 working minutes.
    assert figures.consumed == 115 * H


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=60 * 24 * 60),
            st.integers(min_value=1, max_value=80),
        ),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_figures_do_not_depend_on_the_batch(qubiq, clocks, rng):
    """Every clock measured on a timeline shared with others, in any order, reads
    the same as measured alone."""
    base = local(2026, 2, 2, 0, 0)
    at = eng.to_ts(local(2026, 5, 29, 12, 0))
    items = [
        (eng.to_ts(base + timedelta(minutes=offset)), hours * H)
        for offset, hours in clocks
    ]
    alone = [
        eng.clock_figures(
            eng.timelines({0: qubiq}, {0: [start]})[0],
            start,
            target,
            risk_share=0.75,
            at_ts=at,
        )
        for start, target in items
    ]
    order = list(range(len(items)))
    rng.shuffle(order)
    # The shared timeline starts from the first clock read, as a live compute of a
    # list would, and is then asked about the others in a random order.
    shared = eng.timelines({0: qubiq}, {0: [items[order[0]][0]]})[0]
    for index in order:
        start, target = items[index]
        # Measured first (as the live figures of a form are), then with deadlines.
        measured = eng.clock_figures(shared, start, at_ts=at)
        assert measured.consumed == alone[index].consumed
        assert measured.paused_time == alone[index].paused_time
        together = eng.clock_figures(shared, start, target, risk_share=0.75, at_ts=at)
        assert together == alone[index]


def test_ticket_summary_and_queue_rank():
    deadline_1, deadline_2 = datetime(2026, 3, 9, 12), datetime(2026, 3, 10, 9)
    summary = eng.ticket_summary(
        [
            ("response", "met", deadline_1, 1, 2, False, "none"),
            ("resolution", "running", deadline_2, 1, 2, False, "at_risk"),
        ]
    )
    assert summary["sla_response_deadline"] == deadline_1
    assert summary["sla_deadline"] == deadline_2
    assert summary["sla_at_risk"] is True
    assert summary["sla_queue_rank"] == eng.QUEUE_RANKS["deadline"]
    paused = eng.ticket_summary(
        [("resolution", "paused", deadline_2, 1, False, True, "none")]
    )
    assert paused["sla_paused"] and paused["sla_indicative"]
    assert paused["sla_deadline"] == deadline_2
    assert paused["sla_queue_rank"] == eng.QUEUE_RANKS["waiting"]
    assert eng.ticket_summary([])["sla_queue_rank"] == eng.QUEUE_RANKS["open"]
    assert (
        eng.ticket_summary([], True)["sla_queue_rank"] == eng.QUEUE_RANKS["evolutivo"]
    )


def test_overlapping_pauses_count_their_overlap_once(qubiq):
    tl = qubiq.timeline(local(2026, 3, 9, 8, 30))
    start = eng.to_ts(local(2026, 3, 9, 8, 30))
    pauses = sorted(
        [
            (eng.to_ts(local(2026, 3, 9, 9, 0)), eng.to_ts(local(2026, 3, 9, 11, 0))),
            (eng.to_ts(local(2026, 3, 9, 10, 0)), eng.to_ts(local(2026, 3, 9, 12, 0))),
        ]
    )
    at = eng.to_ts(local(2026, 3, 9, 13, 0))
    # Paused 9:00-12:00 = 3 h; running 8:30-9:00 and 12:00-13:00 = 1.5 h.
    assert eng.paused_seconds(tl, start, at, pauses) == 3 * H
    assert eng.consumed_seconds(tl, start, at, pauses) == 1.5 * H
