"""Word forms shared by the vocabulary builder and the parser: CamelCase splits, singulars, verb stems."""

from __future__ import annotations

import re
from functools import lru_cache

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_SEPARATORS = re.compile(r"[\s\-_/.:]+")
# Plurals English does not make with a plain -s (the ones AWS nouns and verbs use).
_IRREGULAR = {
    "indices": "index",
    "indexes": "index",
    "aliases": "alias",
    "alias": "alias",
    "canvas": "canvas",
    "schemas": "schema",
    "quotas": "quota",
    "buses": "bus",
    "busses": "bus",
    "statuses": "status",
    "analyses": "analysis",
    "caches": "cache",
    "policies": "policy",
    "queries": "query",
    "repositories": "repository",
    "registries": "registry",
    "entries": "entry",
    "identities": "identity",
    "libraries": "library",
    "boxes": "box",
    "access": "access",
    "process": "process",
    "address": "address",
    "addresses": "address",
    "class": "class",
    "classes": "class",
    "glass": "glass",
    "series": "series",
    "data": "data",
    "metadata": "metadata",
    "media": "media",
    "s3": "s3",
    "sms": "sms",
    "logs": "log",
    "kms": "kms",
    "ecs": "ecs",
    "eks": "eks",
    "sqs": "sqs",
    "sns": "sns",
    "rds": "rds",
    "ses": "ses",
    "dns": "dns",
    "efs": "efs",
    "iops": "iops",
    "vms": "vm",
    "ids": "id",
    "arns": "arn",
    "is": "is",
    "was": "was",
    "has": "has",
    "this": "this",
    "its": "its",
    "us": "us",
    "yes": "yes",
    "plus": "plus",
    "bus": "bus",
    "status": "status",
    "analysis": "analysis",
    "redis": "redis",
    "kinesis": "kinesis",
    "athena": "athena",
    "lambdas": "lambda",
}
_NOT_VERB_SUFFIX = frozenset({"ring", "thing", "king", "string", "bring", "spring", "sing", "wing", "ping", "ding"})


def camel_words(name: str) -> list[str]:
    """'PutRecords' -> ['put', 'records']; 'DescribeDBInstances' -> ['describe', 'db', 'instances']."""
    return [w.lower() for w in _CAMEL.findall(name)]


def split_words(text: str) -> list[str]:
    """'event-bus' / 'backupVault' / 'log_group' -> lower-case words."""
    out: list[str] = []
    for part in _SEPARATORS.split(text):
        out += camel_words(part) if any(c.isupper() for c in part[1:]) else ([part.lower()] if part else [])
    return out


@lru_cache(maxsize=8192)
def singular(word: str) -> str:
    """A noun's singular, well enough for AWS nouns: 'clusters' -> 'cluster', 'queries' -> 'query'."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=8192)
def verb_forms(word: str) -> tuple[str, ...]:
    """Candidate base forms of an inflected verb: 'rotating' -> ('rotating', 'rotat', 'rotate', ...)."""
    word = word.lower()
    forms = [word]
    if word.endswith("ing") and len(word) > 5 and word not in _NOT_VERB_SUFFIX:
        stem = word[:-3]
        forms += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    elif word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        forms += [stem, word[:-1]]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
        if stem.endswith("i"):
            forms.append(stem[:-1] + "y")
    elif word.endswith("es") and len(word) > 4:
        forms += [word[:-2], word[:-1]]
    elif word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
        forms.append(word[:-1])
    return tuple(dict.fromkeys(forms))


def phrase_key(words: list[str] | tuple[str, ...]) -> str:
    """The lookup key of a phrase: singular words joined by one space."""
    return " ".join(singular(w) for w in words)
