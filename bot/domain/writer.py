"""The least-privilege policy writer: an AccessRequest becomes one IAM policy document.

How actions are chosen (curated table first, catalogue access levels second), how names become ARNs,
and which conditions are added is described in docs/policy-engine.md, "Catalogue and writer".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain import catalog, scope
from bot.domain.companions import companions
from bot.domain.groups import groups, planned_for, star_lists
from bot.domain.models import AccessLevel, AccessRequest, Grant, PolicyDocument, TagScope, is_account_id
from bot.domain.service_rules import DEFAULT_TYPES, VALUE_READS, Group
from bot.domain.statements import STAR, Planned, WriterNote, camel, finish, verb_from_actions
from bot.domain.targets import Placement, Target, requested_type, resolve_targets, suggest
from bot.errors import InvalidInput

VERSION = "2012-10-17"
# Managed policies may hold 6,144 characters, whitespace not counted.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MANAGED_POLICY_LIMIT = 6144
_PROBE_ACCOUNT = "000000000000"
_PARTITION = re.compile(r"^aws(-[a-z]+){0,3}$")


@dataclass(frozen=True)
class WrittenPolicy:
    document: PolicyDocument
    notes: tuple[WriterNote, ...]
    size: int  # characters IAM counts against the managed-policy quota


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts for the managed-policy quota (JSON without whitespace)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return sum(1 for char in text if not char.isspace())


class NamesNeeded(InvalidInput):
    """The grant can't be written without names (or tags): what to name is in the message."""


def needs_names(grant: Grant) -> bool:
    """Whether `grant`, with no resources, must name some before it can be written (writes on no name,
    or a type whose ARNs carry no account, like S3 buckets). Reads, lists and creates need none."""
    if grant.resources:
        return False
    probe = AccessRequest(account=_PROBE_ACCOUNT, grants=(grant,))
    try:
        write_policy_with_notes(probe, account_id=_PROBE_ACCOUNT)
    except NamesNeeded:
        return True
    except InvalidInput:
        return False  # another problem: the confirmation step says what it is
    return False


def creates_only(grant: Grant) -> bool:
    """Whether the grant only makes new resources ('launch instances'): nothing exists yet to name."""
    actions = [catalog.get_action(f"{grant.service}:{name}") for name in grant.actions]
    return bool(actions) and not grant.access_levels and all(a is not None and scope.creates(a) for a in actions)


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
    planned: list[Planned] = []
    for grant in request.grants:
        before = len(planned)
        planned.extend(_plan_grant(grant, request.tags, place, notes))
        if len(planned) == before:
            raise InvalidInput(f"Nothing to grant for {grant.service}: no action fits what was asked.")
    planned += companions(planned, place, notes)
    statements = finish(planned, request, expires_at, notes)
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


@dataclass(frozen=True)
class _Context:
    """What every planning step of one request needs: where ARNs go, the notes, whether tags scope it."""

    place: Placement
    notes: list[WriterNote]
    tagged: bool


def _plan_grant(grant: Grant, tags: tuple[TagScope, ...], place: Placement, notes: list[WriterNote]) -> list[Planned]:
    context = _Context(place, notes, bool(tags))
    service = _service(grant)
    asked = requested_type(service, grant.resource_type)
    targets = resolve_targets(service, grant.resources, asked, place)
    planned: list[Planned] = []
    # Targets that carry a condition (a KMS key named by its alias) get statements of their own.
    for condition, group in _by_condition(targets):
        part: list[Planned] = []
        if grant.actions:
            actions = [_explicit_action(service, text) for text in grant.actions]
            part.extend(_plan_explicit(service, actions, group, context))
        for level in grant.access_levels:
            if level is AccessLevel.PERMISSIONS_MANAGEMENT:
                notes.append(_permissions_note(service))
            part.extend(_plan_level(service, level, group, asked, context))
        for plan in part:
            plan.condition = condition
        planned += part
    return planned


def _by_condition(targets: list[Target]) -> list[tuple[tuple[str, str, tuple[str, ...]] | None, list[Target]]]:
    if not targets:
        return [(None, [])]
    plain = [t for t in targets if t.condition is None]
    grouped: dict[tuple[str, str], list[Target]] = {}
    for target in targets:
        if target.condition is not None:
            grouped.setdefault(target.condition[:2], []).append(target)
    out: list[tuple[tuple[str, str, tuple[str, ...]] | None, list[Target]]] = [(None, plain)] if plain else []
    for (operator, key), group in grouped.items():
        values = tuple(sorted({t.condition[2] for t in group if t.condition is not None}))
        out.append(((operator, key, values), group))
    return out


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
        return STAR
    arns = {arn for t in targets for type_name in group.on if (arn := t.arn_for(type_name)) is not None}
    return tuple(sorted(arns))


def _plan_level(
    service: str, level: AccessLevel, targets: list[Target], asked: str | None, context: _Context
) -> list[Planned]:
    tagged = context.tagged
    if not targets:
        return _plan_level_unnamed(service, level, asked, context)
    planned: list[Planned] = []
    for type_name, typed in _by_type(targets).items():
        names = tuple(t.label for t in typed)
        for group in groups(service, type_name, level):
            resources = _group_resources(group, typed)
            if resources:
                planned.append(planned_for(service, group, names, resources, tagged and bool(group.on)))
    return planned


def _plan_level_unnamed(service: str, level: AccessLevel, asked: str | None, context: _Context) -> list[Planned]:
    tagged, place = context.tagged, context.place
    type_name = asked or DEFAULT_TYPES.get(service)
    if tagged and type_name is not None:
        # ABAC: "*" limited by resource tags (the tags post: start/stop instances of your cost center).
        return [planned_for(service, g, (), STAR, bool(g.on)) for g in groups(service, type_name, level)]
    if level in scope.READ_LIKE and type_name is not None and not tagged:
        # "read the eks clusters": every resource of the type in the target account, read-only;
        # listing them also takes the List actions that only work on "*" (ListTopics).
        planned: list[Planned] = []
        for each in groups(service, type_name, level):
            group = _without_values(service, each, context)
            if group is None:
                continue
            listing = level is AccessLevel.LIST  # listing with nothing named is authorized on "*"
            resources = scope.account_arns(service, group.on, place) if group.on and not listing else STAR
            if resources is None:  # the type's ARNs carry no account (S3 buckets): a name is needed
                planned = []
                break
            planned.append(planned_for(service, group, (), resources, False))
        if planned:
            planned += star_lists(service, type_name, exact=True, level=level)  # "see all the schedules": ListSchedules
            context.notes.append(_unnamed_note(service, type_name, place))
            return planned
    if level is AccessLevel.LIST and not tagged:
        found = star_lists(service, type_name, exact=False)
        if found:
            return found
    raise NamesNeeded(
        f"Name the {service} resources to {level.value.lower()} (names or ARNs)"
        f"{'' if tagged else ', or scope the request by tags'}: access to every {service} resource is not written."
    )


def _without_values(service: str, group: Group, context: _Context) -> Group | None:
    """The group less the reads that hand out secret values (those need names), with a note when any went."""
    kept = tuple(a for a in group.actions if f"{service}:{a}" not in VALUE_READS)
    if len(kept) == len(group.actions):
        return group
    note = f"No {service} resource was named: its values (secrets, parameters, decryption) are read only on named ones."
    if all(n.code != "VALUES_NEED_NAMES" for n in context.notes):
        context.notes.append(WriterNote("VALUES_NEED_NAMES", note))
    return replace(group, actions=kept) if kept else None


def _unnamed_note(service: str, type_name: str, place: Placement) -> WriterNote:
    return WriterNote(
        "EVERY_RESOURCE_OF_TYPE",
        f"No {service} {type_name} was named: read-only access covers every {type_name} in account {place.account}.",
    )


def _plan_explicit(
    service: str, actions: list[catalog.Action], targets: list[Target], context: _Context
) -> list[Planned]:
    notes = context.notes
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
        key = _explicit_resources(action, targets, context)
        by_resources.setdefault(key, []).append(action)
    planned: list[Planned] = []
    for (resources, scoped), group in by_resources.items():
        names = tuple(dict.fromkeys(t.label for t in targets)) if resources != STAR else ()
        verb = verb_from_actions([a.name for a in group])
        noun = camel(targets[0].type_name) if targets and resources != STAR else ""
        planned.append(Planned(service, verb, noun, names, resources, scoped, {a.full_name for a in group}))
    return planned


def _explicit_resources(
    action: catalog.Action, targets: list[Target], context: _Context
) -> tuple[tuple[str, ...], bool]:
    tagged, notes = context.tagged, context.notes
    if action.needs_star:
        # Chat never asks for these when they write (intents/resolve.py refuses); a trim of an existing policy may.
        code, kind = ("STAR_ONLY_READ", "read-only") if scope.star_allowed(action) else ("STAR_ONLY_WRITE", "it writes")
        notes.append(WriterNote(code, f'{action.full_name} works only on "*" in IAM ({kind}).'))
        return STAR, False
    rows = [r.name.lower() for r in action.resource_types]
    arns = {arn for t in targets for row in rows if (arn := t.arn_for(row)) is not None}
    if arns and scope.creates(action):
        # "take a snapshot of cluster X": X is named; the snapshot it makes is new, so any in the account
        made = [row for row in rows if all(t.arn_for(row) is None for t in targets)]
        arns |= set(scope.account_arns(action.service, made, context.place, creating=True) or ())
    if arns:
        return tuple(sorted(arns)), tagged
    if targets:
        shown = ", ".join(t.label for t in targets[:3])
        raise InvalidInput(
            f"{action.full_name} cannot act on {shown}: it acts on {', '.join(rows)}. Name one of those instead."
        )
    if tagged:
        return STAR, True
    unnamed = scope.unnamed(action, context.place)
    if unnamed is not None:
        kind = "new resources" if scope.creates(action) else "read-only"
        notes.append(WriterNote("EVERY_RESOURCE_OF_TYPE",
                                f"Nothing named for {action.full_name} ({kind}): it covers the account's"
                                f" {', '.join(rows[:4])}{' ...' if len(rows) > 4 else ''}."))  # fmt: skip
        return unnamed, False
    raise NamesNeeded(f"{action.full_name} needs a resource: name the {' or '.join(rows)} it should act on.")
