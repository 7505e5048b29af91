"""Tagging tokens (service, noun, level, verb, name) and cutting a message into asks, one grant each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from bot.domain.arns import parse_arn
from bot.domain.models import AccessLevel
from intents.lexicon import (
    ID_PATTERNS,
    LEVEL_OR_VERB,
    LEVEL_WORDS,
    NAME_SUFFIXES,
    NOT_VERB_BEFORE,
    OBJECT_SYNONYMS,
    PHRASAL_VERBS,
    POPULAR,
    STOPWORDS,
    VERB_OBJECTS,
)
from intents.tokens import Token
from intents.vocabulary import (
    MAX_PHRASE,
    action_index,
    global_nouns,
    noun_services,
    service_index,
    type_index,
    verbs,
)
from intents.words import phrase_key, singular, verb_forms

_JOINERS = frozenset({"and", "plus", "also", "but", "then", "&", ",", ";", "."})
_DETERMINERS = frozenset({"the", "my", "our", "a", "an", "this", "that", "their", "your", "these", "those"})
_LOCATIVE = frozenset({"in", "of", "on", "under", "within", "inside", "from", "at", "into", "onto", "for", "across"})
_NAMING = frozenset({"called", "named", "name", "=", ":", "id"})
_SUPPORT_BEFORE = frozenset({"aws", "amazon"})
_SUPPORT_AFTER = frozenset({"service", "api", "console", "svc"})
_LEVELS_BY_LEN = sorted(LEVEL_WORDS, key=lambda p: -len(p.split()))
_LEVEL_STARTS = frozenset(p.split()[0] for p in LEVEL_WORDS)
_EVERY = frozenset({"all", "every", "any", "each"})
_QUESTION = frozenset({"which", "what", "exist", "exists", "there", "whats", "how"})
# Inflected forms that are still requests: "needs read", "re-encrypt".
PHRASE_FORMS = frozenset({"reencrypt"})
_IDS = tuple((re.compile(f"^{pattern}$"), service, kind) for pattern, service, kind in ID_PATTERNS)


@dataclass
class Noun:
    service: str
    type: str
    index: int
    locative: bool  # "in the X bucket": where, not what
    every: bool = False  # plural or "all/every/any": all of them, not one to be named


@dataclass
class Name:
    value: str
    anchor: int | None  # index of the noun it names, or None
    kind: str  # word | path | arn | name | id
    index: int = -1  # where it was said


@dataclass
class Ask:
    """One ask of a message: what to do, on what, in which service."""

    services: list[str] = field(default_factory=list)
    nouns: list[Noun] = field(default_factory=list)
    levels: list[AccessLevel] = field(default_factory=list)
    verbs: list[tuple[str, int]] = field(default_factory=list)  # (base form as typed, index)
    level_verbs: list[tuple[str, int]] = field(default_factory=list)  # get/put/query: level or action
    names: list[Name] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # every lemma, for matching action objects
    leftovers: list[str] = field(default_factory=list)  # plain words no rule claimed (a name, perhaps)
    named_leftovers: list[str] = field(default_factory=list)  # of those, the ones after 'for'/'of'/'called'...
    service_words: set[str] = field(default_factory=set)  # words that named the service (not action objects)
    far_services: list[str] = field(default_factory=list)  # services said as a place: "export the table to s3"
    direct: dict[int, set[str]] = field(default_factory=dict)  # verb index -> its direct object's words
    verb_words: set[str] = field(default_factory=set)  # the verbs' and level words' own lemmas
    question: bool = False  # "which queues are there?": asks to see, not to change
    start: int = 0

    @property
    def has_target(self) -> bool:
        return bool(self.services or self.nouns or self.names)

    @property
    def has_doing(self) -> bool:
        return bool(self.levels or self.verbs or self.level_verbs)


def _phrase_at(tokens: list[Token], index: int, table: dict[str, object]) -> tuple[str, int] | None:
    """The longest phrase of `table` starting at `index` (keys are singular words): (key, words).

    Only the last word of a phrase may be plural: "the jobs queue" is a queue named jobs, not a Batch
    job queue; "job queues" are.
    """
    for size in range(min(MAX_PHRASE, len(tokens) - index), 0, -1):
        window = tokens[index : index + size]
        if any(t.kind != "word" for t in window):
            continue
        if any(t.word != singular(t.word) for t in window[:-1]):
            continue
        key = phrase_key([t.word for t in window])
        if key in table:
            return key, size
    return None


def tag(tokens: list[Token]) -> None:
    """Give each token its role, in place: ids, services, nouns (in the services named), levels, verbs, names."""
    _tag_ids(tokens)
    _tag_services(tokens)
    named = [t.service for t in tokens if t.role in {"service", "id"} and t.service]
    named += _shared_owner(tokens, named)
    weak = [t.service for t in tokens if t.role == "weak" and t.service]
    _tag_nouns(tokens, named, weak)
    for token in tokens:
        if token.role == "weak":
            token.role, token.service = "", None  # an everyday word after all ("the payments table")
    _tag_levels_and_verbs(tokens)
    _tag_names(tokens)


def _tag_ids(tokens: list[Token]) -> None:
    """Ids whose shape tells their service: i-0abc... (EC2 instance), alias/app-key (KMS), us-east-1_AbC (Cognito)."""
    for token in tokens:
        if token.kind in {"word", "path"}:
            for pattern, service, kind in _IDS:
                if pattern.match(token.text):
                    token.role, token.service, token.type = "id", service, kind
                    break


def _shared_owner(tokens: list[Token], named: list[str]) -> list[str]:
    """No service named, several nouns each owned by many services ('the api service in cluster main'):
    the service that has a resource type for most of them (ECS has services and clusters); a tie goes
    to the service engineers ask for more (lexicon.POPULAR)."""
    if named:
        return []
    priors = global_nouns()
    words = {
        t.lemma
        for i, t in enumerate(tokens)
        if t.kind == "word" and not t.role and t.lemma in noun_services() and t.lemma not in priors
        and not (i + 1 < len(tokens) and tokens[i + 1].lemma in noun_services())  # "sessions table": a name
    }
    if len(words) < 2:
        return []
    candidates = {service for word in words for service in noun_services()[word] if service in POPULAR}
    if not candidates:
        return []
    hits = {service: sum(1 for word in words if word in type_index(service)) for service in candidates}
    best = max(hits.values())
    winners = sorted((s for s, n in hits.items() if n == best), key=_popularity)
    return winners[:1] if best >= 2 else []


def _popularity(service: str) -> int:
    return POPULAR.index(service) if service in POPULAR else len(POPULAR)


def _tag_services(tokens: list[Token]) -> None:
    index = service_index()
    position = 0
    while position < len(tokens):
        found = _phrase_at(tokens, position, index)  # type: ignore[arg-type]
        if found is None:
            position += 1
            continue
        key, size = found
        word = index[key]
        before = tokens[position - 1].low if position else ""
        after = tokens[position + size].low if position + size < len(tokens) else ""
        strong = not word.weak or before in _SUPPORT_BEFORE or after in _SUPPORT_AFTER
        head = tokens[position]
        head.role, head.service, head.span = ("service" if strong else "weak"), word.service, size
        for follower in tokens[position + 1 : position + size]:
            follower.role, follower.type = "part", "of-service"
        position += size


def _tag_nouns(tokens: list[Token], named: list[str], weak: list[str]) -> None:
    candidates = list(dict.fromkeys(named + weak))
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.role in {"part", "sep"} or token.kind != "word":
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
        if best is None and token.lemma in OBJECT_SYNONYMS:
            synonym = OBJECT_SYNONYMS[token.lemma]
            for service in _nearest_first(candidates, tokens, position):
                if synonym in type_index(service):
                    best = (1, service, type_index(service)[synonym])
                    break
        if best is None:
            found = _phrase_at(tokens, position, global_nouns())  # type: ignore[arg-type]
            if found:
                service, kind = global_nouns()[found[0]]
                best = (found[1], service, kind)
        if best is not None and token.role == "service" and best[1] != token.service:
            best = None  # "amplify apps": Amplify's apps, not WAF's "amplify app" type
        if best is None or (token.role == "service" and best[0] < token.span):
            position += max(1, token.span if token.role in {"service", "weak"} else 1)
            continue
        size, service, kind = best
        for follower in tokens[position + 1 : position + size]:
            follower.role = "part"
        token.role, token.service, token.type, token.span = "noun", service, kind, size
        for other in tokens:
            if other.role == "weak" and other.service == service:
                other.role = "service"  # 'backup' + 'vault': the service after all
        position += size


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
    where = {t.service: i for i, t in enumerate(tokens) if t.role in {"service", "weak"} and t.service}
    return sorted(services, key=lambda s: abs(where.get(s, position) - position))


def _tag_levels_and_verbs(tokens: list[Token]) -> None:
    known = verbs()
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.role or token.kind != "word":
            position += 1
            continue
        phrasal = _phrasal_at(tokens, position)
        if phrasal is not None:
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
        if base is not None and not _is_modifier(tokens, position) and not (
            base == "get" and _get_access(tokens, position)
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
    return bool(following) and (following[0] in {"access", "permission", "permissions", "rights", "me", "a", "an"}
                                or following[0] in LEVEL_WORDS or following[:1] == ["read"])


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
    if before is None:
        return False
    if before.low in _DETERMINERS:
        return True  # "a grant", "the backup table", "the runs"
    if before.low in NOT_VERB_BEFORE and before.low not in _DETERMINERS:
        return True  # "of query", "who changed", "is subscribed"
    if before.role in {"service", "noun"} and (low.endswith(("s", "ing")) or low in {"query", "run"}):
        return True  # "athena query", "job runs", "xray sampling"
    following = after.low if after is not None else ""
    if before.role == "noun" and (after is None or following in _LOCATIVE or after.role == "sep"):
        return True  # "an instance refresh on asg X": a noun after a noun
    return False


def _tag_names(tokens: list[Token]) -> None:
    for position, token in enumerate(tokens):
        if token.role == "id":
            continue
        if token.kind in {"arn", "path", "name"} or looks_like_name(token):
            token.role = "name"
            continue
        if token.role != "noun":
            continue
        before = position - 1
        if before >= 1 and tokens[before].role in {"service", "part"} and tokens[before].service in {None, token.service}:
            before -= 1  # "the orders ddb stream": the name comes before the service word
            while before >= 1 and tokens[before].role == "part":
                before -= 1
        after_token = tokens[position + token.span] if position + token.span < len(tokens) else None
        named_after = after_token is not None and (after_token.role == "id" or after_token.kind in {"arn", "path"})
        if before >= 0 and _could_name(tokens[before]) and not named_after and not _says_what(tokens[before], token.service):
            tokens[before].role = "name"
            continue
        after = position + token.span
        if after < len(tokens) and tokens[after].low in _NAMING:
            after += 1
        if (
            after < len(tokens)
            and _could_name(tokens[after])
            and tokens[after].kind == "word"
            and not _says_what(tokens[after], token.service)
        ):
            tokens[after].role = "name"


def _says_what(token: Token, service: str | None) -> bool:
    """'stack events', 'queue attrs': a plain word after a noun that one of its service's actions is about."""
    if service is None or not token.low.isalpha():
        return False
    objects = action_index(service).objects
    lemma = token.lemma
    return lemma in objects or OBJECT_SYNONYMS.get(lemma, "") in objects


def _could_name(token: Token) -> bool:
    # Verbs are never names here: a verb-looking word between a determiner and a noun was left untagged
    # ("the backup table", see _is_modifier), so it arrives here with no role.
    if token.role != "" or token.kind != "word":
        return False
    low = token.low
    return low not in STOPWORDS and low not in _JOINERS and low not in VERB_OBJECTS


def looks_like_name(token: Token) -> bool:
    """A free-standing token that can only be a name: digits, dashes, underscores, dots or inner capitals."""
    text = token.text
    if token.kind != "word" or token.role or text.lower() in STOPWORDS:
        return False
    camel = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)  # DataScientist, not TTL
    if text.isdigit():
        return False  # "PR #881", "to 5 nodes": numbers, not names
    return any(c in text for c in "-_.") or any(c.isdigit() for c in text) or camel


def asks(tokens: list[Token]) -> list[Ask]:
    """Cut the tagged tokens into asks at 'and', commas, 'plus', ...; each ask keeps its own words."""
    out = [Ask()]
    for index, token in enumerate(tokens):
        current = out[-1]
        if token.role == "sep" or (token.kind == "word" and token.low in _JOINERS and token.role == ""):
            out.append(Ask(start=index + 1))
            continue
        current.words.add(token.lemma)
        if token.lemma in OBJECT_SYNONYMS:
            current.words.add(OBJECT_SYNONYMS[token.lemma])
        if token.role == "id" and token.service and token.type:
            locative = index > 0 and _locative_before(tokens, index)
            current.nouns.append(Noun(token.service, token.type, index, locative, False))
            current.names.append(Name(token.text.rstrip(".,"), index, "id", index))
            current.words.update(token.type.lower().split("-"))
            continue
        if token.role == "service" and token.service:
            current.services.append(token.service)
            if index and tokens[index - 1].low in {"to", "into", "from", "onto"}:
                current.far_services.append(token.service)
            current.service_words.update(t.lemma for t in tokens[index : index + token.span])
        elif token.role == "noun" and token.service and token.type:
            locative = index > 0 and _locative_before(tokens, index)
            last = tokens[index + token.span - 1]
            before = {t.low for t in tokens[max(0, index - 2) : index]}
            every = last.low != singular(last.low) or bool(before & _EVERY)
            current.nouns.append(Noun(token.service, token.type, index, locative, every))
            current.words.update(phrase_key([t.low for t in tokens[index : index + token.span]]).split())
        elif token.role == "level" and token.type:
            current.levels += [lv for lv in LEVEL_WORDS[token.type] if lv not in current.levels]
            current.verb_words.update(token.type.split())
        elif token.role == "verb" and token.type:
            current.verbs.append((token.type, index))
            current.verb_words.add(token.lemma)
            current.direct[index] = _direct_object(tokens, index)
        elif token.role == "levelverb" and token.type:
            current.level_verbs.append((token.type, index))
            current.verb_words.add(token.lemma)
            current.direct[index] = _direct_object(tokens, index)
        elif token.role == "name":
            anchor = _anchor(tokens, index)
            suffix = _suffix_noun(token) if anchor is None else None
            if suffix is not None:
                current.nouns.append(Noun(suffix[0], suffix[1], index, False, False))
                anchor = index
            current.names.append(Name(token.text.rstrip(".,"), anchor, token.kind, index))
            if token.kind == "arn":
                parsed = parse_arn(token.text)
                if parsed is not None and parsed.service:
                    current.services.append(parsed.service)
        elif token.role == "" and token.kind == "word" and token.low not in STOPWORDS and token.low.isalpha():
            current.leftovers.append(token.text)
            if index and tokens[index - 1].low in {"for", "of", "called", "named", "on"}:
                current.named_leftovers.append(token.text)
    question = any(t.low in _QUESTION for t in tokens) or "?" in "".join(t.text for t in tokens)
    for ask in out:
        ask.question = question
    return [a for a in out if a.has_target or a.has_doing]


def _type_name_words(name: str) -> set[str]:
    return {singular(w) for w in re.split(r"[-_ ]", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()) if w}


def _suffix_noun(token: Token) -> tuple[str, str] | None:
    """'payments-dlq', 'ingest-q', 'orders-table': the ending says what kind of thing it is."""
    if token.kind != "word" or ("-" not in token.text and "_" not in token.text):
        return None
    ending = re.split(r"[-_]", token.text.lower())[-1]
    return NAME_SUFFIXES.get(ending)


def _direct_object(tokens: list[Token], index: int) -> set[str]:
    """The words right after a verb, up to 'in/on/from ...', another verb or a comma: what it acts on."""
    words: set[str] = set()
    start = index + 1
    while start < len(tokens) and tokens[start].role == "part":
        start += 1  # "turn on SSE": the particle belongs to the verb
    for token in tokens[start:]:
        if token.role in {"sep", "verb", "levelverb", "level"} or token.low in _LOCATIVE | {"to"} or token.low in _JOINERS:
            break
        if token.role not in {"name", "service", "part"}:  # "describe eks clusters": eks says where, not what
            words.update(token.lemma.split())
            if token.role == "noun" and token.type:
                words.add(f"@{token.type.lower()}")  # the type said itself ("a new lambda" says function)
            if token.lemma in OBJECT_SYNONYMS:
                words.add(OBJECT_SYNONYMS[token.lemma])
        elif token.role == "part" and token.type != "of-service" and words:
            words.update(token.lemma.split())  # the rest of a noun phrase: "log group"
    return words


def _locative_before(tokens: list[Token], index: int) -> bool:
    back = [t.low for t in tokens[max(0, index - 3) : index] if t.role not in {"name", "service"}]
    back = [w for w in back if w not in _DETERMINERS]
    return bool(back) and back[-1] in _LOCATIVE


def _anchor(tokens: list[Token], index: int) -> int | None:
    if index + 1 < len(tokens) and tokens[index + 1].role == "noun":
        return index + 1
    back = index - 1
    if back >= 0 and tokens[back].low in _NAMING:
        back -= 1
    if back >= 0 and tokens[back].role == "noun":
        return back
    if back >= 0 and tokens[back].role == "part":
        while back >= 0 and tokens[back].role == "part":
            back -= 1
        if back >= 0 and tokens[back].role == "noun":
            return back
    return None
