"""`/access` sub-commands, parsed from the command text (anything else is words for the dialog)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.errors import InvalidInput
from bot.slack import messages

Verb = Literal["help", "status", "mine", "pending", "cancel", "extend", "usage", "trim", "validate", "words"]

#: Slack sends at most 4,000 characters of command text; the dialog needs far fewer.
MAX_TEXT = 2000
MAX_DURATION = timedelta(days=90)
DEFAULT_DAYS = 90
_DURATION = re.compile(r"^(\d{1,5})\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)$", re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z]{1,5}-[A-Za-z0-9]{3,16}$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
#: "extend AR-7F3K2 by 4 hours" / "for 4h": the word before the length is optional.
_FILLERS = frozenset({"by", "for"})
#: Sub-commands that stand alone, and those that take an ARN.
_BARE: dict[str, Verb] = {"mine": "mine", "pending": "pending", "validate": "validate"}
_USAGE: dict[str, Verb] = {"usage": "usage", "trim": "trim"}


@dataclass(frozen=True)
class Command:
    """A parsed `/access` text (a plain dataclass: the ack parses it, and acks import no pydantic)."""

    verb: Verb
    request_id: str | None = None
    duration: timedelta | None = None
    arn: str | None = None
    days: int = DEFAULT_DAYS
    text: str = ""


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise InvalidInput(messages.BAD_DURATION)
    unit = _UNITS[match.group(2)[0].lower()]
    duration = timedelta(**{unit: int(match.group(1))})
    if duration <= timedelta(0) or duration > MAX_DURATION:
        raise InvalidInput(messages.BAD_DURATION)
    return duration


def _request_id(words: list[str], usage: str) -> str:
    if len(words) < 2 or not _ID.match(words[1]):
        raise InvalidInput(usage)
    return words[1].upper()


def _days(words: list[str]) -> int:
    if len(words) < 3:
        return DEFAULT_DAYS
    if not words[2].isdigit() or not 1 <= int(words[2]) <= 400:
        raise InvalidInput(messages.BAD_DAYS)
    return int(words[2])


def parse(text: str) -> Command:
    """The command for `/access TEXT`; InvalidInput (a message for the user) when a sub-command is malformed."""
    if len(text) > MAX_TEXT:
        raise InvalidInput(messages.TOO_LONG.format(limit=MAX_TEXT))
    stripped = text.strip()
    words = stripped.split()
    if not words:
        raise InvalidInput(messages.EMPTY_COMMAND)
    head = words[0].lower()
    if head in ("help", "?") and len(words) == 1:
        return Command(verb="help")
    if head in _BARE and len(words) == 1:
        return Command(verb=_BARE[head])
    if head == "status":
        return Command(verb="status", request_id=_request_id(words, messages.USAGE_STATUS))
    if head == "cancel" and len(words) == 2:  # bare "cancel" is the dialog's: it drops the draft in progress
        return Command(verb="cancel", request_id=_request_id(words, messages.USAGE_CANCEL))
    if head == "extend":
        length = words[3:] if len(words) > 3 and words[2].lower() in _FILLERS else words[2:]
        if len(words) < 3 or len(length) not in (1, 2):
            raise InvalidInput(messages.USAGE_EXTEND)
        duration = parse_duration(" ".join(length))  # "4h", "4 hours", "by 4 hours" (the lifecycle's button)
        return Command(verb="extend", request_id=_request_id(words, messages.USAGE_EXTEND), duration=duration)
    if head in _USAGE and len(words) in (2, 3) and words[1].startswith("arn:"):
        return Command(verb=_USAGE[head], arn=words[1][:2048], days=_days(words))
    if head in ("usage", "trim") and len(words) == 1:
        raise InvalidInput(messages.USAGE_USAGE)
    return Command(verb="words", text=stripped)
