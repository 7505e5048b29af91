"""Dialog state between turns, and the checks on it: accounts, duration, answers merged into grants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.domain.accounts import Account, AccountRegistry
from bot.domain.replies import Button, Reply
from bot.domain.rules import CentralRules
from intents import extract, operations, texts
from intents.grants import GrantDraft
from intents.parser import Parse
from intents.resolve import actions_for
from intents.understand import duration_of
from intents.verbwords import LEVEL_WORDS

ALSO = re.compile(r"\b(also|add|plus|as well)\b", re.I)


@dataclass
class State:
    """What the dialog remembers: the intent, its slots, the grant drafts, and what it asked for last."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    grants: list[GrantDraft] = field(default_factory=list)
    awaiting: str | None = None

    def dump(self, owner: str) -> dict[str, Any]:
        return {
            "owner": owner,
            "intent": self.intent,
            "slots": self.slots,
            "awaiting": self.awaiting,
            "grants": [g.as_dict() for g in self.grants],
        }

    @staticmethod
    def load(data: dict[str, Any]) -> State:
        return State(
            str(data["intent"]),
            dict(data.get("slots") or {}),
            [GrantDraft.from_dict(g) for g in data.get("grants") or []],
            data.get("awaiting"),
        )


def merge_grants(state: State, read: Parse, awaiting: str | None) -> None:
    fresh = [g for g in read.grants if g.service or g.resources]
    if fresh and awaiting != "resource":
        state.grants = state.grants + fresh if ALSO.search(read.text) else fresh
        return
    levels = [
        lv
        for phrase, lvs in LEVEL_WORDS.items()
        if re.search(rf"\b{re.escape(phrase)}\b", read.text, re.I)
        for lv in lvs
    ]
    verbs = [v for g in read.grants for v in g.verbs]
    if awaiting == "resource" and state.grants:
        names = [r for g in read.grants for r in g.resources] or [
            w for w in extract.WORD.findall(read.text) if len(w) > 1 and w.lower() not in {"the", "called"}
        ][:1]
        target = next((g for g in state.grants if not g.resources), state.grants[-1])
        target.resources = list(dict.fromkeys(names))
        return
    if (levels or verbs) and state.grants:
        for grant in state.grants:
            actions = actions_for(verbs, grant.service, grant.resource_type) if grant.service and verbs else []
            if not levels and not actions:
                continue  # no verb this grant's service knows: keep what it has
            grant.levels = list(dict.fromkeys(levels))
            grant.actions = actions


def resolve_accounts(state: State, registry: AccountRegistry) -> tuple[list[Account], Reply | None]:
    named = [str(a) for a in state.slots.get("account") or []]
    if not named:
        state.awaiting = "account"
        return [], Reply(text=texts.ASK_ACCOUNT, buttons=operations.account_buttons(registry))
    found = []
    for name in named:
        account = registry.find(name)
        if account is None:
            state.awaiting = "account"
            state.slots.pop("account", None)
            text = texts.UNKNOWN_ACCOUNT.format(word=name[:64], known=registry.describe())
            return [], Reply(text=text, buttons=operations.account_buttons(registry))
        found.append(account)
    return found, None


def check_duration(state: State, accounts: list[Account], central: CentralRules) -> Reply | None:
    value = state.slots.get("duration")
    if value == "?":
        state.slots.pop("duration")
        state.awaiting = "duration"
        return Reply(text=texts.BAD_DURATION.format(word="that"))
    for account in accounts:
        rules = central.for_type(account.type)
        length = duration_of(value)
        limit = rules.max_duration
        if value is None and (rules.require_duration or limit is not None):
            state.awaiting = "duration"
            text = (
                texts.ASK_DURATION.format(account=account.alias, limit=words(limit))
                if limit
                else texts.ASK_DURATION_FREE
            )
            return Reply(text=text, buttons=tuple(Button(label=b, value=b) for b in ("2 hours", "1 day")))
        if value == "permanent" and (rules.require_duration or limit is not None):
            state.slots.pop("duration")
            state.awaiting = "duration"
            return Reply(text=texts.PERMANENT_NOT_ALLOWED.format(account=account.alias))
        if length is not None and limit is not None and length > limit:
            state.slots.pop("duration")
            state.awaiting = "duration"
            return Reply(text=texts.TOO_LONG.format(account=account.alias, limit=words(limit), asked=words(length)))
    return None


def public(slots: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in slots.items() if not k.startswith("_")}


def words(length: Any) -> str:
    seconds = int(length.total_seconds())
    if seconds % 86400 == 0:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, round(seconds / 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"
