"""Words of a request as tokens: ARNs, s3:// URLs, paths and quoted names kept whole; verb pairs split."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from intents.words import singular

ARN = re.compile(r"arn:[^\s,;\"'<>`]+", re.IGNORECASE)
S3_URL = re.compile(r"s3://([a-z0-9][a-z0-9.\-]{1,62})(/[^\s,;]*)?", re.IGNORECASE)
_QUOTED = re.compile(r"[\"'`\u2018\u2019\u201c\u201d]([A-Za-z0-9][\w.\-/]{0,200})[\"'`\u2018\u2019\u201c\u201d]")
_TOKEN = re.compile(
    r"@(?P<ref>[AQ])(?P<num>\d+)@"  # an ARN/URL (A) or a quoted name (Q), set aside first
    r"|(?P<path>/[\w.\-*]+(?:/[\w.\-*]*)*/?|[\w.\-]+(?:/[\w.\-*]*)+)"  # /app/payments/, alias/app-key, a/b
    r"|(?P<word>\w(?:[\w.\-']*\w)?(?::\d+\b|-(?=\*))?)"  # "migrate:12" (family:revision), "legacy-" (of legacy-*)
    r"|(?P<sep>[,;&+]|\.(?=\s|$))"
)


# Short forms read as the word AWS's names use ("task def" is a task definition).
ABBREVIATIONS = {
    "def": "definition", "defs": "definitions", "env": "environment", "envs": "environments",
    "distro": "distribution", "distros": "distributions", "cert": "certificate", "certs": "certificates",
    "msg": "message", "msgs": "messages", "repo": "repository", "repos": "repositories", "svc": "service",
    "svcs": "services", "attr": "attribute", "attrs": "attributes", "perms": "permissions",
}  # fmt: skip
# Nouns written in pairs with a slash ("keys/aliases", "tables/indexes").
_PAIRED_NOUNS = frozenset({"key", "keys", "alias", "aliases", "table", "tables", "index", "indexes", "version",
                           "versions", "queue", "queues", "topic", "topics", "bucket", "buckets"})  # fmt: skip


@dataclass
class Token:
    """One token; `role` and the fields after it are filled in by intents.segments."""

    text: str  # as typed (names keep their case)
    kind: str  # word | name | arn | path | sep
    role: str = ""  # service | noun | level | verb | name | sep | ""
    service: str | None = None
    type: str | None = None
    span: int = 1  # words covered when the token starts a phrase
    read_as: str | None = None  # the vocabulary word a typo was read as

    @cached_property
    def low(self) -> str:
        return self.text.lower()

    @cached_property
    def word(self) -> str:
        """The word as read: a typo's correction, or an abbreviation's full form ('def' is 'definition').

        Cached: `read_as` is set only on fresh copies, before anything reads them (intents/fuzzy.py).
        """
        low = self.low
        return self.read_as or ABBREVIATIONS.get(low, low)

    @cached_property
    def lemma(self) -> str:
        return singular(self.word)


def tokenize(text: str, is_verb_pair: set[str] | frozenset[str]) -> list[Token]:
    """Tokens in order. `is_verb_pair`: words whose slash pairs ('start/stop', 'read/write') are split."""
    refs: list[tuple[str, str]] = []

    def keep(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            value = match.group(1) if kind == "name" else match.group(0).rstrip(".,)")
            if kind == "arn" and value.lower().startswith("s3://"):
                value = _s3_arn(match)
            refs.append((kind, value))
            return f" @{'Q' if kind == 'name' else 'A'}{len(refs) - 1}@ "

        return replace

    text = re.sub(r"(?i)(?<![\w/])w/(?=\s)", " with ", text)  # "encrypt w/ alias/x"
    text = ARN.sub(keep("arn"), text)
    text = S3_URL.sub(keep("arn"), text)
    text = _QUOTED.sub(keep("name"), text)
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        if match.group("ref"):
            kind, value = refs[int(match.group("num"))]
            tokens.append(Token(value, kind))
        elif match.group("path"):
            tokens += _path(match.group("path"), is_verb_pair)
        elif match.group("word"):
            tokens.append(Token(match.group("word"), "word"))
        else:
            tokens.append(Token(match.group("sep"), "sep", role="sep"))
    return tokens


def _s3_arn(match: re.Match[str]) -> str:
    """s3://bucket/prefix/ -> the objects under the prefix; s3://bucket -> the bucket (its objects, by type)."""
    bucket, path = match.group(1), (match.group(2) or "").rstrip(".,)")
    if path.endswith("/"):
        path += "*"
    return f"arn:aws:s3:::{bucket}{path if path != '/' else ''}"


def _path(value: str, is_verb_pair: set[str] | frozenset[str]) -> list[Token]:
    parts = [p for p in value.split("/") if p]
    plain = len(parts) > 1 and not value.startswith("/") and not value.endswith("/")
    if plain and all(p.lower() in is_verb_pair for p in parts):
        return [Token(p, "word") for p in parts]  # start/stop, read/write: two verbs on one thing
    if plain and all(p.lower() in _PAIRED_NOUNS for p in parts):
        pieces = [Token(parts[0], "word")]
        for part in parts[1:]:
            pieces += [Token("and", "word"), Token(part, "word")]  # keys/aliases: two things
        return pieces
    return [Token(value, "path")]
