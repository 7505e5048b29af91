"""IAM action names typed as such ("s3:GetObject", "GetItem and Query", "kinesis putrecord"): exactly those."""

from __future__ import annotations

from functools import cache

from intents.lexicon import POPULAR
from intents.tokens import Token

_JOINED_ACTION = 7  # "putrecord", "getobject": an action name typed in lower case, long enough to be one


def tag_actions(tokens: list[Token]) -> None:
    """IAM action names typed as such ('s3:GetObject', 'GetItem and Query on the table', 'kinesis putrecord',
    'ddb Query'), of a service the message names, else (CamelCase only: 'GetItem on orders') of the most
    asked-for service that has it: exactly those actions."""
    services = list(dict.fromkeys(t.service for t in tokens if t.role in {"service", "noun", "id"} and t.service))
    for listed in (False, True):  # then "GetItem and Query": a capitalised word among typed action names
        for position, token in enumerate(tokens):
            text = token.text
            if token.role == "action" or not text.isalnum() or not text[0].isalpha() or token.kind != "word":
                continue
            camel = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)  # GetItem, not TTL
            joined = text.islower() and len(text) >= _JOINED_ACTION
            capital = text[0].isupper() and text[1:].islower()
            after_service = capital and position > 0 and tokens[position - 1].role == "service"  # "ddb Query"
            if not (camel or joined or (capital and (listed or after_service))):
                continue
            if token.role not in {"", "name"} and not capital:
                continue
            found = _owner(text.lower(), services, everywhere=camel and not services)
            if found is not None:
                token.role, token.service, token.type = "action", found[0], found[1]
        if not any(t.role == "action" for t in tokens):
            return


def _owner(word: str, services: list[str], *, everywhere: bool) -> tuple[str, str] | None:
    for service in services + (list(POPULAR) if everywhere else []):
        name = _action_names(service).get(word)
        if name is not None:
            return service, name
    return None


@cache
def _action_names(service: str) -> dict[str, str]:
    from bot.domain import catalog

    return {a.name.lower(): a.name for a in catalog.actions_of(service)}
