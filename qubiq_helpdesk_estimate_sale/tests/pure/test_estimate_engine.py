"""Plain-Python tests of the estimate arithmetic (no Odoo, no database)."""

import pytest
import qubiq_estimate_engine as est
import qubiq_hours_engine as hours


@pytest.mark.parametrize(
    ("hours_in", "expected"),
    [
        (0.0, 0.0),
        (0.1, 0.5),  # 6 minutes: the 30-minute minimum
        (0.5, 0.5),
        (0.51, 1.0),  # one more minute: a whole new block
        (2.0, 2.0),
        (2.25, 2.5),
        (7.75, 8.0),
    ],
)
def test_rounded_to_30_minute_blocks_with_30_minute_minimum(hours_in, expected):
    assert est.rounded_hours(hours_in, 30, 30, hours.billed_seconds) == expected


def test_no_block_keeps_the_hours_above_the_minimum():
    assert est.rounded_hours(1.25, 0, 30, hours.billed_seconds) == 1.25
    assert est.rounded_hours(0.25, 0, 60, hours.billed_seconds) == 1.0


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        est.rounded_hours(-1, 30, 30, hours.billed_seconds)


@pytest.mark.parametrize(
    ("consumed", "estimate", "level"),
    [
        (0.0, 10.0, 0),
        (7.99, 10.0, 0),
        (8.0, 10.0, 80),
        (9.99, 10.0, 80),
        (10.0, 10.0, 100),
        (15.0, 10.0, 100),
        (5.0, 0.0, 0),  # no estimate: never warned
        # 0:48 of 1:00 in minutes summed as floats
        (sum([1 / 60] * 48), 1.0, 80),
    ],
)
def test_threshold_levels(consumed, estimate, level):
    assert est.reached_threshold(consumed, estimate) == level
