"""Durations ('2h', 'for the afternoon', 'until friday', 'an hour and a half') and look-back days ('6 months')."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_NUMBERS = {
    "a": 1, "an": 1, "another": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "couple of": 2, "couple": 2, "few": 3, "several": 3,
}  # fmt: skip
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800, "f": 1209600, "M": 2592000, "y": 31536000}
_UNIT = r"(mins?|minutes?|hrs?|hours?|h|days?|d|wks?|weeks?|w|fortnights?|months?|mos?|years?|yrs?|m)"
_WORDS = "|".join(sorted((re.escape(w) for w in _NUMBERS), key=len, reverse=True))
_COUNT = rf"(\d{{1,4}}(?:\.\d{{1,2}})?|{_WORDS})"
_MORE = r"(?:-\s*)?(?:(?:more|extra|additional)\s+)?"
_FULL_UNIT = r"(mins?|minutes?|hrs?|hours?|days?|wks?|weeks?|fortnights?|months?|years?)"
# Digits take short units ("2h", "90m"); number words only whole ones ("a day", not "a m").
DURATION = re.compile(
    rf"\b(?:(\d{{1,4}}(?:\.\d{{1,2}})?)\s*{_MORE}{_UNIT}|({_WORDS})\s+{_MORE}{_FULL_UNIT})\b"
    r"(?:\s+and\s+a\s+half\b)?",
    re.IGNORECASE,
)
_HALF = re.compile(r"\bhalf\s+an?\s+(hour|day)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru|to|by)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?(monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|tomorrow|tonight|today|eod|end of day|cob|close of business|end of week|eow|"
    r"the weekend|weekend|next week)\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b(?:until|till|til|by)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b", re.IGNORECASE)
_PARTS = re.compile(
    r"\b(?:for\s+)?(?:the\s+)?(rest of (?:the )?day|rest of today|afternoon|morning|evening|day|night|overnight|"
    r"weekend|this week|rest of the week)\b",
    re.IGNORECASE,
)
PERMANENT = re.compile(r"\b(permanent(?:ly)?|forever|indefinitely|no expiry|never expire)\b", re.IGNORECASE)
_DAYS = re.compile(rf"\b{_COUNT}\s*(days?|d|weeks?|wks?|months?|mos?|years?|yrs?|quarters?)\b", re.IGNORECASE)
_DAY_WORDS = {"last week": 7, "last month": 30, "last quarter": 90, "last year": 365, "past month": 30,
              "past year": 365, "past week": 7, "past quarter": 90, "a year": 365, "a month": 30}  # fmt: skip


def iso(duration: timedelta) -> str:
    """ISO-8601 duration (as Lex's AMAZON.Duration resolves): PT2H, P1D, PT30M."""
    seconds = int(duration.total_seconds())
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{max(1, seconds // 60)}M"


_ISO = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def from_iso(value: str) -> timedelta | None:
    found = _ISO.match(value.strip().upper())
    if not found or value.strip().upper() in {"P", "PT"}:
        return None
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in found.groups())
    result = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    return result if result > timedelta(0) else None


def _count(word: str) -> float:
    return float(word) if word[0].isdigit() else float(_NUMBERS[word.lower()])


def _unit(word: str) -> int:
    low = word.lower()
    if low in {"m", "min", "mins", "minute", "minutes"}:
        return _UNIT_SECONDS["m"]
    if low.startswith(("mo", "month")):
        return _UNIT_SECONDS["M"]
    if low.startswith("f"):
        return _UNIT_SECONDS["f"]
    if low.startswith("y"):
        return _UNIT_SECONDS["y"]
    return _UNIT_SECONDS[low[0]]


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _end_of(word: str, now: datetime) -> datetime:
    midnight = _midnight(now)
    word = " ".join(word.lower().split())
    if word in {"today", "tonight", "eod", "end of day", "cob", "close of business"}:
        return midnight
    if word == "tomorrow":
        return midnight + timedelta(days=1)
    if word in {"the weekend", "weekend", "next week"}:
        return midnight + timedelta(days=(7 - now.weekday()) % 7 or 7) - timedelta(days=1)
    if word in {"end of week", "eow"}:
        word = "friday"
    ahead = (_WEEKDAYS.index(word) - now.weekday()) % 7
    return midnight + timedelta(days=ahead)


def _hours_until(moment: datetime, now: datetime) -> str:
    delta = moment - now
    return iso(timedelta(hours=max(1, -(-int(delta.total_seconds()) // 3600))))


def _part_of_day(word: str, now: datetime) -> str | None:
    word = " ".join(word.lower().split())
    if word in {"afternoon", "morning", "evening"}:
        return "PT4H"
    if word in {"night", "overnight"}:
        return "PT12H"
    if word == "day":
        return "P1D"
    if word.startswith("rest of"):
        return _hours_until(_end_of("friday" if "week" in word else "today", now), now)
    if word == "weekend":
        return _hours_until(_end_of("weekend", now), now)
    if word == "this week":
        return _hours_until(_end_of("friday", now), now)
    return None


def duration(text: str, now: datetime) -> str | None:
    """The duration as ISO-8601 ('PT2H'), 'permanent', or None when the text names none."""
    if PERMANENT.search(text):
        return "permanent"
    until = UNTIL.search(text)
    if until:
        return _hours_until(_end_of(until.group(1), now), now)
    clock = _CLOCK.search(text)
    if clock and (clock.group(3) or clock.group(2)):
        hour = int(clock.group(1)) % 12 + (12 if (clock.group(3) or "").lower() == "pm" else 0)
        if not clock.group(3):
            hour = int(clock.group(1)) % 24
        moment = now.replace(hour=hour, minute=int(clock.group(2) or 0), second=0, microsecond=0)
        return _hours_until(moment if moment > now else moment + timedelta(days=1), now)
    half = _HALF.search(text)
    if half:
        return "PT30M" if half.group(1).lower() == "hour" else "PT12H"
    match = DURATION.search(text)
    if match:
        number, unit = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        seconds = _count(number) * _unit(unit)
        if match.group(0).lower().endswith("and a half"):
            seconds *= 1.5
        return iso(timedelta(seconds=int(seconds))) if seconds >= 60 else None
    part = _PARTS.search(text)
    if part and re.search(r"\b(for|over|during|through)\s+(the\s+)?" + re.escape(part.group(1)), text, re.I):
        return _part_of_day(part.group(1), now)
    if part and part.group(1).lower() in {"overnight", "rest of the day", "rest of day", "rest of today", "this week"}:
        return _part_of_day(part.group(1), now)
    return None


def duration_spans(text: str) -> list[tuple[int, int]]:
    """Where the text speaks of time, so those words are not read as resource names."""
    spans = []
    for pattern in (PERMANENT, UNTIL, _CLOCK, DURATION, _HALF):
        spans += [m.span() for m in pattern.finditer(text)]
    spans += [m.span() for m in _PARTS.finditer(text) if re.match(r"\s*(for|over|the|rest)", m.group(0), re.I)]
    return spans


def days(text: str) -> int | None:
    """Look-back days for usage reports: '90 days', '6 months', 'a year', 'last quarter'."""
    match = _DAYS.search(text)
    if match:
        unit = match.group(2).lower()
        scale = 30 if unit.startswith("mo") else 7 if unit.startswith("w") else 365 if unit.startswith("y") else (
            90 if unit.startswith("q") else 1)  # fmt: skip
        return max(1, int(_count(match.group(1)) * scale))
    lowered = text.lower()
    return next((n for words, n in _DAY_WORDS.items() if words in lowered), None)
