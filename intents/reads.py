"""Reads that look at a thing versus reads that take what it keeps: metadata, settings, secret values."""

from __future__ import annotations

from bot.domain.groups import groups
from bot.domain.models import AccessLevel
from bot.domain.service_rules import VALUE_READS
from intents.segments import Ask
from intents.verbwords import DATA_NOUNS
from intents.vocabulary import ActionWords, action_index

_VALUE_WORDS = frozenset({"value", "content", "password", "plaintext", "decrypt", "decrypted", "secret value"})


def looks_only(ask: Ask) -> bool:
    """Looking at a thing ('inspect', 'check', 'view'), with no word for the value it keeps."""
    return ask.looking and not ask.words & _VALUE_WORDS


#: Words that ask about a thing's settings, not what it holds ("the secret's metadata", "queue attributes").
_SETTINGS_WORDS = frozenset({"metadata", "description", "detail", "info", "information", "property", "setting",
                             "config", "configuration", "attribute", "tag", "rotation"})  # fmt: skip


_SETTINGS_OBJECTS = frozenset({"attribute", "configuration", "setting", "tagging", "tag", "metadata", "detail",
                               "info", "property", "location", "status"})  # fmt: skip


def about_settings(ask: Ask) -> bool:
    return bool(ask.words & _SETTINGS_WORDS) and not ask.words & (DATA_NOUNS | {"content", "secret value"})




def holds_values(service: str, kind: str) -> bool:
    """Whether the type's Read (curated or from the catalogue) hands out its secret values."""
    return any(
        f"{service}:{name}" in VALUE_READS
        for group in groups(service, kind.lower(), AccessLevel.READ)
        for name in group.actions
    )


def star_describes(service: str, kind: str) -> list[ActionWords]:
    """Describe actions that only work on "*" and name the type (SSM's DescribeParameters)."""
    compact = kind.lower().replace("-", "")
    return [
        a
        for a in action_index(service).by_verb.get("describe", ())
        if a.action.needs_star and compact in a.action.name.lower()
    ]


def setting_reads(service: str, kind: str) -> list[ActionWords]:
    """The reads of a type that describe it rather than hand out what it holds: Describe*, Get*Attributes."""
    low = kind.lower()
    return [
        a
        for actions in action_index(service).by_verb.values()
        for a in actions
        if a.action.access_level is AccessLevel.READ
        and low in a.types
        and (a.verb == "describe" or (a.verb == "get" and bool(set(a.objects) & _SETTINGS_OBJECTS)))
    ]
