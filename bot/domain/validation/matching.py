"""Wildcard matching of actions and resources, and which actions a policy grants, across statements."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.domain.validation.patterns import MAX_ENTRIES, ActionPattern, action_patterns, arn_types

if TYPE_CHECKING:
    from bot.domain.validation.grammar import Statement


@lru_cache(maxsize=8192)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters, ? one character; everything else literal.
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


@lru_cache(maxsize=16384)
def resource_types_of_arn(arn: str) -> frozenset[tuple[str, str]]:
    """(service, resource type) pairs an ARN (wildcards allowed) could name; cached per ARN."""
    return frozenset((t.service, t.name.lower()) for t in arn_types(arn))


def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regex of an ARN glob (case-sensitive)."""
    return _glob(pattern, False)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action names are case-insensitive."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == action.lower()
    return _glob(pattern, True).fullmatch(action) is not None


def any_action_matches(patterns: Iterable[str], action: str) -> bool:
    return any(action_matches(p, action) for p in patterns)


def resource_matches(pattern: str, resource: str) -> bool:
    """ARNs are case-sensitive (in their resource part; the rest is lower case anyway)."""
    if "*" not in pattern and "?" not in pattern:
        return pattern == resource
    return _glob(pattern, False).fullmatch(resource) is not None


def resources_overlap(first: str, second: str) -> bool:
    """Could one ARN match both globs? Approximated as one glob covering the other, in either direction."""
    return resource_matches(first, second) or resource_matches(second, first)


def is_star(resource: str) -> bool:
    return resource == "*"


@lru_cache(maxsize=8192)
def _glob_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex that fully matches what any of the (lower-cased) globs matches."""
    if len(patterns) == 1:
        return _glob(patterns[0], True)
    body = "|".join(f"(?:{_glob(p, True).pattern})" for p in patterns)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


# Answers one set remembers (checks ask about a few hundred action names; hostile callers could ask more).
_MAX_SEEN = 4096


class Names:
    """A fixed list of action names that checks ask about together (escalation methods, forbidden actions, ...).

    Sets remember their answer per list; a list is hashed by identity, and lives as long as the module or
    rules that made it.
    """

    __slots__ = ("all", "by_service", "names", "parts")

    def __init__(self, names: Iterable[str], *, parts: tuple[Names, ...] = ()) -> None:
        # Lists this one is made of: answering for it answers for them too.
        self.parts = parts
        combined: list[str] = list(names)
        for part in parts:
            combined.extend(part.names)
        self.names: tuple[str, ...] = tuple(dict.fromkeys(combined))
        self.all = frozenset(self.names)
        grouped: dict[str, list[str]] = {}
        for name in self.names:
            grouped.setdefault(name.partition(":")[0].lower(), []).append(name)
        self.by_service = {service: tuple(group) for service, group in grouped.items()}


class ActionSet:
    """Action patterns indexed by service prefix, so a membership test looks at one service only."""

    __slots__ = ("_any", "_by_service", "_exact", "_matching", "_patterns", "_seen", "_texts", "memo", "services")

    def __init__(self, patterns: Iterable[str]) -> None:
        self._texts = tuple(patterns)
        self._patterns: list[ActionPattern] | None = None
        exact: set[str] = set()
        by_service: dict[str, list[str]] = {}
        anywhere: list[str] = []
        for pattern in self._texts:
            lowered = pattern.lower()
            if "*" not in lowered and "?" not in lowered:
                exact.add(lowered)
                continue
            service, colon, _ = lowered.partition(":")
            if colon and "*" not in service and "?" not in service:
                by_service.setdefault(service, []).append(lowered)
            else:
                anywhere.append(lowered)
        self._exact = exact
        # Per service, one regex for all its globs (and the wildcard-service globs after them).
        self._by_service: dict[str, re.Pattern[str]] = {
            service: _glob_any(tuple(group)) for service, group in by_service.items()
        }
        self._any: re.Pattern[str] | None = _glob_any(tuple(anywhere)) if anywhere else None
        self._seen: dict[str, bool] = {}
        self._matching: dict[Names, frozenset[str]] = {}
        # Answers the checks compute from this set alone, kept with it (keys name the check).
        self.memo: dict[object, object] = {}
        # The service prefixes this set can match; None when a pattern has a wildcard service.
        self.services: frozenset[str] | None = (
            None if anywhere else frozenset({a.partition(":")[0] for a in exact} | set(by_service))
        )

    @property
    def exact(self) -> frozenset[str]:
        """The patterns without wildcards, lower-cased."""
        return frozenset(self._exact)

    def __contains__(self, action: str) -> bool:
        lowered = action.lower()
        if lowered in self._exact:
            return True
        seen = self._seen.get(lowered)
        if seen is None:
            pattern = self._by_service.get(lowered.partition(":")[0])
            seen = (pattern is not None and pattern.fullmatch(lowered) is not None) or (
                self._any is not None and self._any.fullmatch(lowered) is not None
            )
            if len(self._seen) >= _MAX_SEEN:
                self._seen.clear()
            self._seen[lowered] = seen
        return seen

    def patterns(self) -> list[ActionPattern]:
        """The entries as written, each resolved against the catalogue (on first use)."""
        if self._patterns is None:
            self._patterns = action_patterns(self._texts)
        return self._patterns

    def matching(self, names: Names) -> frozenset[str]:
        """The names of the list this set contains (computed once per list)."""
        found = self._matching.get(names)
        if found is None:
            services = self.services
            if services is None:
                candidates: Iterable[str] = names.names
            else:
                candidates = [n for s in services for n in names.by_service.get(s, ())]
            found = self._matching[names] = frozenset(n for n in candidates if n in self)
        return found


_SETS: dict[tuple[str, ...], ActionSet] = {}


def action_set(patterns: tuple[str, ...]) -> ActionSet:
    """The set for a list of action patterns, built once per distinct list (it remembers its answers)."""
    found = _SETS.get(patterns)
    if found is None:
        if len(_SETS) >= MAX_ENTRIES // 4:
            _SETS.clear()
        found = _SETS[patterns] = ActionSet(patterns)
    return found


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
