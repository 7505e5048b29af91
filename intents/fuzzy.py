"""Typos read as vocabulary words ('tabel' -> table, 'dynamdb' -> dynamodb) with rapidfuzz's edit distance.

Only words no rule claimed are looked at, and only when the exact reading left the request incomplete,
so a resource name is never "corrected". The words each typo was read as are shown back to the person.
"""

from __future__ import annotations

from functools import cache

from intents.lexicon import GENERIC_NOUNS, NOUN_PRIORS, STOPWORDS
from intents.tokens import Token
from intents.verbwords import LEVEL_WORDS
from intents.vocabulary import action_index, noun_services, service_index, type_index, verbs
from intents.words import singular, verb_forms

_MIN_LENGTH = 4
_SHORT = 4


@cache
def _base_vocabulary() -> tuple[str, ...]:
    words = {w for w in service_index() if " " not in w}
    words |= {w for phrase in NOUN_PRIORS for w in phrase.split()}
    words |= {w for phrase in LEVEL_WORDS for w in phrase.split() if w.isalpha()}
    words |= verbs() | STOPWORDS
    return tuple(sorted(w for w in words if len(w) >= 3))


def _vocabulary(services: tuple[str, ...]) -> tuple[str, ...]:
    extra = {w for s in services for phrase in type_index(s) for w in phrase.split()}
    extra |= {w for s in services for w in action_index(s).objects}
    return tuple(sorted(set(_base_vocabulary()) | {w for w in extra if len(w) >= 3}))


def _limit(word: str) -> int:
    return 1 if len(word) < 8 else 2


def correct(tokens: list[Token]) -> list[Token] | None:
    """A copy of `tokens` with unclaimed misspelt words read as vocabulary words, or None if none was."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    services = tuple(sorted({t.service for t in tokens if t.service}))
    vocabulary: tuple[str, ...] | None = None
    fixed: list[Token] = []
    changed = False
    for token in tokens:
        copy = Token(token.text, token.kind)
        low = token.low
        known = set(verb_forms(low)[1:]) & set(verbs())  # "changed" is a form of "change", not a typo
        misspelt = _misspelt_service(token)
        if misspelt is not None:  # "the dyanmo table": taken for a name, a service after all
            copy.read_as = misspelt
            changed = True
        elif (
            token.role == ""
            and token.kind == "word"
            and low.isalpha()
            and len(low) >= _MIN_LENGTH
            and low not in STOPWORDS
            and not known
        ):
            vocabulary = vocabulary or _vocabulary(services)
            for form in (f for f in dict.fromkeys((singular(low), low)) if len(f) >= _MIN_LENGTH):
                found = process.extractOne(
                    form, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=_limit(form)
                )
                if found is not None:
                    break
            # Typos keep their first letter far more often than not; 'full' is not 'pull'. A short word
            # one letter off is as often another English word ('port' is not 'post'): only swapped letters.
            if found is not None and len(found[0]) <= _SHORT and sorted(found[0]) != sorted(form):
                found = None
            if found is not None and found[0][0] == low[0] and found[0] not in {low, singular(low)} | STOPWORDS:
                copy.read_as = found[0]
                changed = True
        fixed.append(copy)
    return fixed if changed else None


_SERVICE_TYPO_LENGTH = 6


@cache
def _service_words() -> tuple[str, ...]:
    return tuple(sorted(w for w in service_index() if " " not in w and len(w) >= _SERVICE_TYPO_LENGTH))


@cache
def _verb_words() -> tuple[str, ...]:
    return tuple(sorted(w for w in verbs() if len(w) >= _SERVICE_TYPO_LENGTH))


def _unknown_word(low: str) -> bool:
    """A plain word of six letters or more that is no word of the vocabulary's own ('document', 'changed')."""
    if not low.isalpha() or len(low) < _SERVICE_TYPO_LENGTH:
        return False
    if low in STOPWORDS or low in GENERIC_NOUNS or singular(low) in noun_services():
        return False
    return not set(verb_forms(low)[1:]) & set(verbs())


def _service_typo(low: str, limit: int) -> str | None:
    """The service name a plain word of six letters or more misspells, if any (never a word of its own:
    'document' is not a misspelt DocumentDB, 'changed' is no typo)."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    if not _unknown_word(low):
        return None
    found = process.extractOne(low, _service_words(), scorer=DamerauLevenshtein.distance, score_cutoff=limit)
    return found[0] if found is not None and found[0] != low and found[0][0] == low[0] else None


def _misspelt_service(token: Token) -> str | None:
    """A word taken for a name that is one edit from a service's name ("the dyanmo table")."""
    if token.role != "name" or token.kind != "word" or token.low in service_index():
        return None
    return _service_typo(token.low, 1)


def service_typos(tokens: list[Token]) -> bool:
    """Whether an unclaimed word is a misspelt service name ('sagemkaer', 'eventbrige'): then the reading
    without it may have picked another service, so typos are read even when it looked complete."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    for token in tokens:
        low = token.low
        if token.role not in {"", "name"} or token.kind != "word":
            continue  # a plain word may have been taken for a name: "the dyanmo table"
        if _service_typo(low, _limit(low)) is not None:
            return True
        # "recieve + delete msgs": a misspelt verb would go unread next to a right one
        if token.role == "" and _unknown_word(low):
            verb = process.extractOne(low, _verb_words(), scorer=DamerauLevenshtein.distance, score_cutoff=1)
            if verb is not None and verb[0] != low and verb[0][0] == low[0] and sorted(verb[0]) == sorted(low):
                return True
    return False
