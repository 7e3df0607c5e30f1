"""Plain-Python tests of the account review rules (no Odoo, no database)."""

from datetime import date

import pytest
import qubiq_review_engine as eng

H = 3600


def weekdays(day):
    return day.weekday() < 5


@pytest.mark.parametrize(
    "today, key",
    [
        (date(2026, 4, 1), "2026-03"),
        (date(2026, 1, 2), "2025-12"),
        (date(2026, 3, 31), "2026-02"),
    ],
)
def test_previous_month(today, key):
    assert eng.previous_month(today) == key


def test_month_bounds_leap_and_december():
    assert eng.month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert eng.month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))


def test_first_working_day_skips_weekend_and_holiday():
    # 1 August 2026 is a Saturday: Monday the 3rd.
    assert eng.first_working_day(2026, 8, weekdays) == date(2026, 8, 3)
    # 1 January is a holiday, the 2nd a Friday.
    holidays = {date(2026, 1, 1)}
    assert eng.first_working_day(
        2026, 1, lambda d: weekdays(d) and d not in holidays
    ) == date(2026, 1, 2)
    assert eng.first_working_day(2026, 1, lambda d: False) is None


def test_pack_due_from_first_working_day_on():
    assert not eng.pack_due(date(2026, 8, 1), weekdays)
    assert eng.pack_due(date(2026, 8, 3), weekdays)
    assert eng.pack_due(date(2026, 8, 4), weekdays)


def test_weekly_pace_counts_weeks_without_consumption():
    assert eng.weekly_pace([4 * H, 4 * H], 8) == H
    assert eng.weekly_pace([], 4) == 0
    with pytest.raises(ValueError):
        eng.weekly_pace([H], 0)


def test_runout_forecast():
    assert eng.runout_weeks(10 * H, 2 * H) == 5
    assert eng.runout_weeks(10 * H, 0) is None
    assert eng.runs_out_within(6 * H, 2 * H, 4)  # 3 weeks
    assert not eng.runs_out_within(10 * H, 2 * H, 4)  # 5 weeks
    assert not eng.runs_out_within(0, 2 * H, 4)  # already out
    assert not eng.runs_out_within(6 * H, 0, 4)  # nothing consumed


def test_expiring_unused():
    today = date(2026, 3, 10)
    assert eng.expiring_unused(H, date(2026, 4, 9), today, 30)
    assert not eng.expiring_unused(H, date(2026, 4, 10), today, 30)
    assert not eng.expiring_unused(0, date(2026, 3, 20), today, 30)
    assert not eng.expiring_unused(H, None, today, 30)
    assert not eng.expiring_unused(H, date(2026, 3, 9), today, 30)


def test_compliance_target():
    assert eng.met_rate(9, 1) == 90
    assert eng.met_rate(0, 0) is None
    assert eng.below_target(8, 2, 90)
    assert not eng.below_target(9, 1, 90)
    assert not eng.below_target(0, 0, 90)


def test_unhappy_from_two_ratings():
    assert not eng.unhappy(1)
    assert eng.unhappy(2)
