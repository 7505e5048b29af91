"""Cutting a tagged message into asks, one grant each: what to do, on what, and how it was named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from bot.domain.arns import parse_arn
from bot.domain.models import AccessLevel
from intents.lexicon import DETERMINERS, JOINERS, LOCATIVE, NAME_SUFFIXES, NAMING, STOPWORDS
from intents.tokens import Token
from intents.verbwords import LEVEL_WORDS, LOOK_WORDS, OBJECT_SYNONYMS
from intents.words import phrase_key, singular

_WANTING = frozenset({"need", "needs", "want", "wants", "require", "requires"})
_EVERY = frozenset({"all", "every", "any", "each"})
_QUESTION = frozenset({"which", "what", "exist", "exists", "there", "whats", "how"})


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
    actions: list[tuple[str, str]] = field(default_factory=list)  # IAM action names typed: (service, name)
    names: list[Name] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # every lemma, for matching action objects
    leftovers: list[str] = field(default_factory=list)  # plain words no rule claimed (a name, perhaps)
    named_leftovers: list[str] = field(default_factory=list)  # of those, the ones after 'for'/'of'/'called'...
    service_words: set[str] = field(default_factory=set)  # words that named the service (not action objects)
    far_services: list[str] = field(default_factory=list)  # services said as a place: "export the table to s3"
    direct: dict[int, set[str]] = field(default_factory=dict)  # verb index -> its direct object's words
    verb_words: set[str] = field(default_factory=set)  # the verbs' and level words' own lemmas
    question: bool = False  # "which queues are there?": asks to see, not to change
    existence: bool = False  # "which keys exist": asks what there is, nothing more (no data reads)
    looking: bool = False  # "inspect the secret", "check the parameter": looks at it, does not take its value
    start: int = 0

    @property
    def has_target(self) -> bool:
        return bool(self.services or self.nouns or self.names)

    @property
    def has_doing(self) -> bool:
        return bool(self.levels or self.verbs or self.level_verbs or self.actions)


def asks(tokens: list[Token]) -> list[Ask]:
    """Cut the tagged tokens into asks at 'and', commas, 'plus', ...; each ask keeps its own words."""
    out = [Ask()]
    for index, token in enumerate(tokens):
        if token.role == "sep" or (token.kind == "word" and token.low in JOINERS and token.role == ""):
            out.append(Ask(start=index + 1))
            continue
        current = out[-1]
        if token.role == "negated":
            continue  # "not the values", "no item reads": ruled out, no word of the ask
        current.words.add(token.lemma)
        if token.lemma in OBJECT_SYNONYMS:
            current.words.add(OBJECT_SYNONYMS[token.lemma])
        _TAKE.get(token.role, _take_plain)(current, tokens, index)
    question = any(t.low in _QUESTION for t in tokens) or "?" in "".join(t.text for t in tokens)
    lows = [t.low for t in tokens]
    existence = bool({"exist", "exists"} & set(lows)) or any(
        a in {"are", "is"} and b == "there" for a, b in pairwise(lows)
    )
    for ask in out:
        ask.question = question
        ask.existence = existence
    kept: list[Ask] = []
    for ask in out:
        if ask.has_target or ask.has_doing:
            kept.append(ask)
        elif kept and ask.words & _WANTING:  # "i-0abc won't boot, need the console output": wanted of it
            kept[-1].words |= ask.words
    return kept


def _take_id(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.service and token.type:
        locative = index > 0 and _locative_before(tokens, index)
        ask.nouns.append(Noun(token.service, token.type, index, locative, False))
        ask.names.append(Name(_prefix(token.text.rstrip(".,")), index, "id", index))
        ask.words.update(token.type.lower().split("-"))


def _take_service(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.service:
        ask.services.append(token.service)
        if index and tokens[index - 1].low in {"to", "into", "from", "onto"}:
            ask.far_services.append(token.service)
        ask.service_words.update(t.lemma for t in tokens[index : index + token.span])


def _take_noun(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.service and token.type:
        locative = index > 0 and _locative_before(tokens, index)
        last = tokens[index + token.span - 1]
        before = {t.low for t in tokens[max(0, index - 2) : index]}
        every = last.low != singular(last.low) or bool(before & _EVERY)
        ask.nouns.append(Noun(token.service, token.type, index, locative, every))
        ask.words.update(phrase_key([t.low for t in tokens[index : index + token.span]]).split())


def _take_level(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.type:
        ask.levels += [lv for lv in LEVEL_WORDS[token.type] if lv not in ask.levels]
        ask.verb_words.update(token.type.split())
        ask.looking = ask.looking or token.type in LOOK_WORDS


def _take_verb(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.type:
        (ask.verbs if token.role == "verb" else ask.level_verbs).append((token.type, index))
        ask.verb_words.add(token.lemma)
        ask.looking = ask.looking or token.type in LOOK_WORDS
        ask.direct[index] = _direct_object(tokens, index)


def _take_name(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    anchor = _anchor(tokens, index)
    suffix = _suffix_noun(token) if anchor is None else None
    if suffix is not None:
        ask.nouns.append(Noun(suffix[0], suffix[1], index, False, False))
        anchor = index
    ask.names.append(Name(_prefix(token.text.rstrip(".,")), anchor, token.kind, index))
    if token.kind == "arn":
        parsed = parse_arn(token.text)
        if parsed is not None and parsed.service:
            ask.services.append(parsed.service)


def _prefix(value: str) -> str:
    """A name cut after a separator ('/aws/lambda/payments-', 'legacy-') is every name that starts so."""
    return value + "*" if len(value) > 2 and value[-1] in "-_" else value


def _take_plain(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.role == "" and token.kind == "word" and token.low not in STOPWORDS and token.low.isalpha():
        ask.leftovers.append(token.text)
        if index and tokens[index - 1].low in {"for", "of", "called", "named", "on"}:
            ask.named_leftovers.append(token.text)


def _take_action(ask: Ask, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    if token.service and token.type:
        ask.actions.append((token.service, token.type))
        ask.verb_words.add(token.low)


_TAKE = {
    "action": _take_action,
    "id": _take_id,
    "service": _take_service,
    "noun": _take_noun,
    "level": _take_level,
    "verb": _take_verb,
    "levelverb": _take_verb,
    "name": _take_name,
}


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
        if token.role == "verb" and token.low == "new":
            continue  # "publish a new layer version": an adjective inside the object
        if (
            token.role in {"sep", "verb", "levelverb", "level"}
            or token.low in LOCATIVE | {"to"}
            or token.low in JOINERS
        ):
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
    back = [w for w in back if w not in DETERMINERS]
    return bool(back) and back[-1] in LOCATIVE


def _anchor(tokens: list[Token], index: int) -> int | None:
    if index + 1 < len(tokens) and tokens[index + 1].role == "noun":
        return index + 1
    back = index - 1
    if back >= 0 and tokens[back].low in NAMING:
        back -= 1
    if back >= 0 and tokens[back].role == "noun":
        return back
    if back >= 0 and tokens[back].role == "part":
        while back >= 0 and tokens[back].role == "part":
            back -= 1
        if back >= 0 and tokens[back].role == "noun":
            return back
    return None
