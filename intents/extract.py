"""Slot extraction: request ids, accounts, regions, tags, principals, justifications (durations: intents/when.py)."""

from __future__ import annotations

import re
from functools import cache

from bot.domain.accounts import AccountRegistry
from intents.places import ACCOUNT_SYNONYMS, COMMON_ALIASES, REGION_WORDS
from intents.tokens import ARN
from intents.when import days, duration, duration_spans, from_iso, iso

__all__ = ["ARN", "days", "duration", "from_iso", "iso"]

REQUEST_ID = re.compile(r"(?<![\w-])AR-([A-Z0-9]{5})\b", re.IGNORECASE)
ACCOUNT_ID = re.compile(r"(?<![\w:\-/])(\d{12})(?![\w\-/])")
REGION = re.compile(
    r"\b((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:east|west|north|south|central|northeast|southeast|northwest|"
    r"southwest)-\d)\b",
    re.IGNORECASE,
)
PRINCIPAL_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(?:role|user)/[\w+=,.@/-]{1,512}$")
S3_URL = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,62})(/[^\s,;]*)?", re.IGNORECASE)
_TAG = re.compile(
    r"\b(?:tagged|tag|tags|labell?ed)\s+(?:with\s+)?(?:the\s+)?(?:tag\s+)?([A-Za-z][\w.:/+\-@]{0,127})"
    r"\s*(?:=|:|\s+is\s+|\s+of\s+|\s+equals\s+|\s+)\s*['\"]?([\w.:/+\-@]{1,256})",
    re.IGNORECASE,
)
JUSTIFY = re.compile(
    r"(?:\b(?:because|cause|coz|bc|since|justification|reason)\b\s*:?\s*|\bso (?:that )?(?:i|we) can\s+|"
    r"\b(?=(?:to (?:debug|fix|investigate|troubleshoot|backfill|deploy|migrate|analy[sz]e|train)\b))|"
    r"\b(?:for|re|per)\s+(?=[A-Z][A-Z0-9]{1,9}-\d{1,6}\b))"
    r"(.+?)(?:[.!?](?:\s|$)|$)",
    re.IGNORECASE,
)
TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
# In priority order: "role X" / "user X", then "X role", then names that look like roles (CamelCase, "...-role").
_ROLE_NAMES = (
    re.compile(r"\b(?:role|user)\s+([A-Za-z][\w+=,.@-]*)", re.IGNORECASE),
    re.compile(r"\b([A-Za-z][\w+=,.@-]*)\s+(?:role|user)\b", re.IGNORECASE),
    re.compile(r"\b([A-Za-z][\w+=,.@-]*(?:Role|role|[a-z][A-Z][\w+=,.@-]*))\b"),
)
_NOT_PRINCIPAL = frozenset(
    {"role", "iam", "the", "a", "an", "this", "that", "my", "our", "which", "what", "for", "of", "by", "each",
     "every", "any", "service", "linked", "access", "admin", "in", "on", "at", "from", "with", "used", "has", "have",
     "is", "does", "did", "and", "or", "to", "per", "whose", "your", "their", "its", "assumed", "info", "report",
     "usage", "s", "new", "old", "same", "another", "lambda", "execution", "task", "instance", "hit", "use",
     "touch", "touched", "call", "called", "accessed", "really", "still", "ever"}
)  # fmt: skip
_CONTEXT_BEFORE = frozenset({"in", "on", "to", "for", "at", "from", "into", "inside", "within", "across"})
_CONTEXT_AFTER = frozenset({"account", "acct", "env", "environment", "access", "aws", "acc"})
_AFTER_TO = frozenset({"", "account", "acct", "env", "for", "and", "with", "until", "because", "please", "pls"})
WORD = re.compile(r"[\w][\w.\-]*", re.UNICODE)


def request_ids(text: str) -> list[str]:
    return list(dict.fromkeys(f"AR-{m.group(1).upper()}" for m in REQUEST_ID.finditer(text)))


_ACCOUNT_SUFFIXES = ("-account", "-acct", "-acc", "_account")


def _without_suffix(word: str, aliases: set[str]) -> str:
    for suffix in _ACCOUNT_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and ACCOUNT_SYNONYMS.get(stem, stem) in aliases:
            return stem
    return word


def _account_hits(text: str, registry: AccountRegistry, whole: bool) -> list[tuple[str, int, int]]:
    """(alias, start, end) of each account named: ids anywhere; aliases anywhere unless they name a thing."""
    from intents.vocabulary import global_nouns

    hits = [(m.group(1), *m.span(1)) for m in ACCOUNT_ID.finditer(text)]
    hits = [((registry.find(i).alias if registry.find(i) else i), s, e) for i, s, e in hits]  # type: ignore[union-attr]
    words = [(m.group(0).lower().rstrip("."), m.start(), m.end()) for m in WORD.finditer(text)]
    aliases = set(registry.aliases())
    nouns = global_nouns()
    for index, (word, start, end) in enumerate(words):
        stem = _without_suffix(word, aliases) if "-" in word or "_" in word else word  # "dev-account"
        alias = ACCOUNT_SYNONYMS.get(stem, stem)
        region_after = text[end : end + 1] == "/" and bool(REGION.match(text, end + 1))  # "dev/us-east-1"
        slashed = (text[end : end + 1] == "/" and not region_after) or text[max(0, start - 1) : start] == "/"
        if alias not in aliases or slashed:
            continue  # "prod/stripe-api-key" is a name
        before = words[index - 1][0] if index else ""
        after = words[index + 1][0] if index + 1 < len(words) else ""
        listed = (
            before in {"and", "or", "&"}
            and index > 1
            and ACCOUNT_SYNONYMS.get(words[index - 2][0], words[index - 2][0]) in aliases
        )
        context = (before in _CONTEXT_BEFORE and (before != "to" or after in _AFTER_TO)) or after in _CONTEXT_AFTER
        names_a_thing = after in nouns or before in {"called", "named", "the"}  # "the test rows", "called dev"
        # an everyday-word alias ("test") counts on its own only as a list item: "in frankfurt, test, 30 min"
        listed_alone = text[end : end + 1] in {",", ";", ")", "."} or text[max(0, start - 2) : start].strip() in {
            ",",
            "(",
        }
        anywhere = not names_a_thing and (alias not in COMMON_ALIASES or after == "" or listed_alone)
        if whole or listed or context or anywhere:
            hits.append((alias, start, end))
    return sorted(hits, key=lambda hit: hit[1])


def accounts(text: str, registry: AccountRegistry, *, whole: bool = False) -> list[str]:
    """Aliases of the accounts named: ids, and aliases anywhere ('dev', 'prod account', 'in test')."""
    return list(dict.fromkeys(alias for alias, _, _ in _account_hits(text, registry, whole)))


@cache
def _region_words() -> re.Pattern[str]:
    words = sorted(REGION_WORDS, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in words)
    return re.compile(rf"(?<![\w-])({body})(?![\w-])", re.IGNORECASE)


def _region_hits(text: str) -> list[tuple[str, int, int]]:
    hits = [(m.group(1).lower(), *m.span()) for m in REGION.finditer(text)]
    hits += [(REGION_WORDS[" ".join(m.group(1).lower().split())], *m.span()) for m in _region_words().finditer(text)]
    return sorted(hits, key=lambda hit: hit[1])


def regions(text: str) -> list[str]:
    return list(dict.fromkeys(region for region, _, _ in _region_hits(text)))


def blank(text: str, registry: AccountRegistry) -> str:
    """The text with accounts, regions, durations, tickets and ids blanked: what's left names the grants."""
    spans = [(s, e) for _, s, e in _account_hits(text, registry, False)]
    spans += [(s, e) for _, s, e in _region_hits(text)]
    spans += duration_spans(text)
    spans += [m.span() for m in REQUEST_ID.finditer(text)]
    spans += [m.span() for m in TICKET.finditer(text)]
    kept = [m.span() for pattern in (ARN, S3_URL) for m in pattern.finditer(text)]
    chars = list(text)
    for start, end in spans:
        if any(start < k_end and k_start < end for k_start, k_end in kept):
            continue  # part of an ARN or s3:// URL: kept whole
        chars[start:end] = " " * (end - start)
    blanked = "".join(chars)
    return re.sub(r"\b(account|acct|env|environment|region)\b", " ", blanked, flags=re.IGNORECASE)


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
    ticket = TICKET.search(text)
    if ticket and not ticket.group(1).upper().startswith("AR-"):
        return ticket.group(1)
    return None


def principal(text: str) -> str | None:
    """A principal ARN, or a role/user name: 'role X', 'X role', or one that looks like one (CamelCase, '...Role')."""
    for match in ARN.finditer(text):
        arn = match.group(0).rstrip(".,")
        if ":iam::" in arn:
            return arn
    for pattern in _ROLE_NAMES:
        for match in pattern.finditer(text):
            name = match.group(1).rstrip(".,")
            if not name.upper().startswith("AR-") and name.lower() not in _NOT_PRINCIPAL:
                return name
    return None


def arns(text: str) -> list[str]:
    return [m.group(0).rstrip(".,)") for m in ARN.finditer(text)]
