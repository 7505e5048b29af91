"""Words to grant drafts: tokens are tagged from the vocabulary, cut into asks, and each ask resolved.

Several grants per sentence ('read the orders table and write to the jobs queue'); an ask with only a
verb lends it to the next ('read and write the table'), one with only a target borrows the previous
verbs ('the metrics bucket and the logs bucket'). S3 'bucket' words mean its objects for read/write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from bot.domain.models import AccessLevel
from intents.fuzzy import correct, service_typos
from intents.resolve import Resolved, resolve
from intents.segments import Ask, asks
from intents.service_choice import service_of
from intents.tagging import tag
from intents.tokens import Token, tokenize
from intents.verbwords import LEVEL_WORDS, VERB_SYNONYMS
from intents.vocabulary import noun_services, verbs


@dataclass
class GrantDraft:
    """A grant being built from words; `service` None until known."""

    service: str | None = None
    levels: list[AccessLevel] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    resource_type: str | None = None
    verbs: list[str] = field(default_factory=list)
    every: bool = False  # "the clusters", "all tables": no single name to ask for

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "levels": [level.value for level in self.levels],
            "actions": list(self.actions),
            "resources": list(self.resources),
            "resource_type": self.resource_type,
            "every": self.every,
        }

    @staticmethod
    def from_dict(data: dict[str, object]) -> GrantDraft:
        def strings(key: str) -> list[str]:
            value = data.get(key)
            return [str(v) for v in value] if isinstance(value, list) else []

        service, kind = data.get("service"), data.get("resource_type")
        return GrantDraft(
            service=str(service) if service else None,
            levels=[AccessLevel(v) for v in strings("levels")],
            actions=strings("actions"),
            resources=strings("resources"),
            resource_type=str(kind) if kind else None,
            every=data.get("every") is True,
        )


@dataclass
class Reading:
    """What the words say: grant drafts, typos read as vocabulary words, and what could not be placed."""

    drafts: list[GrantDraft] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (as typed, read as)
    unknown_verbs: list[tuple[str, str]] = field(default_factory=list)  # (verb, service)
    star_writes: list[str] = field(default_factory=list)  # write actions that only take "*": refused
    ambiguous: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (noun, services)


_VERB_PAIRS = frozenset(LEVEL_WORDS) | frozenset(VERB_SYNONYMS) | frozenset({"start", "stop", "get", "put"})


def read(text: str) -> Reading:
    """All grants named in the text, in order; typos are corrected only when the exact words don't suffice."""
    tokens = tokenize(text, _VERB_PAIRS | verbs())
    tag(tokens)
    reading = _read(tokens)
    complete = _complete(reading)
    if complete and not service_typos(tokens):
        return reading
    fixed = correct(tokens)
    if not fixed:
        return reading
    tag(fixed)
    again = _read(fixed)
    again.corrections = [(t.text, _label(t)) for t in fixed if t.read_as]
    if complete:  # "invoke the sagemkaer endpoint": read without the typo, it was Lambda's InvokeFunction
        return again if _complete(again) else reading
    return again if _better(again, reading) else reading


def _label(token: Token) -> str:
    """How a corrected word was read, in words: 'DynamoDB table', 'Amazon Kinesis', 'read'."""
    from bot.domain.catalog import service_name

    if token.role in {"service", "noun"} and token.service:
        name = service_name(token.service) or token.service
        short = name.removeprefix("Amazon ").removeprefix("AWS ")
        if token.role == "noun" and token.type:
            return f"{short} {token.read_as or token.type}"
        return short
    return token.read_as or token.text


def grant_drafts(text: str) -> list[GrantDraft]:
    return read(text).drafts


def _read(tokens: list[Token]) -> Reading:
    pieces = _distribute(asks(tokens))
    named = list(dict.fromkeys(s for a in pieces for s in a.services + [n.service for n in a.nouns]))
    fallback = named[0] if len(named) == 1 else None
    reading = Reading()
    drafts: list[GrantDraft] = []
    for ask in pieces:
        service = service_of(ask, fallback)
        result = resolve(ask, service)
        reading.unknown_verbs += [(verb, service or "") for verb in result.unknown_verbs]
        reading.star_writes += result.star_writes
        if service is None:
            reading.ambiguous += _ambiguous(tokens, ask)
        drafts += [_draft(result)] + [_draft(other) for other in result.also]
    reading.drafts = [piece for draft in _merge(drafts) for piece in s3_split(draft)]
    return reading


_COPULA = frozenset({"is", "are", "was", "were", "be"})


def _distribute(pieces: list[Ask]) -> list[Ask]:
    """Asks with a target each; verb-only asks lend their verbs forward, target-only asks borrow them back."""
    out: list[Ask] = []
    carry: Ask | None = None
    for piece in pieces:
        # "s3:GetObject and s3:PutObject on bucket X": actions with only their service lend them forward too
        if not piece.has_target or (piece.actions and not piece.nouns and not piece.names):
            carry = _join(carry, piece) if carry else piece
            continue
        ask = piece
        if carry is not None:
            ask, carry = _join(carry, piece), None
        if not ask.has_doing and out and ask.words & _COPULA and not ask.question:
            continue  # "...; task role is db-migrate-task": something said about the request, not another one
        if not ask.has_doing and out:
            ask = _borrow(ask, out[-1])
        out.append(ask)
    for ask, following in pairwise(out):
        # "the bucket policy + public access block on acme-assets": one thing named for both
        same = {n.service for n in ask.nouns} & {n.service for n in following.nouns}
        if ask.nouns and not ask.names and following.names and (same or not following.nouns):
            ask.names = list(following.names)
            ask.nouns = ask.nouns + [n for n in following.nouns if n.index in {m.anchor for m in following.names}]
        # "network-core stack failed, what do the stack events say?": the same thing, said again
        same_type = {n.type for n in ask.nouns} & {n.type for n in following.nouns}
        if following.nouns and not following.names and ask.names and same_type and following.question:
            following.names = list(ask.names)
            following.nouns = following.nouns + [n for n in ask.nouns if n.index in {m.anchor for m in ask.names}]
    if carry is not None and out:
        for ask in out:  # "the orders table and the jobs queue, read and write"
            ask.levels += [lv for lv in carry.levels if lv not in ask.levels]
            ask.verbs += carry.verbs
            ask.level_verbs += carry.level_verbs
            ask.actions += [a for a in carry.actions if a not in ask.actions]
            ask.words |= carry.words
            ask.direct.update(carry.direct)
    elif carry is not None:
        out.append(carry)
    return out


def _join(first: Ask, second: Ask) -> Ask:
    joined = Ask(
        services=first.services + second.services,
        nouns=second.nouns,
        levels=first.levels + [lv for lv in second.levels if lv not in first.levels],
        verbs=first.verbs + second.verbs,
        level_verbs=first.level_verbs + second.level_verbs,
        actions=first.actions + [a for a in second.actions if a not in first.actions],
        names=second.names,
        words=first.words | second.words,
        leftovers=second.leftovers,
        start=second.start,
        service_words=first.service_words | second.service_words,
        direct={**first.direct, **second.direct},
    )
    joined.nouns = first.nouns + second.nouns if not second.nouns else second.nouns
    return joined


def _borrow(ask: Ask, previous: Ask) -> Ask:
    """'the metrics bucket and the logs bucket': the verbs of the ask before, acting on this ask's things."""
    ask.levels = list(previous.levels)
    ask.verbs = list(previous.verbs)
    ask.level_verbs = list(previous.level_verbs)
    ask.actions = list(previous.actions)
    own = ask.words - ask.service_words
    for _, at in ask.verbs + ask.level_verbs:
        ask.direct[at] = set(own)
    return ask


def _ambiguous(tokens: list[Token], ask: Ask) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for token in tokens[ask.start :]:
        owners = noun_services().get(token.lemma, ())
        if token.role == "" and len(owners) > 1:
            found.append((token.low, owners))
    return found[:1]


def _draft(result: Resolved) -> GrantDraft:
    return GrantDraft(
        result.service,
        result.levels,
        result.actions,
        result.resources,
        result.resource_type,
        result.verbs,
        result.every,
    )


def _merge(drafts: list[GrantDraft]) -> list[GrantDraft]:
    """Same service, type and resources: one grant ('read and write the orders table' split oddly)."""
    merged: list[GrantDraft] = []
    for draft in drafts:
        twin = next(
            (
                m
                for m in merged
                if (m.service, m.resource_type, m.resources) == (draft.service, draft.resource_type, draft.resources)
            ),
            None,
        )
        if twin is None:
            merged.append(draft)
        else:
            twin.levels += [lv for lv in draft.levels if lv not in twin.levels]
            twin.actions += [a for a in draft.actions if a not in twin.actions]
            twin.verbs += [v for v in draft.verbs if v not in twin.verbs]
    return merged


def _complete(reading: Reading) -> bool:
    return bool(reading.drafts) and all(d.service and (d.levels or d.actions) for d in reading.drafts)


def _better(new: Reading, old: Reading) -> bool:
    def score(r: Reading) -> int:
        return sum(2 * bool(d.service) + bool(d.levels or d.actions) + bool(d.resources) for d in r.drafts)

    return score(new) > score(old)


def s3_split(draft: GrantDraft) -> list[GrantDraft]:
    """S3 'bucket' words: read/write mean the objects in it, list means the bucket itself."""
    if draft.service != "s3" or draft.resource_type not in {"bucket", "object", None}:
        return [draft]
    if any(r.startswith("arn:") for r in draft.resources):
        return [draft]
    out: list[GrantDraft] = []
    object_levels: list[AccessLevel] = [lv for lv in draft.levels if lv is not AccessLevel.LIST]
    if object_levels or draft.actions:
        out.append(GrantDraft("s3", object_levels, draft.actions, draft.resources, "object", draft.verbs, draft.every))
    if AccessLevel.LIST in draft.levels:
        out.append(GrantDraft("s3", [AccessLevel.LIST], [], draft.resources, "bucket", draft.verbs, draft.every))
    return out or [draft]
