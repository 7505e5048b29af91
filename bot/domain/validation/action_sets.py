"""Action lists as sets: indexed by service, built once per distinct list, remembering their answers."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.validation.globs import glob_any, literal_prefix
from bot.domain.validation.patterns import MAX_ENTRIES, ActionPattern, action_patterns

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

    __slots__ = (
        "_anywhere",
        "_exact",
        "_globs",
        "_matching",
        "_patterns",
        "_prefixes",
        "_rest",
        "_seen",
        "_texts",
        "memo",
        "services",
    )

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
        # Per service, its globs (lower-cased), matched by one regex compiled on first need; for ASCII names,
        # the "Prefix*" ones by a string test first, the others by a regex of their own.
        self._globs = {service: tuple(group) for service, group in by_service.items()}
        self._prefixes: dict[str, tuple[str, ...]] = {}
        self._rest: dict[str, tuple[str, ...]] = {}
        for service, group in self._globs.items():
            prefixes = [p for p in (literal_prefix(g) if g.isascii() else None for g in group) if p is not None]
            self._prefixes[service] = tuple(prefixes)
            self._rest[service] = tuple(g for g in group if not (g.isascii() and literal_prefix(g) is not None))
        # Globs with a wildcard service: "*", "*:Get*".
        self._anywhere = tuple(anywhere)
        self._seen: dict[str, bool] = {}
        self._matching: dict[Names, frozenset[str]] = {}
        # Answers the checks compute from this set alone, kept with it (keys name the check).
        self.memo: dict[object, object] = {}
        # The service prefixes this set can match; None when a pattern has a wildcard service.
        self.services: frozenset[str] | None = (
            None if anywhere else frozenset({a.partition(":")[0] for a in exact} | set(by_service))
        )

    def _glob_match(self, lowered: str) -> bool:
        service = lowered.partition(":")[0]
        if lowered.isascii():
            prefixes = self._prefixes.get(service, ())
            if prefixes and lowered.startswith(prefixes):
                return True
            globs = self._rest.get(service, ())
        else:
            globs = self._globs.get(service, ())
        if globs and glob_any(globs).fullmatch(lowered) is not None:
            return True
        return bool(self._anywhere) and glob_any(self._anywhere).fullmatch(lowered) is not None

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
            seen = self._glob_match(lowered)
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
