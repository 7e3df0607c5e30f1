"""Plain-Python tests of the hours-bank arithmetic (no Odoo, no database)."""

from datetime import date, timedelta

import pytest
import qubiq_hours_engine as eng
from hypothesis import given
from hypothesis import strategies as st

M = 60  # one minute, in seconds
H = 3600

# --- rounding: table-driven stories (30-minute blocks with a 30-minute minimum) ---


@pytest.mark.parametrize(
    "real_minutes, block, minimum, billed_minutes",
    [
        (0, 30, 30, 0),  # no work, nothing billed
        (1, 30, 30, 30),
        (10, 30, 30, 30),  # the story: 10 min -> 0.5 h
        (30, 30, 30, 30),
        (31, 30, 30, 60),  # the story: 31 min -> 1 h
        (60, 30, 30, 60),
        (61, 30, 30, 90),
        (10, 15, 60, 60),  # a one-hour minimum in quarter-hour blocks
        (65, 15, 60, 75),
        (10, 20, 30, 40),  # a minimum that is not a whole block: rounded up too
        (7, 0, 0, 7),  # no rounding at all
        (7, 0, 15, 15),  # only a minimum
    ],
)
def test_billed_seconds(real_minutes, block, minimum, billed_minutes):
    assert eng.billed_seconds(real_minutes * M, block * M, minimum * M) == (
        billed_minutes * M
    )


def test_billed_seconds_to_the_second():
    # 30 minutes and one second of real time is already a second block.
    assert eng.billed_seconds(30 * M + 1, 30 * M, 30 * M) == 60 * M
    assert eng.to_seconds(31 / 60) == 31 * M
    assert eng.to_seconds(10 / 60) == 10 * M


def test_negative_rule_refused():
    with pytest.raises(ValueError):
        eng.billed_seconds(10, -1, 0)


def test_increments_of_a_day_on_one_ticket():
    # 10 + 10 + 15 minutes on the same ticket and day: 35 min -> one hour in all;
    # the first line takes the minimum, the third the second block.
    assert eng.billed_increments([10 * M, 10 * M, 15 * M], 30 * M, 30 * M) == [
        30 * M,
        0,
        30 * M,
    ]


def test_increments_keep_frozen_lines():
    # The first line is invoiced at 30 min; the day grows to 50 min: the second line
    # takes the second block, the frozen one keeps its value.
    assert eng.billed_increments(
        [20 * M, 30 * M], 30 * M, 30 * M, frozen=[30 * M, None]
    ) == [30 * M, 30 * M]


def test_bill_lines_per_group():
    lines = [
        eng.TimeLine(1, ("t1", "d1"), (1,), 10 * M),
        eng.TimeLine(2, ("t1", "d1"), (2,), 10 * M),
        eng.TimeLine(3, ("t1", "d2"), (3,), 10 * M),
        eng.TimeLine(4, ("t2", "d1"), (4,), 40 * M),
    ]
    assert eng.bill_lines(lines, 30 * M, 30 * M) == {
        1: 30 * M,
        2: 0,
        3: 30 * M,
        4: 60 * M,
    }


def test_format_duration():
    assert eng.format_duration(0) == "0:00"
    assert eng.format_duration(31 * M) == "0:31"
    assert eng.format_duration(25 * H + 30 * M) == "25:30"
    assert eng.format_duration(-90 * M) == "-1:30"
    assert eng.format_duration(29) == "0:00"
    assert eng.format_duration(30) == "0:01"


# --- rounding: properties ------------------------------------------------------------

reals = st.integers(min_value=0, max_value=20 * H)
blocks = st.sampled_from([0, 1, 5 * M, 15 * M, 20 * M, 30 * M, 60 * M])
minimums = st.sampled_from([0, 10 * M, 15 * M, 30 * M, 60 * M])


@given(reals, blocks, minimums)
def test_billed_is_never_below_real_and_respects_the_rule(real, block, minimum):
    billed = eng.billed_seconds(real, block, minimum)
    if real == 0:
        assert billed == 0
        return
    assert billed >= real
    assert billed >= minimum
    if block:
        assert billed % block == 0
        assert billed < max(real, minimum) + block  # never a block too many
    else:
        assert billed == max(real, minimum)


@given(st.lists(reals, max_size=12), blocks, minimums)
def test_increments_add_up_to_the_rounded_day(day, block, minimum):
    increments = eng.billed_increments(day, block, minimum)
    assert sum(increments) == eng.billed_seconds(sum(day), block, minimum)
    assert sum(increments) >= sum(day)
    assert all(i >= 0 for i in increments)
    if block:
        assert all(i % block == 0 for i in increments)
    # Appending a line never changes the lines before it.
    assert eng.billed_increments(day + [15 * M], block, minimum)[: len(day)] == (
        increments
    )


# --- allocation: stories -------------------------------------------------------------

D = date(2026, 3, 1)


def day(n):
    return D + timedelta(days=n)


def test_two_packs_oldest_first():
    old = eng.Pack("old", 2 * H, day(0))
    new = eng.Pack("new", 10 * H, day(5))
    result = eng.allocate(
        [new, old],
        [
            eng.Demand("a", day(6), 90 * M),
            eng.Demand("b", day(7), 60 * M),  # straddles: 30 min old, 30 min new
        ],
    )
    assert result == {"a": [("old", 90 * M)], "b": [("old", 30 * M), ("new", 30 * M)]}


def test_expiring_first_then_expiry_then_overage():
    short = eng.Pack("short", 1 * H, day(0), day(10))
    longer = eng.Pack("long", 1 * H, day(0), day(60))
    result = eng.allocate(
        [longer, short],
        [
            eng.Demand("a", day(1), 30 * M),  # the pack expiring first is used first
            eng.Demand("b", day(20), 60 * M),  # "short" has expired: "long" only
            eng.Demand("c", day(30), 60 * M),  # 30 min left, then overage
            eng.Demand("d", day(90), 30 * M),  # both expired: all overage
        ],
    )
    assert result == {
        "a": [("short", 30 * M)],
        "b": [("long", 60 * M)],
        "c": [(None, 60 * M)],
        "d": [(None, 30 * M)],
    }


def test_used_capacity_and_direct_demands():
    pack = eng.Pack("p", 2 * H, day(0))
    result = eng.allocate(
        [pack],
        [
            eng.Demand("evo", day(1), 60 * M, direct=True),  # invoiced apart
            eng.Demand("inc", day(2), 90 * M),
        ],
        used={"p": 60 * M},
    )
    assert result == {"evo": [(None, 60 * M)], "inc": [("p", 60 * M), (None, 30 * M)]}


def test_pack_not_started_is_not_used():
    pack = eng.Pack("p", 2 * H, day(10))
    assert eng.allocate([pack], [eng.Demand("a", day(1), H)]) == {"a": [(None, H)]}


# --- allocation: properties ----------------------------------------------------------

pack_st = st.builds(
    lambda key, hours, start, length: eng.Pack(
        key, hours * 30 * M, day(start), day(start + length) if length else None
    ),
    st.integers(0, 10_000),
    st.integers(0, 40),
    st.integers(0, 60),
    st.one_of(st.just(0), st.integers(1, 90)),
)
demand_st = st.builds(
    lambda key, d, secs, direct: eng.Demand(key, day(d), secs, direct=direct),
    st.integers(0, 10_000),
    st.integers(0, 150),
    st.integers(0, 5 * H),
    st.booleans(),
)


def _unique(items):
    return list({item.key: item for item in items}.values())


@given(st.lists(pack_st, max_size=5).map(_unique), st.lists(demand_st, max_size=25))
def test_allocation_conserves_hours(packs, demands):
    demands = _unique(demands)
    result = eng.allocate(packs, demands)
    capacity = {p.key: p.seconds for p in packs}
    used = dict.fromkeys(capacity, 0)
    by_key = {p.key: p for p in packs}
    for demand in demands:
        parts = result[demand.key]
        assert sum(s for _k, s in parts) == demand.seconds  # nothing lost or created
        for key, seconds in parts:
            assert seconds > 0
            if key is None:
                continue
            assert not demand.direct
            assert by_key[key].valid_on(demand.day)
            used[key] += seconds
    assert all(used[k] <= capacity[k] for k in capacity)


@given(st.lists(pack_st, max_size=5).map(_unique), st.lists(demand_st, max_size=25))
def test_allocation_is_oldest_first(packs, demands):
    """Replaying the demands in order: a demand only takes a pack when every valid
    pack expiring before it is used up, and only goes over when all valid packs are
    used up."""
    demands = sorted(_unique(demands), key=lambda d: (d.day, d.order, str(d.key)))
    result = eng.allocate(packs, demands)
    left = {p.key: p.seconds for p in packs}
    for demand in demands:
        if demand.direct:
            continue
        for key, seconds in result[demand.key]:
            valid = [p for p in packs if p.valid_on(demand.day) and left[p.key] > 0]
            if key is None:
                assert not valid
                continue
            pack = next(p for p in packs if p.key == key)
            assert all(p.priority() >= pack.priority() for p in valid)
            left[key] -= seconds


# --- balances ------------------------------------------------------------------------


def test_summarize_positions_and_period():
    as_of = day(40)
    packs = [
        # expired on day 30 with 1 h unused
        eng.PackPosition("old", 10 * H, day(0), day(30), 9 * H, 10 * H),
        # in force, half paid, 4 h consumed: 16 h left of which 6 h paid
        eng.PackPosition("cur", 20 * H, day(20), None, 4 * H, 10 * H),
        # starts after the period: not counted
        eng.PackPosition("future", 5 * H, day(50), None, 0, 0),
    ]
    consumption = eng.Consumption(real=12 * H, billed=13 * H, overage=0)
    balance = eng.summarize(packs, consumption, as_of, date_from=day(10))
    assert balance.contracted == 20 * H  # only "cur" starts in the period
    assert balance.remaining == 16 * H
    assert balance.contracted_available == 16 * H
    assert balance.expired == 1 * H
    assert balance.paid_available == 6 * H
    assert balance.in_force == 20 * H
    assert balance.used_percent == 20.0
    assert balance.consumed_billed == 13 * H
    everything = eng.summarize(packs, consumption, as_of)
    assert everything.contracted == 30 * H


def test_paid_seconds():
    assert eng.paid_seconds(20 * H, 1000.0, 500.0) == 10 * H
    assert eng.paid_seconds(20 * H, 1000.0, 1200.0) == 20 * H
    assert eng.paid_seconds(20 * H, 0.0, 0.0) == 20 * H  # a free pack
    assert eng.paid_seconds(20 * H, 1000.0, -10.0) == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 80)),
        max_size=6,
    ),
    st.integers(0, 60),
)
def test_remaining_plus_consumed_plus_expired_is_contracted(specs, as_of_day):
    as_of = day(as_of_day)
    packs = []
    for index, (hours, start, length) in enumerate(specs):
        seconds = hours * H
        consumed = min(seconds, (hours // 2) * H)
        end = day(start + length) if length % 3 else None
        packs.append(eng.PackPosition(index, seconds, day(start), end, consumed, 0))
    balance = eng.summarize(packs, eng.Consumption(), as_of)
    counted = [p for p in packs if p.start <= as_of]
    assert balance.contracted == sum(p.seconds for p in counted)
    assert balance.remaining + balance.expired + sum(p.consumed for p in counted) == (
        balance.contracted
    )
    assert 0 <= balance.paid_available <= balance.remaining


# --- warnings ------------------------------------------------------------------------


def test_thresholds_once_per_crossing():
    percent = eng.Threshold("20%", "percent", 20.0)
    hours = eng.Threshold("2h", "hours", 2.0)
    # 20 h in force, 5 h left: above both.
    assert eng.threshold_changes([percent, hours], 5 * H, 20 * H) == ([], [])
    # 4 h left: 20 % reached.
    assert eng.threshold_changes([percent, hours], 4 * H, 20 * H) == (["20%"], [])
    notified = eng.Threshold("20%", "percent", 20.0, notified=True)
    # Lower still: already notified, nothing new; 2 h threshold reached now.
    assert eng.threshold_changes([notified, hours], 2 * H, 20 * H) == (["2h"], [])
    # A new pack brings the bank back above: re-armed.
    assert eng.threshold_changes([notified], 30 * H, 40 * H) == ([], ["20%"])
    # No hours in force: no warning.
    assert eng.threshold_changes([percent], 0, 0) == ([], [])


def test_excess_limit():
    assert eng.excess_limit(6 * H, 8 * H) == 6 * H  # the evolutivo's estimate wins
    assert eng.excess_limit(0, 8 * H) == 8 * H
    assert eng.excess_limit(0, 0) is None
    assert eng.is_excessive(8 * H + 1, 8 * H)
    assert not eng.is_excessive(8 * H, 8 * H)
    assert not eng.is_excessive(100 * H, None)


# --- periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, expected",
    [
        ("this_month", (date(2026, 5, 1), date(2026, 5, 20))),
        ("last_month", (date(2026, 4, 1), date(2026, 4, 30))),
        ("last_3_months", (date(2026, 3, 1), date(2026, 5, 20))),
        ("this_quarter", (date(2026, 4, 1), date(2026, 5, 20))),
        ("this_year", (date(2026, 1, 1), date(2026, 5, 20))),
        ("last_year", (date(2025, 1, 1), date(2025, 12, 31))),
        ("all", (None, date(2026, 5, 20))),
    ],
)
def test_period_bounds(period, expected):
    assert eng.period_bounds(period, date(2026, 5, 20)) == expected


def test_period_bounds_across_the_year():
    assert eng.period_bounds("last_month", date(2026, 1, 15)) == (
        date(2025, 12, 1),
        date(2025, 12, 31),
    )
    assert eng.period_bounds("last_3_months", date(2026, 2, 10))[0] == date(2025, 12, 1)
    with pytest.raises(ValueError):
        eng.period_bounds("fortnight", date(2026, 1, 1))
