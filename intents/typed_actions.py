"""IAM action names typed as such ("s3:GetObject", "GetItem and Query", "kinesis putrecord"): exactly those."""

from __future__ import annotations

from functools import cache

from intents.tokens import Token


def tag_actions(tokens: list[Token]) -> None:
    """IAM action names typed as such ('s3:GetObject', 'GetItem and Query on the table', 'kinesis putrecord'),
    of a service the message names: exactly those actions."""
    services = list(dict.fromkeys(t.service for t in tokens if t.role in {"service", "noun", "id"} and t.service))
    for listed in (False, True):  # then "GetItem and Query": a capitalised word among typed action names
        for token in tokens:
            text = token.text
            if token.role == "action" or not text.isalnum() or not text[0].isalpha() or token.kind != "word":
                continue
            camel = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)  # GetItem, not TTL
            joined = text.islower() and len(text) >= _JOINED_ACTION
            capital = listed and text[0].isupper() and text[1:].islower()
            if (token.role not in {"", "name"} and not capital) or not (camel or joined or capital):
                continue
            for service in services:
                name = _action_names(service).get(text.lower())
                if name is not None:
                    token.role, token.service, token.type = "action", service, name
                    break
        if not any(t.role == "action" for t in tokens):
            return


_JOINED_ACTION = 7  # "putrecord", "getobject": an action name typed in lower case, long enough to be one


@cache
def _action_names(service: str) -> dict[str, str]:
    from bot.domain import catalog

    return {a.name.lower(): a.name for a in catalog.actions_of(service)}
