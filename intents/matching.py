"""Verbs to actions: a verb and its object matched against a service's action names, best fit first.

"rotate the secret" is RotateSecret, "put records on the stream" PutRecord + PutRecords, "describe eks
clusters" DescribeCluster + ListClusters. docs/conversation.md, "How verbs become actions", explains the score.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.domain import catalog
from bot.domain.models import AccessLevel
from bot.domain.scope import star_allowed
from bot.domain.service_rules import rule_for
from intents.lexicon import STOPWORDS
from intents.segments import Ask
from intents.verbwords import DATA_NOUNS, SOFT_OBJECTS, VERB_OBJECTS, VERB_SYNONYMS
from intents.vocabulary import ActionWords, action_index, type_index
from intents.words import singular

_POLICY_WORDS = frozenset({"policy", "permission", "permissions", "acl", "grant"})


_LOOK_VERBS = frozenset({"describe", "show", "view", "see", "check", "inspect", "look", "list", "get"})


READ_LIKE = frozenset({AccessLevel.READ, AccessLevel.LIST})


_DESTROY = frozenset({"delete", "terminate", "remove", "purge"})


_LIFECYCLE = frozenset({"delete", "create", "terminate", "remove", "update", "modify", "put"})


def without_new(verbs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """'register a new task def': 'new' is an adjective; 'store a new secret': it says what storing means."""
    if len(verbs) < 2 or not any(v == "new" for v, _ in verbs):
        return verbs
    others = [(v, at) for v, at in verbs if v != "new"]
    creating = all(
        v == "create" or any(b == "create" and w >= 0.9 for b, w in VERB_SYNONYMS.get(v, ())) for v, _ in others
    )  # "deploy the stack with a new template" deploys: 'create' is only a weak reading of 'deploy'
    return [(v, at) for v, at in verbs if v == "new"] if creating else others


def is_level_word(verb: str) -> bool:
    return verb in {"read", "write", "list", "view", "see", "look", "check", "inspect", "show", "tail", "fetch"}


def named_actions(service: str, names: tuple[str, ...]) -> list[ActionWords]:
    every = _by_name(service)
    return [every[name] for name in names if name in every]


@cache
def _by_name(service: str) -> dict[str, ActionWords]:
    return {a.action.name: a for found in action_index(service).by_verb.values() for a in found}


@cache
def verb_candidates(service: str, verb: str) -> tuple[tuple[ActionWords, float], ...]:
    """The service's actions the verb may mean, with the synonym's weight (remembered: the catalogue is fixed)."""
    index = action_index(service).by_verb
    pairs = VERB_SYNONYMS.get(verb, ())
    weights = {verb: 1.0, **{v: w for v, w in pairs if v != verb}}
    return tuple((action, weight) for base, weight in weights.items() for action in index.get(base, ()))


@cache
def _grantable(service: str, verb: str) -> tuple[tuple[ActionWords, float], ...]:
    return tuple((a, w) for a, w in verb_candidates(service, verb) if not a.action.needs_star or star_allowed(a.action))


@cache
def _candidate_objects(service: str, verb: str) -> frozenset[str]:
    return frozenset(w for a, _ in verb_candidates(service, verb) for w in a.objects) - type_nouns(service) - {service}


def best_actions(
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
    if verb in SOFT_OBJECTS:  # "scale the asg": its capacity
        wanted.add(SOFT_OBJECTS[verb])
        direct = (direct or set()) | {SOFT_OBJECTS[verb]}
    if verb in VERB_OBJECTS:
        wanted.add(VERB_OBJECTS[verb])
        direct = (direct or set()) | {VERB_OBJECTS[verb]}  # "export logs": an export
    kind_low = kind.lower() if kind else None
    kind_words = type_words_of(kind, service)
    policy_asked = bool(wanted & _POLICY_WORDS)
    tag_asked = bool(wanted & {"tag", "tagging", "label"})
    scored: list[tuple[tuple[Any, ...], ActionWords, bool]] = []
    candidates = verb_candidates(service, verb)
    # Object words said that only some candidates carry, other than the service's type nouns ("cluster",
    # "repository"): they decide between them ("lifecycle policy": PutLifecyclePolicy).
    modifiers = wanted & _candidate_objects(service, verb)
    # Writes that only take "*" are never granted: another action that fits goes first (Athena's
    # StartQueryExecution before RunQuery); alone, they are returned so the caller can say why.
    allowed = _grantable(service, verb)
    if not any(_fits(a, wanted) for a, _ in allowed) and any(_fits(a, wanted) for a, _ in candidates):
        allowed = ()  # "archive the findings": ArchiveFindings (refused, with why), never UpdateDetector
    direct = direct or set()
    for action, weight in allowed or candidates:
        matched = len(action.object_set & wanted)
        if strict and not matched and action.objects:
            continue
        data_only = bool(action.objects) and action.object_set <= DATA_NOUNS and kind_low not in DATA_NOUNS
        if action.verb != verb and data_only and not wanted & DATA_NOUNS:
            continue  # "bump the WCU on the table": a synonym's PutItem only when items are said
        level = action.action.access_level
        if level is AccessLevel.PERMISSIONS_MANAGEMENT and not policy_asked:
            continue
        if level is AccessLevel.TAGGING and not tag_asked:
            continue
        missing = len(action.objects) - matched
        acts_on = kind_low is not None and kind_low in action.types
        said = len(action.object_set & direct)  # "delete items" beats "... table"
        lifecycle = action.verb in _LIFECYCLE and not said and bool(kind_low) and kind_low in action.types
        said_type = kind_low is not None and f"@{kind_low}" in direct
        whole = bool(action.objects) and action.object_set <= direct  # "schedules" is not "schedule group"
        if action.verb in _DESTROY | {"create"} and action.object_set <= kind_words and not (whole or said_type):
            continue  # DeleteQueue/CreateTable only when the queue or table itself is said as what's made or deleted
        if verb in VERB_OBJECTS and action.verb != verb and VERB_OBJECTS[verb] not in action.objects:
            continue  # "tag the topic" is TagResource or CreateTags, never CreateTopic
        off_direct = len(action.object_set - (direct or wanted))  # "create a schedule ... in group X"
        covered = len(named & action.types)  # "snapshot of rds cluster X": the action that acts on the cluster
        # "set a lifecycle policy on the repo": PutLifecyclePolicy has the 'lifecycle' said, SetRepositoryPolicy not
        left = len(modifiers - action.object_set)
        key = (said > 0, -left, weight >= 1.0, said, covered, -off_direct, -missing, matched, acts_on,
               matched > 0 or not action.objects, weight)  # fmt: skip
        scored.append((key, action, lifecycle))
    if any(key[3] for key, _, _ in scored):
        # DeleteTable only when the table itself was said: "delete the rows from the table" names rows.
        scored = [(key, action, False) for key, action, lifecycle in scored if not lifecycle]
    if not scored:
        return []
    top = max(key for key, _, _ in scored)
    if not top[9] and kind_low is None:
        return []  # the verb names none of this service's actions on anything said
    return _inbound_unless_said([action for key, action, _ in scored if key == top], wanted)


_OUTBOUND = frozenset({"egress", "outbound", "outgoing"})


def _inbound_unless_said(best: list[ActionWords], wanted: set[str]) -> list[ActionWords]:
    """'open 443 from 10.0.0.0/16': AuthorizeSecurityGroupIngress; the Egress twin only when outbound is said."""
    if wanted & _OUTBOUND or not any("ingress" in a.objects for a in best):
        return best
    return [a for a in best if "egress" not in a.objects]


@cache
def type_nouns(service: str) -> frozenset[str]:
    return frozenset(w for phrase in type_index(service) for w in phrase.split()) | {
        t.name.lower() for t in catalog.resource_types_of(service)
    }


def _fits(action: ActionWords, wanted: set[str]) -> bool:
    return not action.object_set.isdisjoint(wanted)


def look_companions(verb: str, service: str, found: list[ActionWords], words: set[str]) -> list[ActionWords]:
    """The actions that go with the ones found: their Batch forms ('put records': PutRecordBatch), and for
    looking, listing and reading the same things ('describe eks clusters': ListClusters; 'list findings':
    GetFindings)."""
    index = action_index(service).by_verb
    extra = [
        other
        for action in found
        for other in index.get(action.verb, ())
        if set(other.objects) == set(action.objects) | {"batch"}
        and other.action.access_level is action.action.access_level
    ]
    if verb not in _LOOK_VERBS or any(a.action.access_level not in READ_LIKE for a in found):
        return extra
    if verb == "list":
        extra += [g for a in found for g in index.get("get", ()) + index.get("describe", ()) if g.objects == a.objects]
    objects = {o for a in found for o in a.objects}
    if not objects:
        return extra
    listing = index.get("list", ())
    return extra + [a for a in listing if a.objects and set(a.objects) <= objects | words and set(a.objects) & objects]


def narrow_levels(ask: Ask, service: str, kind: str | None, levels: list[AccessLevel]) -> list[ActionWords]:
    """'read cloudwatch metrics': a level with object words that are no resource type -> the actions on them.

    A curated rule for the resource type wins ('read items of the orders table' stays the table's Read).
    """
    index = action_index(service)
    curated = kind is not None and rule_for(service, kind) is not None
    names = {singular(n.value.lower()) for n in ask.names}
    type_words = type_words_of(kind, service) if kind else set()
    objects = (ask.words & index.objects) - names - type_words - ask.service_words - ask.verb_words - {"access", "data"}
    objects -= STOPWORDS  # "who is subscribed": 'is' is no object (CheckIfPhoneNumberIsOptedOut)
    if service == "s3":  # "the bucket policy" narrows; "objects in the bucket" stays the curated Read
        objects -= type_nouns(service)
    if curated or service == "s3":
        objects -= DATA_NOUNS  # "read items of the orders table" stays the table's curated Read
        if not objects:
            return []
    if not objects and kind is not None and AccessLevel.LIST in levels and not _lists_on(service, kind):
        objects = type_words & index.objects  # "list the eks clusters": ListClusters works only on "*"
    if not objects:
        return []
    allowed = set(levels) | ({AccessLevel.LIST} if AccessLevel.READ in levels else set())
    listing = AccessLevel.LIST in levels  # "list the findings": ListFindings, which IAM calls Read
    found = [
        a
        for actions in index.by_verb.values()
        for a in actions
        if (a.action.access_level in allowed or (listing and a.verb == "list" and a.action.access_level in READ_LIKE))
        and objects & set(a.objects)
        and a.verb not in {"delete", "create"}
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


def type_words_of(kind: str | None, service: str) -> set[str]:
    if kind is None:
        return set()
    return {w for phrase, name in type_index(service).items() if name == kind for w in phrase.split()}
