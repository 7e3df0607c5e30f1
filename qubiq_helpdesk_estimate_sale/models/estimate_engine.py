"""Estimate arithmetic (plain Python, nothing from Odoo): block rounding of the
estimated hours and the consumption warnings (80 % and 100 % of the estimate)."""

# Warning levels, in percent of the estimate, from the lowest.
THRESHOLDS = (80, 100)


def rounded_hours(hours, block_minutes, minimum_minutes, billed_seconds):
    """``hours`` rounded up to whole blocks of ``block_minutes`` with a minimum of
    ``minimum_minutes``, by the hours bank's billing rule ``billed_seconds(real,
    block, minimum)`` (seconds in, seconds out). Zero stays zero."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    seconds = round(hours * 3600)
    if not seconds:
        return 0.0
    billed = billed_seconds(
        seconds, (block_minutes or 0) * 60, (minimum_minutes or 0) * 60
    )
    return billed / 3600


def reached_threshold(consumed_hours, estimate_hours):
    """The highest warning level (80 or 100) the consumed time reaches, else 0.
    No estimate: no warning."""
    estimate = round((estimate_hours or 0) * 3600)
    if estimate <= 0:
        return 0
    consumed = round((consumed_hours or 0) * 3600)
    reached = 0
    for level in THRESHOLDS:
        # Whole seconds: float sums of minutes are not exact.
        if consumed * 100 >= estimate * level:
            reached = level
    return reached
