"""Words to grant drafts: several grants per sentence, s3 nouns mapped to object/bucket, explicit actions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.arns import parse_arn
from bot.domain.models import AccessLevel
from intents.extract import ARN, S3_URL
from intents.lexicon import ACTION_VERB_WORDS, ACTION_VERBS, LEVEL_WORDS, RESOURCE_NOUNS, SERVICE_WORDS

_SEPARATORS = frozenset({"and", ",", ";", "plus", "also", "but", "then", "&", "."})
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "this",
        "that",
        "these",
        "those",
        "some",
        "all",
        "any",
        "every",
        "to",
        "in",
        "on",
        "of",
        "for",
        "from",
        "with",
        "at",
        "into",
        "by",
        "i",
        "me",
        "we",
        "us",
        "need",
        "want",
        "would",
        "like",
        "please",
        "can",
        "could",
        "get",
        "have",
        "give",
        "grant",
        "access",
        "permission",
        "permissions",
        "rights",
        "on",
        "it",
        "is",
        "are",
        "be",
        "let",
        "just",
        "only",
        "also",
        "so",
        "which",
        "who",
        "named",
        "called",
        "and",
        "or",
        "but",
        "because",
        "since",
        "then",
        "plus",
        "not",
        "no",
        "yes",
        "pls",
        "please",
        "thanks",
    ]
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,254}$")
_TOKEN = re.compile(r"@ARN\d+@|\w(?:[\w.\-]*\w)?|[,;&.]|/")
_MAX_NOUN_WORDS = 3
_NOUNS_BY_LEN = sorted(RESOURCE_NOUNS, key=lambda n: -len(n.split()))
_LEVELS_BY_LEN = sorted(LEVEL_WORDS, key=lambda n: -len(n.split()))


@dataclass
class GrantDraft:
    """A grant being built from words; `service` None until known."""

    service: str | None = None
    levels: list[AccessLevel] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    resource_type: str | None = None
    verbs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "levels": [level.value for level in self.levels],
            "actions": list(self.actions),
            "resources": list(self.resources),
            "resource_type": self.resource_type,
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
        )


@dataclass
class _Segment:
    levels: list[AccessLevel] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    service: str | None = None
    resource_type: str | None = None
    noun_types: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    arns: list[str] = field(default_factory=list)

    @property
    def has_target(self) -> bool:
        return bool(self.service or self.names or self.arns)


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Tokens, with ARNs and s3:// URLs replaced by placeholders (returned separately)."""
    found: list[str] = []

    def keep(match: re.Match[str]) -> str:
        found.append(match.group(0).rstrip(".,)"))
        return f" @ARN{len(found) - 1}@ "

    text = ARN.sub(keep, text)
    text = S3_URL.sub(keep, text)
    text = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", " / ", text)
    return _TOKEN.findall(text), found


def _match_phrase(words: list[str], index: int, phrases: list[str]) -> str | None:
    for phrase in phrases:
        parts = phrase.split()
        if [w.lower() for w in words[index : index + len(parts)]] == parts:
            return phrase
    return None


def _segments(tokens: list[str], arns: list[str], services: dict[str, str]) -> list[_Segment]:
    segments = [_Segment()]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower()
        current = segments[-1]
        if lower in _SEPARATORS:
            segments.append(_Segment())
            index += 1
            continue
        if token.startswith("@ARN"):
            current.arns.append(arns[int(token[4:-1])])
            index += 1
            continue
        noun = _match_phrase(tokens, index, _NOUNS_BY_LEN)
        level = _match_phrase(tokens, index, _LEVELS_BY_LEN)
        if noun and (not level or len(noun.split()) >= len(level.split())):
            current.noun_types.append(RESOURCE_NOUNS[noun])
            _name_before(tokens, index, current)
            index += len(noun.split())
            _name_after(tokens, index, current)
            continue
        if level:
            current.levels += [lv for lv in LEVEL_WORDS[level] if lv not in current.levels]
            index += len(level.split())
            continue
        if lower in ACTION_VERB_WORDS:
            current.verbs.append(lower)
        elif lower in services:
            current.service = services[lower]
        elif lower in {"delete", "remove"}:
            current.verbs.append("delete")
        index += 1
    return [s for s in segments if s.levels or s.verbs or s.has_target or s.noun_types]


def _is_name(token: str) -> bool:
    return bool(_NAME.match(token)) and token.lower() not in _STOP and token.lower() not in _ALL_WORDS


def _name_before(tokens: list[str], index: int, segment: _Segment) -> None:
    if index > 0 and _is_name(tokens[index - 1]) and (index < 2 or tokens[index - 2].lower() not in _NAME_BLOCKERS):
        segment.names.append(tokens[index - 1].rstrip("."))


def _name_after(tokens: list[str], index: int, segment: _Segment) -> None:
    if index < len(tokens) and tokens[index].lower() in {"called", "named"}:
        index += 1
    if index < len(tokens) and _is_name(tokens[index]) and not segment.names:
        segment.names.append(tokens[index].rstrip("."))


_NAME_BLOCKERS = frozenset({"tagged", "tag"})
_ALL_WORDS = frozenset(
    {w for phrase in (*RESOURCE_NOUNS, *LEVEL_WORDS, *SERVICE_WORDS) for w in phrase.split()}
    | ACTION_VERB_WORDS
    | {
        "tagged",
        "account",
        "region",
        "hours",
        "hour",
        "days",
        "day",
        "week",
        "sandbox",
        "prod",
        "dev",
        "test",
        "production",
        "instead",
        "actually",
        "because",
        "until",
        "ec2",
        "s3",
        "delete",
        "remove",
        "start",
        "stop",
    }
)


def _arn_target(arn: str) -> tuple[str | None, str]:
    if arn.lower().startswith("s3://"):
        found = S3_URL.match(arn)
        bucket, path = (found.group(1), found.group(2) or "") if found else (arn[5:], "")
        return "s3", f"arn:aws:s3:::{bucket}{path}"
    parsed = parse_arn(arn)
    return (parsed.service if parsed else None), arn


def _to_drafts(segments: list[_Segment]) -> list[GrantDraft]:
    drafts: list[GrantDraft] = []
    carry_levels: list[AccessLevel] = []
    carry_verbs: list[str] = []
    last_levels: list[AccessLevel] = []
    last_verbs: list[str] = []
    for segment in segments:
        if not segment.has_target and not segment.noun_types:
            carry_levels += [lv for lv in segment.levels if lv not in carry_levels]
            carry_verbs += segment.verbs
            continue
        levels = carry_levels + [lv for lv in segment.levels if lv not in carry_levels]
        verbs = carry_verbs + segment.verbs
        carry_levels, carry_verbs = [], []
        if not levels and not verbs:
            levels, verbs = list(last_levels), list(last_verbs)
        last_levels, last_verbs = levels, verbs
        service, kind = segment.service, None
        if segment.noun_types:
            # the most specific noun wins: 'objects in the X bucket' is about objects
            kinds = segment.noun_types
            chosen = next((k for k in kinds if k[1] == "object"), kinds[0])
            if service is None or service == chosen[0] or service not in SERVICE_WORDS.values():
                service, kind = chosen
        resources = list(segment.names)
        for arn in segment.arns:
            arn_service, target = _arn_target(arn)
            service = service or arn_service
            resources.append(target)
        drafts.append(GrantDraft(service, levels, [], resources, kind, verbs))
    if (carry_levels or carry_verbs) and drafts:
        for draft in drafts:
            draft.levels += [lv for lv in carry_levels if lv not in draft.levels]
            draft.verbs += carry_verbs
    elif carry_levels or carry_verbs:
        drafts.append(GrantDraft(None, carry_levels, [], [], None, carry_verbs))
    return [_resolve_verbs(d) for d in _merge(drafts)]


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
            twin.verbs += [v for v in draft.verbs if v not in twin.verbs]
    return merged


def _resolve_verbs(draft: GrantDraft) -> GrantDraft:
    for verb in draft.verbs:
        actions = ACTION_VERBS.get((verb, draft.service or ""))
        if actions:
            draft.actions += [a for a in actions if a not in draft.actions]
    return draft


def s3_split(draft: GrantDraft) -> list[GrantDraft]:
    """S3 'bucket' words: read/write mean the objects in it, list means the bucket itself."""
    if draft.service != "s3" or draft.resource_type not in {"bucket", "object", None}:
        return [draft]
    if any(r.startswith("arn:") for r in draft.resources):
        return [draft]
    out: list[GrantDraft] = []
    object_levels: list[AccessLevel] = [lv for lv in draft.levels if lv is not AccessLevel.LIST]
    if object_levels or draft.actions:
        out.append(GrantDraft("s3", object_levels, draft.actions, draft.resources, "object"))
    if AccessLevel.LIST in draft.levels:
        out.append(GrantDraft("s3", [AccessLevel.LIST], [], draft.resources, "bucket"))
    return out or [draft]


def grant_drafts(text: str, services: dict[str, str]) -> list[GrantDraft]:
    """All grants named in the text, in order."""
    tokens, arns = _tokens(text)
    drafts = _to_drafts(_segments(tokens, arns, services))
    return [piece for draft in drafts for piece in s3_split(draft)]
