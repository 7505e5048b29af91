"""Which service an ask is for: the one named, the named thing's, or the one whose actions fit the verbs said."""

from __future__ import annotations

from functools import cache

from bot.domain import catalog
from intents.lexicon import POPULAR
from intents.matching import best_actions
from intents.recipes import VERB_RECIPES
from intents.segments import Ask
from intents.verbwords import VERB_PRIORS, VERB_SYNONYMS
from intents.vocabulary import action_phrases

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
        named = named_types(ask, service)
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


def named_types(ask: Ask, service: str) -> frozenset[str]:
    """Lower-case types of the things named in the ask (a name next to its noun, or an id)."""
    anchored = {n.anchor for n in ask.names if n.anchor is not None}
    own = _type_names(service)
    # another service's thing this one acts on counts too: SSM's SendCommand on an EC2 instance id
    return frozenset(
        n.type.lower() for n in ask.nouns if n.index in anchored and (n.service == service or n.type.lower() in own)
    )


@cache
def _type_names(service: str) -> frozenset[str]:
    return frozenset(t.name.lower() for t in catalog.resource_types_of(service))
