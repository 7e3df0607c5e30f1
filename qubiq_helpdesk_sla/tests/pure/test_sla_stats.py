"""Compliance arithmetic: percentiles and summaries (no Odoo)."""

import importlib.util
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

_PATH = Path(__file__).resolve().parents[2] / "models" / "sla_stats.py"
_spec = importlib.util.spec_from_file_location("qubiq_sla_stats", _PATH)
stats = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stats)

minutes = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1)


def test_percentile_interpolates_like_postgresql():
    # percentile_cont(0.9) within group (order by x) over 10, 20, ..., 100 = 91.
    assert stats.percentile(range(10, 101, 10), 0.9) == pytest.approx(91.0)
    assert stats.percentile([5], 0.9) == 5
    assert stats.percentile([], 0.9) is None
    assert stats.percentile([3, 1, 2], 0.5) == 2


def test_percentile_refuses_a_share_outside_0_1():
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 90)


def test_summary_counts_overdue_against_the_met_rate():
    outcomes = [
        stats.Outcome(True, 60),
        stats.Outcome(True, 120),
        stats.Outcome(False, 600),
    ]
    summary = stats.summarize(outcomes, overdue=1)
    assert (summary.count, summary.met, summary.missed, summary.overdue) == (3, 2, 1, 1)
    assert summary.met_rate == 50.0
    assert summary.mean_minutes == 260.0
    assert summary.p90_minutes == pytest.approx(504.0)


def test_empty_summary_has_no_rate():
    summary = stats.summarize([])
    assert summary.met_rate is None and summary.mean_minutes is None


@given(minutes, st.floats(min_value=0, max_value=1))
def test_percentile_lies_between_min_and_max(values, share):
    found = stats.percentile(values, share)
    assert min(values) - 1e-6 <= found <= max(values) + 1e-6


@given(minutes)
def test_median_matches_statistics(values):
    assert stats.percentile(values, 0.5) == pytest.approx(statistics.median(values))


@given(
    st.lists(st.tuples(st.booleans(), st.floats(0, 1e5)), max_size=50),
    st.integers(0, 5),
)
def test_met_plus_missed_is_count(rows, overdue):
    summary = stats.summarize([stats.Outcome(*row) for row in rows], overdue)
    assert summary.met + summary.missed == summary.count == len(rows)
    if summary.met_rate is not None:
        assert 0 <= summary.met_rate <= 100
