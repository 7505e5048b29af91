"""Durations in the largest whole unit: each front words them its own way ("4 hour(s)", "4 h", "4h")."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

Unit = Literal["day", "hour", "minute"]


def largest_unit(duration: timedelta) -> tuple[int, Unit]:
    """(count, unit) of the largest unit `duration` is a whole multiple of (minutes, at least)."""
    minutes = int(duration.total_seconds() // 60)
    if minutes and minutes % 1440 == 0:
        return minutes // 1440, "day"
    if minutes and minutes % 60 == 0:
        return minutes // 60, "hour"
    return minutes, "minute"
