"""Sample utterances generated from the vocabulary, for the Lex bot (build time only: intents.lexgen).

The hand-written samples in intents/catalog.py show the shapes; these add the breadth of AWS: for the
services engineers ask for most (lexicon.POPULAR), their main resource type's noun and the verbs its
actions start with ("rotate the {Resource} secret in {Account}", "put records on the {Resource} stream").
"""

from __future__ import annotations

from bot.domain import catalog
from intents.lexicon import POPULAR
from intents.vocabulary import action_index, primary_type, type_index

# Verbs people use in requests (an action verb must be one of these to make a sample).
_SAID = frozenset({
    "invoke", "publish", "send", "receive", "start", "stop", "reboot", "rotate", "decrypt", "encrypt", "query",
    "scan", "put", "run", "execute", "restore", "push", "pull", "deploy", "upload", "download", "subscribe",
    "purge", "export", "import", "sign", "verify", "describe", "update", "terminate", "sync", "redrive",
})  # fmt: skip
PER_SERVICE = 2
USAGE = (
    "which services hasn't {Principal} touched in {Days} days",
    "access advisor for the {Principal} role in {Account}",
    "unused permissions of {Principal} in {Account}",
    "what does {Principal} actually use",
    "when did {Principal} last use {Account}",
    "last accessed info for user {Principal}",
    "stale permissions on role {Principal}",
    "is {Principal} still using its permissions",
)


def request_samples(services: tuple[str, ...] = POPULAR[:40]) -> tuple[str, ...]:
    """'{verb} the {Resource} {noun} in {Account}' for each popular service's main type, from its actions."""
    out: list[str] = []
    for service in services:
        kind = primary_type(service)
        if kind is None or not catalog.service_exists(service):
            continue
        noun = next((phrase for phrase, name in type_index(service).items() if name == kind), None)
        if noun is None:
            continue
        counts: dict[str, int] = {}
        for verb, actions in action_index(service).by_verb.items():
            if verb in _SAID:
                counts[verb] = sum(1 for a in actions if kind.lower() in a.types)
        verbs = sorted((v for v in counts if counts[v]), key=lambda v: (-counts[v], v))[:PER_SERVICE]
        out += [f"{verb} the {{Resource}} {noun} in {{Account}}" for verb in verbs]
        out.append(f"read the {service} {noun}s in {{Account}}")
    return tuple(out)
