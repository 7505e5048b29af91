"""Names to resources: which names go to the grant's type, composed into the type's ARN placeholders.

"api" in "cluster main" for an ECS service (service/${ClusterName}/${ServiceName}) is "main/api"; "tmp/"
in the "scratch-data" bucket is "scratch-data/tmp/"; ids AWS generates (a nodegroup's UUID) stay "*".
"""

from __future__ import annotations

import re

from bot.domain import catalog
from bot.domain.service_rules import DEFAULT_TYPES
from intents.segments import Ask, Name
from intents.vocabulary import action_index
from intents.words import camel_words, singular

_CONTEXT = frozenset({"Partition", "Region", "Account"})


_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def resources_of(ask: Ask, service: str, kind: str | None) -> list[str]:
    names = ask.names
    index = action_index(service)
    leftovers = [w for w in ask.leftovers if singular(w.lower()) not in index.objects]
    if not names and leftovers and ask.services and not ask.nouns and (kind or service in DEFAULT_TYPES):
        # "query orders in dynamo": the one word left is the name
        names = [Name(leftovers[-1], None, "word")]
    # "the param history": a plain word after its noun that is one of the service's action objects
    # says what about it, not which one ("the history table" still names a table history).
    names = [
        n
        for n in names
        if not (n.kind == "word" and n.anchor is not None and n.index > n.anchor and n.value.isalpha()
                and singular(n.value.lower()) in index.objects)
    ]  # fmt: skip
    if any(n.anchor is not None for n in names):
        # "results of query 3b5c... in the primary workgroup": an id said by the way names no resource here
        names = [n for n in names if n.anchor is not None or not _UUID.match(n.value)]
    if service == "s3":
        return _s3_names(ask, names)
    if not names and ask.named_leftovers and kind is not None and ask.nouns:
        names = [Name(ask.named_leftovers[-1], None, "word")]  # "queue attrs for notifications"
    if kind is None:
        return [n.value for n in names]
    by_anchor = {n.index: n.type for n in ask.nouns}
    own = [n for n in names if n.anchor is None or by_anchor.get(n.anchor, "").lower() == kind]
    if any(n.anchor is not None for n in own):  # "invalidate /index.html on distribution E1A2": a path said by the way
        own = [n for n in own if n.anchor is not None or n.kind != "path"]
    context = {by_anchor[n.anchor].lower(): n.value for n in names if n.anchor is not None and n not in own}
    if not own and context:
        # "the tables in database analytics": every table of that database, not of the account
        inside = _compose(service, kind, Name("*", None, "word"), context)
        return [inside] if inside != "*" else [n.value for n in names]
    return [_compose(service, kind, name, context) for name in own]


def _s3_names(ask: Ask, names: list[Name]) -> list[str]:
    """'tmp/' in the 'scratch-data' bucket is scratch-data/tmp/: a prefix said apart from its bucket."""
    by_anchor = {n.index: n.type for n in ask.nouns}
    buckets = [n for n in names if n.anchor is not None and by_anchor.get(n.anchor) == "bucket" and n.kind != "path"]
    prefixes = [n for n in names if n.kind == "path" and not n.value.startswith("arn:")]
    if len(buckets) == 1 and prefixes:
        rest = [n.value for n in names if n not in buckets and n not in prefixes]
        return [f"{buckets[0].value}/{p.value.lstrip('/')}" for p in prefixes] + rest
    return [n.value for n in names]


def _compose(service: str, kind: str, name: Name, context: dict[str, str]) -> str:
    """One name per ARN placeholder, in the format's order: 'api' in 'cluster main' for an ECS service
    (service/${ClusterName}/${ServiceName}) is 'main/api'; ids AWS generates (a nodegroup's UUID) are '*'."""
    if name.kind == "arn" or "/" in name.value or _REVISION.match(name.value):
        return name.value  # an ARN, a path, or "family:revision", whole
    row = catalog.resource_type(service, kind)
    if row is None:
        return name.value
    parts = [p for p in _PLACEHOLDER.findall(row.arn_formats[0]) if p not in _CONTEXT]
    if len(parts) < 2 or not context:
        return name.value
    own = set(re.split(r"[-_ ]", kind.lower()))
    parts_of_kind = re.split(r"[-_ ]", kind.lower())
    # the noun the type is: "function alias" an alias, "schedule-group" a group, "rule-on-custom-event-bus" a rule
    head = parts_of_kind[0] if "on" in parts_of_kind[1:] else parts_of_kind[-1]
    values: list[str | None] = []
    for placeholder in parts:
        words = set(camel_words(placeholder)) - {"name", "id"}
        if words and words <= {head}:
            values.append(None)  # the type's own part (ScheduleName, RuleName): the name itself goes there
            continue
        values.append(next((v for t, v in context.items() if words & set(re.split(r"[-_ ]", t))), None))
    target = next((i for i, p in enumerate(parts) if values[i] is None and set(camel_words(p)) & own), None)
    if target is None:
        target = next((i for i, p in enumerate(parts) if values[i] is None and not generated(p)), None)
    if target is None or all(v is None for v in values):
        return name.value
    values[target] = name.value
    return "/".join(v or "*" for v in values)


_REVISION = re.compile(r"^[\w.\-]+:\d+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


_GENERATED = re.compile(r"(Id|ID|UUID|Uuid|Arn|Revision|RevisionNumber|Version|VersionId|Hash|Timestamp)$")


def generated(placeholder: str) -> bool:
    """Placeholders AWS fills in (ids, versions): '*' unless the person gave them."""
    return bool(_GENERATED.search(placeholder))
