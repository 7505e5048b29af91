"""Slot extraction: request ids, accounts, regions, durations, days, tags, principals, justifications."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.domain.accounts import AccountRegistry
from intents.lexicon import ACCOUNT_SYNONYMS, REGION_WORDS

REQUEST_ID = re.compile(r"(?<![\w-])AR-([A-Z0-9]{5})\b", re.IGNORECASE)
ACCOUNT_ID = re.compile(r"(?<![\d:])(\d{12})(?![\d])")
REGION = re.compile(
    r"\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-\d)\b",
    re.IGNORECASE,
)
ARN = re.compile(r"arn:[^\s,;\"'<>]+", re.IGNORECASE)
PRINCIPAL_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(?:role|user)/[\w+=,.@/-]{1,512}$")
S3_URL = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,62})(/[^\s,;]*)?", re.IGNORECASE)
_WORD_NUMBERS = {
    "a": 1,
    "another": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ten": 10,
    "twelve": 12,
    "couple of": 2,
    "few": 3,
}
_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "wk": 604800,
    "week": 604800,
    "weeks": 604800,
    "month": 2592000,
    "months": 2592000,
}
_DURATION = re.compile(
    r"\b(?:(\d{1,4})\s*(?:(?:more|extra|additional)\s+)?(mins?|minutes?|hrs?|hours?|days?|wks?|weeks?|months?|[mhdw])|"
    r"(a|an|another|one|two|three|four|five|six|seven|eight|ten|twelve|couple of|few)\s+"
    r"(?:(?:more|extra|additional)\s+)?(mins?|minutes?|hrs?|hours?|days?|weeks?|months?))\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNTIL = re.compile(
    r"\b(?:until|till|til|through|thru|to)\s+(?:end of\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|tomorrow|tonight|today|eod|end of day|end of week|eow)\b",
    re.IGNORECASE,
)
_PERMANENT = re.compile(r"\b(permanent(?:ly)?|forever|indefinitely|no expiry|never expire)\b", re.IGNORECASE)
_DAYS = re.compile(r"\b(\d{1,4})\s*(?:days?|d)\b", re.IGNORECASE)
_DAY_WORDS = {"last week": 7, "last month": 30, "last quarter": 90, "last year": 365, "past month": 30}
_TAG = re.compile(
    r"\b(?:tagged|tag|tags|labell?ed)\s+(?:with\s+)?(?:the\s+)?(?:tag\s+)?([A-Za-z][\w.:/+\-@]{0,127})"
    r"\s*(?:=|:|\s+is\s+|\s+of\s+|\s+equals\s+|\s+)\s*['\"]?([\w.:/+\-@]{1,256})",
    re.IGNORECASE,
)
JUSTIFY = re.compile(
    r"(?:\b(?:because|cause|coz|bc|since|justification|reason)\b\s*:?\s*|\bso (?:that )?(?:i|we) can\s+|"
    r"\b(?=(?:to (?:debug|fix|investigate|troubleshoot|backfill|deploy|migrate|analy[sz]e|rotate|train)\b)))"
    r"(.+?)(?:[.!?](?:\s|$)|$)",
    re.IGNORECASE,
)
_TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
_ROLE_NAME = re.compile(r"\b(?:role\s+)?([A-Za-z][\w+=,.@-]*(?:Role|role|[a-z][A-Z][\w+=,.@-]*))\b")
_ACCOUNT_CONTEXT_BEFORE = frozenset({"in", "on", "to", "for", "at", "from", "into", "inside", "within", "the"})
_ACCOUNT_CONTEXT_AFTER = frozenset({"account", "acct", "env", "environment", "access"})
_AFTER_TO = frozenset({"", "account", "acct", "env", "for", "and", "with", "until", "because", "please", "pls"})
_DISTINCT_ALIASES = frozenset({"sandbox", "prod", "production", "sbx"})
WORD = re.compile(r"[\w][\w.\-]*", re.UNICODE)


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


def request_ids(text: str) -> list[str]:
    return list(dict.fromkeys(f"AR-{m.group(1).upper()}" for m in REQUEST_ID.finditer(text)))


def accounts(text: str, registry: AccountRegistry, *, whole: bool = False) -> list[str]:
    """Aliases of the accounts named: ids anywhere, aliases with context ('in dev', 'prod account')."""
    found: list[str] = []
    for match in ACCOUNT_ID.finditer(text):
        account = registry.find(match.group(1))
        found.append(account.alias if account else match.group(1))
    words = [w.lower().rstrip(".") for w in WORD.findall(text)]
    aliases = set(registry.aliases())
    for index, word in enumerate(words):
        alias = ACCOUNT_SYNONYMS.get(word, word)
        if alias not in aliases:
            continue
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        listed = (
            before in {"and", "or", "&"}
            and index > 1
            and ACCOUNT_SYNONYMS.get(words[index - 2], words[index - 2]) in aliases
        )
        if (
            whole
            or listed
            or word in _DISTINCT_ALIASES
            or (before in _ACCOUNT_CONTEXT_BEFORE and (before != "to" or after in _AFTER_TO))
            or after in _ACCOUNT_CONTEXT_AFTER
        ):
            found.append(alias)
    return list(dict.fromkeys(found))


def regions(text: str) -> list[str]:
    found = [m.group(1).lower() for m in REGION.finditer(text)]
    lowered = " " + re.sub(r"[^a-z ]", " ", text.lower()) + " "
    found += [region for word, region in REGION_WORDS.items() if f" {word} " in lowered]
    return list(dict.fromkeys(found))


def _end_of(word: str, now: datetime) -> datetime:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    word = word.lower()
    if word in {"today", "tonight", "eod", "end of day"}:
        return midnight
    if word == "tomorrow":
        return midnight + timedelta(days=1)
    if word in {"end of week", "eow"}:
        word = "friday"
    ahead = (_WEEKDAYS.index(word) - now.weekday()) % 7
    return midnight + timedelta(days=ahead)


def duration(text: str, now: datetime) -> str | None:
    """The duration as ISO-8601 ('PT2H'), 'permanent', or None when the text names none."""
    if _PERMANENT.search(text):
        return "permanent"
    until = _UNTIL.search(text)
    if until:
        delta = _end_of(until.group(1), now) - now
        hours = max(1, -(-int(delta.total_seconds()) // 3600))
        return iso(timedelta(hours=hours))
    match = _DURATION.search(text)
    if match:
        number, unit_word = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        count = int(number) if number.isdigit() else _WORD_NUMBERS[number.lower()]
        unit = _UNITS[unit_word.lower()]
        if count <= 0:
            return None
        return iso(timedelta(seconds=count * unit))
    if re.search(r"\bfor the day\b", text, re.IGNORECASE):
        return "P1D"
    return None


def days(text: str) -> int | None:
    match = _DAYS.search(text)
    if match:
        return int(match.group(1))
    lowered = text.lower()
    return next((n for words, n in _DAY_WORDS.items() if words in lowered), None)


def tags(text: str) -> list[tuple[str, str]]:
    found = []
    for match in _TAG.finditer(text):
        key, value = match.group(1).rstrip(".,"), match.group(2).rstrip(".,")
        if key.lower() in {"with", "the", "and", "in", "as"}:
            continue
        found.append((key, value))
    return found


def justification(text: str) -> str | None:
    match = JUSTIFY.search(text)
    if match:
        reason = match.group(1).strip(" ,;:-")
        return reason[:1000] or None
    ticket = _TICKET.search(text)
    if ticket and not ticket.group(1).upper().startswith("AR-"):
        return ticket.group(1)
    return None


def principal(text: str) -> str | None:
    """A principal ARN, or a role/user name that looks like one (CamelCase, or ending in 'role')."""
    for match in ARN.finditer(text):
        arn = match.group(0).rstrip(".,")
        if ":iam::" in arn:
            return arn
    for match in _ROLE_NAME.finditer(text):
        name = match.group(1).rstrip(".,")
        if not name.upper().startswith("AR-") and name.lower() not in {"role", "iam"}:
            return name
    return None


def arns(text: str) -> list[str]:
    return [m.group(0).rstrip(".,)") for m in ARN.finditer(text)]
