"""Access-advisor answers as report models: botocore's parsed pages (odd items skipped), and a policy's services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain.usage import ActionUsage, EntityUsage, Principal, ServiceUsage, UsageReport


def _when(value: Any) -> datetime | None:
    """A timestamp as botocore parses it (datetime), or as ISO text; naive times are UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _text(value: Any, limit: int = 2048) -> str | None:
    return str(value)[:limit] if isinstance(value, str) and value else None


def _action(raw: Mapping[str, Any]) -> ActionUsage | None:
    name = _text(raw.get("ActionName"), 128)
    if name is None:
        return None
    return ActionUsage(
        name=name.rpartition(":")[2],  # AWS names tracked actions without the prefix; tolerate it
        last_used=_when(raw.get("LastAccessedTime")),
        entity=_text(raw.get("LastAccessedEntity")),
        region=_text(raw.get("LastAccessedRegion"), 64),
    )


def _service(raw: Mapping[str, Any]) -> ServiceUsage | None:
    namespace = _text(raw.get("ServiceNamespace"), 64)
    if namespace is None:
        return None
    tracked = raw.get("TrackedActionsLastAccessed")
    actions = None
    if isinstance(tracked, list):
        actions = tuple(a for a in (_action(item) for item in tracked if isinstance(item, Mapping)) if a is not None)
    total = raw.get("TotalAuthenticatedEntities")
    return ServiceUsage(
        namespace=namespace.lower(),
        name=_text(raw.get("ServiceName"), 256) or namespace,
        last_used=_when(raw.get("LastAuthenticated")),
        entity=_text(raw.get("LastAuthenticatedEntity")),
        region=_text(raw.get("LastAuthenticatedRegion"), 64),
        entities=total if isinstance(total, int) and not isinstance(total, bool) else 0,
        tracked_actions=tuple(sorted(actions, key=lambda a: a.name.lower())) if actions is not None else None,
    )


def report_from_advisor(
    principal: Principal, account: str, pages: Iterable[Mapping[str, Any]], *, days: int, now: datetime
) -> UsageReport:
    """A report from GetServiceLastAccessedDetails pages (botocore's parsed dicts; odd items are skipped)."""
    services: dict[str, ServiceUsage] = {}
    completed: datetime | None = None
    for page in pages:
        completed = completed or _when(page.get("JobCompletionDate"))
        for raw in page.get("ServicesLastAccessed") or ():
            item = _service(raw) if isinstance(raw, Mapping) else None
            if item is not None:
                services[item.namespace] = item
    ordered = sorted(services.values(), key=lambda s: (s.last_used is None, -(s.last_used or now).timestamp(), s.name))
    return UsageReport(
        principal=principal, account=account, days=days, now=now, job_completed=completed, services=tuple(ordered)
    )


def entities_from_advisor(pages: Iterable[Mapping[str, Any]]) -> tuple[EntityUsage, ...]:
    """GetServiceLastAccessedDetailsWithEntities pages as entities, most recent first."""
    found: list[EntityUsage] = []
    for page in pages:
        for raw in page.get("EntityDetailsList") or ():
            info = raw.get("EntityInfo") if isinstance(raw, Mapping) else None
            if not isinstance(info, Mapping) or not _text(info.get("Arn")):
                continue
            found.append(
                EntityUsage(
                    name=_text(info.get("Name"), 128) or "?",
                    kind=(_text(info.get("Type"), 16) or "").lower(),
                    arn=str(info["Arn"])[:2048],
                    last_used=_when(raw.get("LastAuthenticated")),
                )
            )
    return tuple(sorted(found, key=lambda e: (e.last_used is None, -(e.last_used.timestamp() if e.last_used else 0))))


def policies_from_advisor(pages: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """ListPoliciesGrantingServiceAccess pages as namespace -> policy names ("group Admins: name" for groups)."""
    found: dict[str, list[str]] = {}
    for page in pages:
        for raw in page.get("PoliciesGrantingServiceAccess") or ():
            namespace = _text(raw.get("ServiceNamespace"), 64) if isinstance(raw, Mapping) else None
            if namespace is None:
                continue
            names = found.setdefault(namespace.lower(), [])
            for policy in raw.get("Policies") or ():
                name = _text(policy.get("PolicyName"), 128) if isinstance(policy, Mapping) else None
                if name is None:
                    continue
                via = _text(policy.get("EntityName"), 128)
                kind = (_text(policy.get("EntityType"), 16) or "").lower()
                label = f"{name} (via {kind} {via})" if via and kind == "group" else name
                if label not in names:
                    names.append(label)
    return {k: tuple(v) for k, v in found.items()}


def with_details(
    report: UsageReport,
    *,
    policies: Mapping[str, Sequence[str]] | None = None,
    entities: Mapping[str, Sequence[EntityUsage]] | None = None,
) -> UsageReport:
    """The report with the policies granting (unused) services and the entities using services filled in."""
    services = []
    for service in report.services:
        update: dict[str, Any] = {}
        if policies and service.namespace in policies:
            update["granted_by"] = tuple(policies[service.namespace])
        if entities and service.namespace in entities:
            update["used_by"] = tuple(entities[service.namespace])
        services.append(service.model_copy(update=update) if update else service)
    return report.model_copy(update={"services": tuple(services)})


def services_of_policy(policy: Mapping[str, Any]) -> dict[str, list[str]]:
    """Service prefix -> action patterns of a policy's Allow statements (AccessBot writes explicit actions)."""
    statements = policy.get("Statement") if isinstance(policy, Mapping) else None
    if isinstance(statements, Mapping):
        statements = [statements]
    found: dict[str, list[str]] = {}
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        for action in [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []:
            if isinstance(action, str) and action.count(":") == 1:
                prefix, _, name = action.partition(":")
                names = found.setdefault(prefix.lower(), [])
                if name not in names:
                    names.append(name)
    return found
