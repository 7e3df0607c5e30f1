"""Plain-Python tests of the intervention overlap detection (no Odoo)."""

from datetime import datetime, timedelta
from itertools import combinations

import pytest
import qubiq_intervention_schedule_engine as eng
from hypothesis import given
from hypothesis import strategies as st


def at(hour, minute=0):
    return datetime(2025, 3, 12, hour, minute)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((at(9), at(10)), (at(10), at(11)), False),  # touching: back to back
        ((at(10), at(11)), (at(9), at(10)), False),  # touching, other order
        ((at(9), at(10)), (at(9, 59), at(11)), True),  # one minute together
        ((at(9), at(12)), (at(10), at(11)), True),  # inside
        ((at(9), at(10)), (at(9), at(10)), True),  # the same slot
        ((at(9), at(10)), (at(11), at(12)), False),  # apart
    ],
)
def test_overlaps(a, b, expected):
    assert eng.overlaps(*a, *b) is expected
    assert eng.find_conflicts([(1, "ana", *a), (2, "ana", *b)]) == (
        {1: {2}, 2: {1}} if expected else {1: set(), 2: set()}
    )


def test_other_technician_is_no_conflict():
    slots = [(1, "ana", at(9), at(11)), (2, "luis", at(10), at(12))]
    assert eng.find_conflicts(slots) == {1: set(), 2: set()}


def test_incomplete_or_reversed_slots_never_conflict():
    slots = [
        (1, "ana", at(9), at(12)),
        (2, False, at(9), at(12)),  # no technician
        (3, "ana", None, at(12)),  # no start
        (4, "ana", at(11), at(10)),  # end before start
        (5, "ana", at(10), at(10)),  # empty
    ]
    assert eng.find_conflicts(slots) == {k: set() for k in range(1, 6)}


def test_chain_of_three():
    slots = [
        (1, "ana", at(9), at(11)),
        (2, "ana", at(10), at(12)),
        (3, "ana", at(11, 30), at(13)),
        (4, "ana", at(13), at(14)),  # touches 3
    ]
    assert eng.find_conflicts(slots) == {1: {2}, 2: {1, 3}, 3: {2}, 4: set()}


def test_a_long_slot_overlaps_later_ones():
    slots = [
        (1, "ana", at(8), at(18)),
        (2, "ana", at(9), at(10)),
        (3, "ana", at(12), at(13)),
    ]
    assert eng.find_conflicts(slots) == {1: {2, 3}, 2: {1}, 3: {1}}


minutes = st.integers(min_value=0, max_value=600)
slot_strategy = st.tuples(
    st.sampled_from(["ana", "luis"]), minutes, st.integers(min_value=1, max_value=180)
)


@given(st.lists(slot_strategy, max_size=25))
def test_sweep_matches_pairwise(raw):
    base = at(0)
    slots = [
        (key, resource, base + timedelta(minutes=s), base + timedelta(minutes=s + d))
        for key, (resource, s, d) in enumerate(raw)
    ]
    expected = {slot[0]: set() for slot in slots}
    for a, b in combinations(slots, 2):
        if a[1] == b[1] and eng.overlaps(a[2], a[3], b[2], b[3]):
            expected[a[0]].add(b[0])
            expected[b[0]].add(a[0])
    assert eng.find_conflicts(slots) == expected
