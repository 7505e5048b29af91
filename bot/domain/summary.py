"""A policy document in plain words: the lines chat fronts show on confirmations and request cards."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.domain import catalog
from bot.domain.arns import placeholders
from bot.domain.models import AccessLevel, PolicyDocument
from bot.domain.service_rules import SECRET_SUFFIX, SERVICE_LABELS, Group, curated_groups
from bot.domain.targets import values_from_arn

_CONTEXT = {"Partition", "Region", "Account"}
_LEVEL_WORDS = {
    AccessLevel.READ: "Read",
    AccessLevel.WRITE: "Change",
    AccessLevel.LIST: "List",
    AccessLevel.TAGGING: "Tag",
    AccessLevel.PERMISSIONS_MANAGEMENT: "Manage permissions of",
}
# Child resource types read as their parent: objects "in bucket X", indexes "of table T".
_TYPE_WORDS = {("s3", "object"): "bucket", ("dynamodb", "index"): "table", ("logs", "log-stream"): "log group"}
_TAG_KEY = re.compile(r"^[a-z0-9-]+:(ResourceTag|ExistingObjectTag|BucketTag)/(?P<key>.+)$", re.IGNORECASE)
_PRINCIPAL_TAG = re.compile(r"^\$\{aws:PrincipalTag/(?P<key>[^}]+)\}$")
MAX_LINES = 30


def summarize(policy: PolicyDocument) -> list[str]:
    """Plain-words lines: what is allowed on what, then until when and where. Never raises."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return []
    lines: list[str] = []
    expiry: str | None = None
    regions: list[str] = []
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        actions = _strings(statement.get("Action"))
        if statement.get("Effect") == "Deny":
            if actions:
                more = ", ..." if len(actions) > 3 else ""
                lines.append(f"Denied by the central rules: {', '.join(actions[:3])}{more}")
            continue
        raw_condition = statement.get("Condition")
        condition: dict[str, Any] = raw_condition if isinstance(raw_condition, dict) else {}
        expiry = expiry or _expiry(condition)
        regions = regions or _regions(condition)
        lines.extend(_allow_lines(actions, _strings(statement.get("Resource")), _tag_words(condition)))
    if expiry:
        lines.append(f"until {expiry}")
    if regions:
        lines.append(f"only in {', '.join(regions)}")
    return list(dict.fromkeys(lines))[:MAX_LINES]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _operator_values(condition: dict[str, Any], operator: str) -> dict[str, Any]:
    values = condition.get(operator)
    return values if isinstance(values, dict) else {}


def _expiry(condition: dict[str, Any]) -> str | None:
    value = _operator_values(condition, "DateLessThan").get("aws:CurrentTime")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _regions(condition: dict[str, Any]) -> list[str]:
    return _strings(_operator_values(condition, "StringEquals").get("aws:RequestedRegion"))


def _tag_words(condition: dict[str, Any]) -> str:
    parts = []
    for key, value in sorted(_operator_values(condition, "StringEquals").items()):
        found = _TAG_KEY.match(key)
        if found is None or not isinstance(value, str):
            continue
        principal = _PRINCIPAL_TAG.match(value)
        shown = f"your {principal.group('key')} tag" if principal else value
        parts.append(f"{found.group('key')} = {shown}")
    return f" tagged {' and '.join(parts)}" if parts else ""


def _label(service: str) -> str:
    return SERVICE_LABELS.get(service, catalog.service_name(service) or service)


def _allow_lines(actions: list[str], resources: list[str], tags: str) -> list[str]:
    if not actions:
        return []
    if any("*" in a or "?" in a for a in actions):
        listed = ", ".join(actions[:4]) + (", ..." if len(actions) > 4 else "")
        return [f"Use {listed} on {_resource_words(resources) if resources != ['*'] else 'any resource'}"]
    services = sorted({a.split(":", 1)[0].lower() for a in actions})
    lines: list[str] = []
    for service in services:
        names = {a.split(":", 1)[1].lower() for a in actions if a.lower().startswith(f"{service}:")}
        for curated, noun, covered in _cover(service, names):
            phrase = curated
            if resources == ["*"] and noun and noun in phrase.lower():
                phrase, where = phrase.removesuffix(" in").removesuffix(" of"), ""  # "Read objects tagged ..."
            elif resources == ["*"]:
                label = _label(service) or catalog.service_name(service) or service
                where = f"{label} {noun}" if noun else f"any {label} resource"
            else:
                where = _resource_words(resources)
            lines.append(f"{phrase} {' '.join(where.split())}{tags}".strip())
            names -= covered
    return lines


def _cover(service: str, names: set[str]) -> list[tuple[str, str, set[str]]]:
    """Curated phrases covering the actions (largest first); what is left in plain access levels."""
    remaining = set(names)
    found: list[tuple[str, str, set[str]]] = []
    groups: list[Group] = sorted((g for s, g in curated_groups() if s == service), key=lambda g: -len(g.actions))
    for group in groups:
        wanted = {a.lower() for a in group.actions}
        if wanted <= remaining:
            remaining -= wanted
            found.append((group.phrase, _words(group.noun), wanted))
    if remaining:
        shown = sorted(remaining)
        levels = {a.access_level for n in shown if (a := catalog.get_action(f"{service}:{n}")) is not None}
        verb = " and ".join(_LEVEL_WORDS[level] for level in AccessLevel if level in levels) or "Use"
        canonical = [a.name if (a := catalog.get_action(f"{service}:{n}")) else n for n in shown]
        listed = ", ".join(canonical[:4]) + (", ..." if len(canonical) > 4 else "")
        found.append((f"{verb} ({listed})", "", remaining))
    return found


def _words(camel: str) -> str:
    return " ".join(re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", camel)).lower()


def _resource_words(resources: list[str]) -> str:
    best: dict[tuple[str, str], list[str]] = {}
    best_rank = -1
    for arn in resources:
        types = catalog.match_arn_to_resource_types(arn)
        if not types:
            best.setdefault(("", arn), []).append(arn)
            continue
        resource_type = types[0]
        values = values_from_arn(arn, resource_type)
        order = [p for p in placeholders(resource_type.arn_formats[0]) if p not in _CONTEXT]
        name = "/".join(values[p] for p in order if values.get(p, "*") != "*")
        name = name.removesuffix("/*").removesuffix(SECRET_SUFFIX)
        rank = len(order)
        if rank > best_rank:
            best, best_rank = {}, rank
        if rank == best_rank:
            key = (resource_type.service, resource_type.name.lower())
            word = _TYPE_WORDS.get(key, resource_type.name.lower().replace("-", " "))
            best.setdefault((resource_type.service, word), []).append(name or "*")
    parts = []
    for (service, word), names in best.items():
        label = _label(service) if service else ""
        parts.append(" ".join(p for p in (label, word, ", ".join(dict.fromkeys(names))) if p))
    return "; ".join(parts)
