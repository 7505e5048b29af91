"""Which words name things: ids and paths, a word next to its noun ("the orders table"), dashed names."""

from __future__ import annotations

import re

from intents.lexicon import JOINERS, NAMING, STOPWORDS
from intents.tokens import Token
from intents.verbwords import OBJECT_SYNONYMS, VERB_OBJECTS
from intents.vocabulary import action_index, verbs
from intents.words import verb_forms


def tag_names(tokens: list[Token]) -> None:
    for position, token in enumerate(tokens):
        if token.role == "id":
            continue
        if token.kind in {"arn", "path", "name"} or looks_like_name(token):
            token.role = "name"
            continue
        if token.role != "noun":
            continue
        before = position - 1
        if (
            before >= 1
            and tokens[before].role in {"service", "part"}
            and tokens[before].service in {None, token.service}
        ):
            before -= 1  # "the orders ddb stream": the name comes before the service word
            while before >= 1 and tokens[before].role == "part":
                before -= 1
        after_token = tokens[position + token.span] if position + token.span < len(tokens) else None
        named_after = after_token is not None and (after_token.role == "id" or after_token.kind in {"arn", "path"})
        if (
            before >= 0
            and _could_name(tokens[before])
            and not named_after
            and not _says_what(tokens[before], token.service)
        ):
            tokens[before].role = "name"
            continue
        after = position + token.span
        if after < len(tokens) and tokens[after].low in NAMING:
            after += 1
        if (
            after < len(tokens)
            and (_could_name(tokens[after]) or _other_noun_as_name(tokens, after, token))
            and tokens[after].kind == "word"
            and not _says_what(tokens[after], token.service)
        ):
            tokens[after].role = "name"


_BOUNDARY = frozenset({"in", "on", "for", "to", "from", "of", "with", "at", "under", ",", ";", "and", "until", "till"})


def _other_noun_as_name(tokens: list[Token], position: int, noun: Token) -> bool:
    """'the timestream table metrics in database iot', 'function api in prod': a word right after a noun that
    is another service's noun, and ends the phrase, is this one's name."""
    token = tokens[position]
    if token.role != "noun" or token.service in {None, noun.service} or token.span != 1:
        return False
    following = tokens[position + 1].low if position + 1 < len(tokens) else ","
    return following in _BOUNDARY and not any(t.role == "service" and t.service == token.service for t in tokens)


def _says_what(token: Token, service: str | None) -> bool:
    """'stack events', 'queue attrs': a plain word after a noun that one of its service's actions is about."""
    if service is None or not token.low.isalpha():
        return False
    objects = action_index(service).objects
    lemma = token.lemma
    return lemma in objects or OBJECT_SYNONYMS.get(lemma, "") in objects


# Words for what is said about a thing, never its name ("the secret metadata", "queue details").
_ABOUT = frozenset({"metadata", "description", "details", "detail", "info", "information", "properties", "name",
                    "names", "value", "values", "ids", "arns", "count", "number", "many", "much", "few", "several",
                    "config", "configs", "settings", "status", "state", "history", "logs", "contents",
                    "yesterday", "today", "tomorrow", "tonight", "now", "asap", "later", "morning", "afternoon",
                    "evening", "weekend", "week", "month", "hour", "day"})  # fmt: skip


_INDEX_WORDS = frozenset({"gsi", "gsis", "lsi", "lsis"})  # "the table and its GSIs": its indexes


def _could_name(token: Token) -> bool:
    # Verbs are never names here: a verb-looking word between a determiner and a noun was left untagged
    # ("the backup table", see _is_modifier), so it arrives here with no role.
    if token.role != "" or token.kind != "word":
        return False
    low = token.low
    if INSTANCE_TYPE.match(low) or low.isdigit():
        return False  # "a db.r6g.large rds instance", "2 instances": a size or a count
    if low.endswith("ed") and low.isalpha() and set(verb_forms(low)[1:]) & verbs():
        return False  # "the deleted secret", "the failed jobs": what happened to it, not its name
    return (
        low not in STOPWORDS and low not in JOINERS and low not in VERB_OBJECTS and low not in _ABOUT
        and low not in _INDEX_WORDS
    )


INSTANCE_TYPE = re.compile(r"^(?:db\.|cache\.)?[a-z]+\d[a-z\-]*\.(?:nano|micro|small|medium|\d*x?large|metal)$", re.I)
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?(?:k|m|gb|gib|tb|tib|mb|mib|ms|s|x|%|vcpus?|nodes?)$", re.IGNORECASE)


def looks_like_name(token: Token) -> bool:
    """A free-standing token that can only be a name: digits, dashes, underscores, dots or inner capitals."""
    text = token.text
    if token.kind != "word" or token.role or text.lower() in STOPWORDS or text.lower() in _INDEX_WORDS:
        return False
    camel = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)  # DataScientist, not TTL
    if text.isdigit() or _AMOUNT.match(text) or INSTANCE_TYPE.match(text):
        return False  # "PR #881", "to 5 nodes", "500gb", "10k", "a t3.micro": numbers and sizes, not names
    return any(c in text for c in "-_.") or any(c.isdigit() for c in text) or camel
