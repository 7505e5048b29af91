"""Which actions a policy grants, across its statements (Allow minus what an unconditional Deny on * removes)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.domain.validation.action_sets import Names
from bot.domain.validation.patterns import arn_types

if TYPE_CHECKING:
    from bot.domain.validation.statement import Statement


@lru_cache(maxsize=16384)
def resource_types_of_arn(arn: str) -> frozenset[tuple[str, str]]:
    """(service, resource type) pairs an ARN (wildcards allowed) could name; cached per ARN."""
    return frozenset((t.service, t.name.lower()) for t in arn_types(arn))


def may_grant_service(statement: Statement, service: str) -> bool:
    """False when the statement certainly grants no action of `service` (a cheap pre-filter)."""
    positive = statement.positive
    return positive is None or positive.services is None or service in positive.services


def grants_action(statement: Statement, action: str) -> bool:
    """Does this statement (whatever its effect) name `action`?"""
    positive = statement.positive
    if positive is not None:
        return action in positive
    negative = statement.negative
    return negative is not None and action not in negative


def _denied_everywhere(statements: Iterable[Statement], action: str) -> bool:
    # Only unconditional denies on "*" certainly remove a grant; conditional ones may not apply.
    return any(
        not s.allow and not s.conditions and s.resources is not None and "*" in s.resources and grants_action(s, action)
        for s in statements
    )


class Grants:
    """Which Allow statements grant an action, minus what an unconditional Deny on * takes away."""

    def __init__(self, statements: list[Statement]) -> None:
        self.statements = statements
        self.allows = [s for s in statements if s.allow]
        self._denies = [s for s in statements if not s.allow]
        self._cache: dict[str, list[Statement]] = {}
        self._among: dict[Names, frozenset[str]] = {}
        self._index: dict[str, list[Statement]] | None = None

    @property
    def _by_service(self) -> dict[str, list[Statement]]:
        """Allow statements by the services they can grant ("*": NotAction or any service); built on first use."""
        index = self._index
        if index is None:
            index = self._index = {}
            for statement in self.allows:
                positive = statement.positive
                if positive is None or positive.services is None:
                    index.setdefault("*", []).append(statement)
                else:
                    for service in positive.services:
                        index.setdefault(service, []).append(statement)
        return index

    def granting(self, action: str) -> list[Statement]:
        key = action.lower()
        cached = self._cache.get(key)
        if cached is None:
            service = key.partition(":")[0]
            by_service = self._by_service
            candidates = [*by_service.get(service, ()), *by_service.get("*", ())]
            if len(candidates) > 1:
                candidates.sort(key=lambda s: s.index)
            cached = []
            for statement in candidates:
                positive, negative = statement.positive, statement.negative
                if (key in positive) if positive is not None else (negative is not None and key not in negative):
                    cached.append(statement)
            if cached and _denied_everywhere(self._denies, action):
                cached = []
            self._cache[key] = cached
        return cached

    def granted_among(self, names: Names) -> frozenset[str]:
        """The names of the list some Allow statement grants and no unconditional Deny on * takes away."""
        found = self._among.get(names)
        if found is None:
            granted: set[str] = set()
            for statement in self.allows:
                positive, negative = statement.positive, statement.negative
                if positive is not None:
                    granted.update(positive.matching(names))
                elif negative is not None:
                    granted.update(names.all - negative.matching(names))
            for statement in self._denies:
                if not granted:
                    break
                if statement.conditions or statement.resources is None or "*" not in statement.resources:
                    continue
                positive, negative = statement.positive, statement.negative
                if positive is not None:
                    granted.difference_update(positive.matching(names))
                elif negative is not None:
                    granted.intersection_update(negative.matching(names))
            found = self._among[names] = frozenset(granted)
            for part in names.parts:
                self._among[part] = found & part.all
        return found

    def may_grant_services(self, services: frozenset[str]) -> bool:
        """False when no Allow statement can grant an action of every one of these services."""
        known = self._by_service.keys()
        return "*" in known or services <= known

    def granted(self, action: str) -> bool:
        return bool(self.granting(action))

    def resources_of(self, action: str) -> list[str]:
        """The resources an action is granted on ("*" for NotResource: it is nearly everything)."""
        out: list[str] = []
        for statement in self.granting(action):
            out.extend(statement.resources if statement.resources is not None else ["*"])
        return out
