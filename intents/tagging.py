"""Tagging tokens from the vocabulary: ids, services, nouns (resource types), levels, verbs and names."""

from __future__ import annotations

import re
from functools import cache

from intents.lexicon import DETERMINERS, GENERIC_NOUNS, ID_PATTERNS, LOCATIVE, POPULAR
from intents.naming import INSTANCE_TYPE, tag_names
from intents.tokens import Token
from intents.typed_actions import tag_actions
from intents.verbwords import LEVEL_OR_VERB, LEVEL_WORDS, NOT_VERB_BEFORE, OBJECT_SYNONYMS, PHRASAL_VERBS
from intents.vocabulary import (
    MAX_PHRASE,
    ServiceWord,
    global_nouns,
    noun_services,
    service_index,
    type_index,
    verbs,
)
from intents.words import phrase_key, singular, verb_forms

_SUPPORT_BEFORE = frozenset({"aws", "amazon"})


_SUPPORT_AFTER = frozenset({"service", "api", "console", "svc"})


_LEVELS_BY_LEN = sorted(LEVEL_WORDS, key=lambda p: -len(p.split()))


_LEVEL_STARTS = frozenset(p.split()[0] for p in LEVEL_WORDS)


# Inflected forms that are still requests: "needs read", "re-encrypt".
PHRASE_FORMS = frozenset({"reencrypt"})


_IDS = tuple((re.compile(f"^{pattern}$"), service, kind) for pattern, service, kind in ID_PATTERNS)
# All the shapes in one expression, first listed first (one match a token instead of one per shape).
_ID_SHAPES = re.compile("|".join(f"(?P<i{n}>{pattern})$" for n, (pattern, _, _) in enumerate(ID_PATTERNS)))


_FIRST_WORDS: dict[int, tuple[dict[str, object], frozenset[str]]] = {}


def _first_words(table: dict[str, object]) -> frozenset[str]:
    """The first words of a table's phrases (tables are the vocabulary's cached dicts, so kept by identity)."""
    found = _FIRST_WORDS.get(id(table))
    if found is None or found[0] is not table:
        found = _FIRST_WORDS[id(table)] = (table, frozenset(key.split(" ", 1)[0] for key in table))
    return found[1]


def _phrase_at(
    tokens: list[Token], index: int, table: dict[str, object], *, names: bool = False
) -> tuple[str, int] | None:
    """The longest phrase of `table` starting at `index` (keys are singular words): (key, words).

    Only the last word of a phrase may be plural: "the jobs queue" is a queue named jobs, not a Batch
    job queue; "job queues" are.
    """
    first = tokens[index]
    if first.kind != "word" or singular(first.word) not in _first_words(table):
        return None  # most words start no phrase: one set lookup instead of five keys
    for size in range(min(MAX_PHRASE, len(tokens) - index), 0, -1):
        window = tokens[index : index + size]
        if any(t.kind != "word" for t in window):
            continue
        if not names and any(t.word != singular(t.word) for t in window[:-1]):
            continue  # (a service's name may be plural inside: "Secrets Manager", "Systems Manager")
        key = phrase_key([t.word for t in window])
        if key in table:
            return key, size
    return None


def tag(tokens: list[Token]) -> None:
    """Give each token its role, in place: ids, services, nouns (in the services named), levels, verbs, names."""
    _tag_negated(tokens)
    _tag_ids(tokens)
    _tag_services(tokens)
    named = [t.service for t in tokens if t.role in {"service", "id"} and t.service]
    named += _shared_owner(tokens, named)
    weak = [t.service for t in tokens if t.role == "weak" and t.service]
    _tag_nouns(tokens, named, weak)
    for token in tokens:
        if token.role == "weak":
            token.role, token.service = "", None  # an everyday word after all ("the payments table")
    tag_actions(tokens)
    _tag_levels_and_verbs(tokens)
    tag_names(tokens)


_NOT = frozenset({"dont", "don't", "no", "not", "never", "without", "nor"})
_NOT_WANTING = frozenset({"need", "want", "require", "needed", "wanted", "any"})
_NOT_END = frozenset({"but", "and", "just", "only", "then", "plus"})


def _tag_negated(tokens: list[Token]) -> None:
    """'dont need object access', 'no item reads pls', 'without delete': what is ruled out says no
    service, thing or verb (role 'negated'), up to the next comma or 'but'."""
    for index, token in enumerate(tokens):
        if token.low not in _NOT or index + 1 >= len(tokens):
            continue
        start = index + 1
        if tokens[start].low in _NOT_WANTING:
            start += 1
        elif tokens[start].low in {"have", "has", "had", "be", "is", "are", "sure", "longer"}:
            continue  # "I don't have access to the bucket": a reason, the thing still named
        for follower in tokens[start:]:
            if follower.kind == "sep" or follower.low in _NOT_END or follower.role:
                break
            follower.role = "negated"


def _tag_ids(tokens: list[Token]) -> None:
    """Ids whose shape tells their service: i-0abc... (EC2 instance), alias/app-key (KMS), us-east-1_AbC (Cognito).
    An instance size alone ("spin up a t3.micro") says an EC2 instance, with no name."""
    for token in tokens:
        if token.kind == "word" and INSTANCE_TYPE.match(token.text) and not token.low.startswith(("db.", "cache.")):
            token.role, token.service, token.type = "noun", "ec2", "instance"
            continue
        if token.kind in {"word", "path"}:
            found = _ID_SHAPES.match(token.text)
            if found is not None and found.lastgroup is not None:
                token.role = "id"
                token.service, token.type = _IDS[int(found.lastgroup[1:])][1:]


def _shared_owner(tokens: list[Token], named: list[str]) -> list[str]:
    """No service named, several nouns each owned by many services ('the api service in cluster main'):
    the service that has a resource type for most of them (ECS has services and clusters); a tie goes
    to the service engineers ask for more (lexicon.POPULAR)."""
    if named:
        return []
    priors = global_nouns()
    words: set[str] = set()
    skip = -1
    for i, t in enumerate(tokens):
        if t.kind != "word" or t.role or i == skip:
            continue
        pair = f"{t.lemma} {tokens[i + 1].lemma}" if i + 1 < len(tokens) else ""
        if pair in priors:
            skip = i + 1  # an everyday noun ("web acl"): its own service, no vote
        elif pair in noun_services():
            words.add(pair)  # "recovery points"
            skip = i + 1
        elif (
            t.lemma in noun_services()
            and t.lemma not in priors
            and t.lemma not in GENERIC_NOUNS
            and not (i + 1 < len(tokens) and tokens[i + 1].lemma in noun_services())  # "sessions table": a name
        ):
            words.add(t.lemma)
    if len(words) < 2:
        return []
    candidates = {service for word in words for service in noun_services()[word] if service in POPULAR}
    if not candidates:
        return []
    hits = {service: sum(1 for word in words if word in type_index(service)) for service in candidates}
    best = max(hits.values())
    winners = sorted((s for s, n in hits.items() if n == best), key=lambda s: (_popularity(s), s))
    return winners[:1] if best >= 2 else []


def _popularity(service: str) -> int:
    return POPULAR.index(service) if service in POPULAR else len(POPULAR)


def _tag_services(tokens: list[Token]) -> None:
    index = service_index()
    strong_elsewhere = _strong_services(tokens, index)
    position = 0
    while position < len(tokens):
        found = _phrase_at(tokens, position, index, names=True)  # type: ignore[arg-type]
        if found is None or tokens[position].role == "negated":
            position += 1
            continue
        key, size = found
        word = index[key]
        before = tokens[position - 1].low if position else ""
        after = tokens[position + size].low if position + size < len(tokens) else ""
        # "the Payments service" is the service; "the payments service in ecs cluster main" an ECS service's name
        supported = after in _SUPPORT_AFTER and not (strong_elsewhere - {word.service})
        strong = not word.weak or before in _SUPPORT_BEFORE or supported
        if before in {"not", "no", "isn't", "without"}:  # "the dynamo one, not cloudwatch": not this service
            position += size
            continue
        if word.service == "iam" and after in {"auth", "authentication", "authorization", "authn", "authz"}:
            position += size  # "mount efs with iam auth", "connect with iam auth": how, not IAM itself
            continue
        head = tokens[position]
        head.role, head.service, head.span = ("service" if strong else "weak"), word.service, size
        for follower in tokens[position + 1 : position + size]:
            follower.role, follower.type = "part", "of-service"
        position += size


def _strong_services(tokens: list[Token], index: dict[str, ServiceWord]) -> set[str]:
    """The services named by words that are nothing else (not 'payments', 'config', 'events')."""
    found: set[str] = set()
    for position in range(len(tokens)):
        hit = _phrase_at(tokens, position, index)  # type: ignore[arg-type]
        if hit is not None and not index[hit[0]].weak:
            found.add(index[hit[0]].service)
    return found


def _tag_nouns(tokens: list[Token], named: list[str], weak: list[str]) -> None:
    candidates = list(dict.fromkeys(named + weak))
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.role in {"part", "sep", "negated"} or token.kind != "word":
            position += 1
            continue
        if _opens_with_verb(tokens, position):
            position += 1  # "check status of ...", "snapshot volume vol-...": a command starts with its verb
            continue
        best: tuple[int, str, str] | None = None  # (size, service, type)
        for service in _nearest_first(candidates, tokens, position):
            found = _phrase_at(tokens, position, type_index(service))  # type: ignore[arg-type]
            if found and (best is None or found[1] > best[0]):
                best = (found[1], service, type_index(service)[found[0]])
        for service in dict.fromkeys(t.service for t in tokens[:position] if t.role == "noun" and t.service):
            # "a schedule ... in schedule group ops": a longer phrase of a service a noun already named
            # (or an everyday word that is one of its types: "create schedules in group ops")
            found = _phrase_at(tokens, position, type_index(service))  # type: ignore[arg-type]
            longer = found is not None and (found[1] >= 2 or token.lemma in GENERIC_NOUNS)
            if found and longer and (best is None or found[1] > best[0]):
                best = (found[1], service, type_index(service)[found[0]])
        if best is None and token.lemma in OBJECT_SYNONYMS:
            synonym = OBJECT_SYNONYMS[token.lemma]
            for service in _nearest_first(candidates, tokens, position):
                if synonym in type_index(service):
                    best = (1, service, type_index(service)[synonym])
                    break
        own = best is not None  # from a named (or weak) service's own types, not the everyday nouns
        if best is None:
            found = _phrase_at(tokens, position, global_nouns())  # type: ignore[arg-type]
            if found:
                service, kind = global_nouns()[found[0]]
                best = (found[1], service, kind)
        if best is None and not candidates and not _before_noun(tokens, position):
            best = _popular_owner(token)
        if best is not None and token.role == "service" and best[1] != token.service:
            best = None  # "amplify apps": Amplify's apps, not WAF's "amplify app" type
        if best is None or (token.role == "service" and best[0] < token.span):
            position += max(1, token.span if token.role in {"service", "weak"} else 1)
            continue
        size, service, kind = best
        for follower in tokens[position + 1 : position + size]:
            follower.role = "part"
        was_weak = token.role == "weak"
        token.role, token.service, token.type, token.span = "noun", service, kind, size
        for other in tokens:
            if other.role == "weak" and other.service == service and not (was_weak and other is token):
                other.role = "service"  # 'backup' + 'vault': the service after all
        if own and was_weak and size == 1 and token.lemma not in global_nouns() and not any(
            t.role == "service" and t.service == service for t in tokens
        ):
            token.role, token.service, token.type = "", None, None  # "their config": a word, not AWS Config
        position += size


def _before_noun(tokens: list[Token], position: int) -> bool:
    """Whether the next word is a noun: then this one names the thing ('the alerts topic')."""
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return following is not None and (following.lemma in noun_services() or following.lemma in global_nouns())


def _popular_owner(token: Token) -> tuple[int, str, str] | None:
    """A noun only one popular service has ('layer': Lambda's), when nothing else names the service."""
    if token.lemma in GENERIC_NOUNS:
        return None
    owners = [s for s in noun_services().get(token.lemma, ()) if s in POPULAR[:40]]
    if len(owners) != 1:
        return None
    kind = type_index(owners[0]).get(token.lemma)
    return (1, owners[0], kind) if kind else None


def _opens_with_verb(tokens: list[Token], position: int) -> bool:
    """The first word of the message, or after a comma, when it is a verb and a noun phrase doesn't go on."""
    token = tokens[position]
    if position and tokens[position - 1].role != "sep":
        return False
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    if following is None or following.kind != "word" or token.word not in verbs():
        return False
    return f"{token.lemma} {following.lemma}" not in _noun_openings()


@cache
def _noun_openings() -> frozenset[str]:
    """The first two words of every multi-word noun phrase ('backup vault', 'log group')."""
    return frozenset(" ".join(p.split()[:2]) for p in global_nouns() if " " in p)


def _nearest_first(services: list[str], tokens: list[Token], position: int) -> list[str]:
    where: dict[str, int] = {}
    for i, t in enumerate(tokens):
        if t.role in {"service", "weak", "id"} and t.service:
            where.setdefault(t.service, i)
    return sorted(services, key=lambda s: abs(where.get(s, len(tokens) + position) - position))


def _tag_levels_and_verbs(tokens: list[Token]) -> None:
    known = verbs()
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.role or token.kind != "word":
            position += 1
            continue
        phrasal = _phrasal_at(tokens, position)
        if phrasal is not None and not _is_modifier(tokens, position):  # "rules are set up": not a request
            token.role, token.type, token.span = "verb", phrasal, 2
            tokens[position + 1].role = "part"
            position += 2
            continue
        level = _level_at(tokens, position)
        if level is not None:
            token.role, token.span = "level", len(level.split())
            token.type = level
            for follower in tokens[position + 1 : position + token.span]:
                follower.role = "part"
            position += token.span
            continue
        word = token.word.replace("-", "") if token.low.startswith("re-") else token.word
        base = next((form for form in verb_forms(word) if form in known), None)
        if base is not None and word != base and not word.endswith("ing") and word not in PHRASE_FORMS:
            base = None  # "uploads", "runs", "deleted": a plural noun or an adjective, not a request
        after_level = position > 0 and tokens[position - 1].role == "level" and base not in LEVEL_OR_VERB
        if (
            base is not None
            and not _is_modifier(tokens, position)
            and not (base == "get" and _get_access(tokens, position))
            and not after_level  # "view upgrade insights": 'upgrade' says which insights
        ):
            token.role = "levelverb" if base in LEVEL_OR_VERB else "verb"
            token.type = base
        position += 1


def _phrasal_at(tokens: list[Token], position: int) -> str | None:
    if position + 1 >= len(tokens) or tokens[position + 1].role or tokens[position + 1].kind != "word":
        return None
    return PHRASAL_VERBS.get(f"{tokens[position].low} {tokens[position + 1].low}")


def _level_at(tokens: list[Token], position: int) -> str | None:
    if tokens[position].word not in _LEVEL_STARTS:
        return None
    for phrase in _LEVELS_BY_LEN:
        parts = phrase.split()
        window = tokens[position : position + len(parts)]
        if len(window) == len(parts) and [t.word for t in window] == parts:
            return phrase
    return None


def _get_access(tokens: list[Token], position: int) -> bool:
    """'get read access', 'get access to': 'get' means obtain, not an action."""
    following = [t.low for t in tokens[position + 1 : position + 3]]
    return bool(following) and (
        following[0] in {"access", "permission", "permissions", "rights", "me", "a", "an"}
        or following[0] in LEVEL_WORDS
        or following[:1] == ["read"]
        or tokens[position + 1].role == "action"  # "can I get PutObject on X": the action is what is asked
    )


_ING_NOUNS = frozenset({"setting", "logging", "versioning", "mapping", "routing", "caching", "pricing", "billing",
                        "recording", "string", "building", "warning", "processing"})  # fmt: skip
_PERMITTED = frozenset({"allowed", "permitted", "authorized", "authorised", "entitled", "failed", "fails", "unable",
                        "tried", "refused", "refuses"})  # "failed to update": what happened, not asked
_WANT_TO = frozenset({"need", "needs", "want", "wants", "like", "able", "have", "has", "going", "trying", "try",
                      "access", "permission", "permissions", "rights", "how", "wanna", "gotta", "also", "and",
                      "or", "please", "pls", "me", "us", "i", "we", "just", "only", "then", "ability", "back",
                      "plus"})  # fmt: skip


def _purpose(tokens: list[Token], index: int) -> bool:
    """Whether "to" after tokens[index] starts a purpose: after an id, a name, an account or a place word."""
    before = tokens[index]
    # (an account or region said there is blanked before reading: "in test to restart" reads "in to restart")
    return before.low not in _WANT_TO and (before.role in {"id", "name", "noun"} or before.kind != "word" or
                                            before.low in LOCATIVE)
_NEGATIONS = frozenset({"don't", "dont", "do not", "not", "never", "no", "without", "nor", "won't", "didn't"})
_SUBORDINATE = frozenset({"while", "because", "since", "whilst", "once", "so", "cause", "cuz"})


def _negated_or_subordinate(tokens: list[Token], position: int) -> bool:
    """A verb in a negated phrase ("don't need to pull") or a clause that says why or when ("while we fix
    the target"), back to the last separator."""
    for back in range(position - 1, max(-1, position - 8), -1):
        token = tokens[back]
        if token.role == "sep" or token.low in {"and", "but", "then", "plus"}:
            return False
        if token.low in _SUBORDINATE or (token.low in _NEGATIONS and position - back <= 3):
            return True
    return False


def _is_modifier(tokens: list[Token], position: int) -> bool:
    """Not a verb here: 'the backup table', 'results of query X', 'who changed', 'is subscribed',
    'athena query', 'glue job runs' (a verb-looking word used as a noun or an adjective)."""
    before = tokens[position - 1] if position else None
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    low = tokens[position].low
    if low == "new":  # "a new queue", "new dynamo table": create; "new code", "a new version": no
        return not any(t.role in {"noun", "service"} for t in tokens[position + 1 : position + 3])
    if after is not None and after.low in {"it", "that", "this", "them", "sure"} and low in {"make", "let"}:
        return True  # "make it eu-west-1": a correction, not a request to create
    if after is not None and after.role == "noun" and low.endswith("ing"):
        return True  # "sampling rule", "logging bucket"
    if low in _ING_NOUNS or (low == "kill" and after is not None and after.low == "switch"):
        return True  # "its TTL setting", "the logging config", "kill switch": nouns, not requests
    if _negated_or_subordinate(tokens, position):
        return True  # "don't need to pull anything", "while we fix the target": not asked for
    if before is not None and before.low == "to" and position > 1 and tokens[position - 2].low in _PERMITTED:
        return True  # "who's allowed to invoke X": a question about a permission, not a request for it
    if before is not None and before.low == "to" and position > 1 and _purpose(tokens, position - 2):
        return True  # "run X on i-0abc in test to restart nginx": why, not another request
    if before is None:
        return False
    if before.low in DETERMINERS:
        return True  # "a grant", "the backup table", "the runs"
    if before.low in NOT_VERB_BEFORE and before.low not in DETERMINERS:
        return True  # "of query", "who changed", "is subscribed"
    if before.role in {"service", "noun"} and (low.endswith(("s", "ing")) or low in {"query", "run"}):
        return True  # "athena query", "job runs", "xray sampling"
    following = after.low if after is not None else ""
    # "an instance refresh on asg X": a noun after a noun
    return before.role == "noun" and (after is None or following in LOCATIVE or after.role == "sep")
