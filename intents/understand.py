"""Words to AccessRequests (no dialog): what `accessbot generate "TEXT"` and the dialog's draft step use."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from pydantic import ValidationError

from bot.domain.accounts import Account, AccountRegistry, embedded_registry
from bot.domain.arns import has_wildcard, parse_arn
from bot.domain.models import AccessRequest, Grant, TagScope, ValidationResult
from bot.errors import AccessBotError
from intents import texts
from intents.extract import from_iso
from intents.grants import GrantDraft
from intents.parser import Parse, parse
from intents.slot_types import suggest_services


def problem_text(result: Parse) -> str | None:
    """The refusal or question for what the parser flagged, or None."""
    problems = result.problems
    if "too_broad" in problems:
        return texts.REFUSE_BROAD.format(what=f"'{problems['too_broad'][:40]}'")
    if "variable" in problems:
        return texts.REFUSE_VARIABLE
    if "contradiction" in problems:
        return texts.ASK_LEVEL_CONTRADICTION.format(verb=problems["contradiction"])
    if "unknown_service" in problems:
        word = problems["unknown_service"]
        close = suggest_services(word)
        if close:
            return texts.UNKNOWN_SERVICE.format(word=word[:40], suggestions=" or ".join(close))
        return texts.UNKNOWN_SERVICE_NO_SUGGESTION
    if "full_access" in problems and not any(g.levels or g.actions for g in result.grants):
        return texts.ASK_FULL_ACCESS
    if "star_write" in problems and not any(g.levels or g.actions for g in result.grants):
        return texts.REFUSE_STAR_WRITE.format(action=problems["star_write"])
    return None


def arn_problem(drafts: list[GrantDraft], account: Account) -> str | None:
    """ARNs in another partition or account, or with wildcards/variables: a clear answer, never a broader grant."""
    for draft in drafts:
        for resource in draft.resources:
            if not resource.startswith("arn:"):
                continue
            arn = parse_arn(resource)
            if arn is None:
                return texts.REFUSE_WILDCARD.format(arn=resource[:200])
            if "${" in resource:
                return texts.REFUSE_VARIABLE
            if arn.partition != "aws":
                return texts.REFUSE_PARTITION.format(
                    arn=resource[:200], partition=arn.partition[:20], account=account.alias
                )
            if arn.account and arn.account != account.id:
                return texts.REFUSE_ARN_ACCOUNT.format(
                    arn=resource[:200], arn_account=arn.account[:12], account=account.alias, account_id=account.id
                )
            # Only an S3 path may end in "/*" (the objects under a bucket or prefix); "table/*" is every table.
            wild = arn.resource[:-2] if arn.service == "s3" and arn.resource.endswith("/*") else arn.resource
            if has_wildcard(wild) or has_wildcard(arn.region) or has_wildcard(arn.account) or not wild:
                return texts.REFUSE_WILDCARD.format(arn=resource[:200])
    return None


def to_grant(draft: GrantDraft) -> Grant:
    return Grant(
        service=draft.service or "",
        access_levels=tuple(draft.levels),
        actions=tuple(draft.actions),
        resources=tuple(draft.resources),
        resource_type=draft.resource_type,
    )


def duration_of(value: Any) -> timedelta | None:
    if not isinstance(value, str) or value == "permanent":
        return None
    return from_iso(value)


def build_request(drafts: list[GrantDraft], slots: dict[str, Any], account: Account, requester: str) -> AccessRequest:
    """The AccessRequest for one account; raises InvalidInput-worthy ValueError on bad pieces."""
    tags: tuple[TagScope, ...] = ()
    if slots.get("tag_key"):
        tags = (TagScope(key=str(slots["tag_key"]), value=slots.get("tag_value")),)
    return AccessRequest(
        account=account.alias,
        grants=tuple(to_grant(d) for d in drafts),
        regions=tuple(slots.get("region") or ()),
        tags=tags,
        duration=duration_of(slots.get("duration")),
        justification=str(slots.get("justification") or "")[:1000],
        requester=requester,
    )


def incomplete(drafts: list[GrantDraft], slots: dict[str, Any]) -> str | None:
    """The first missing piece of the grants, as a question (None when the grants are complete)."""
    if not drafts:
        return texts.ASK_SERVICE
    for draft in drafts:
        if not draft.service:
            return texts.ASK_SERVICE
        if not draft.levels and not draft.actions:
            return texts.ASK_LEVEL
        if not draft.resources and not slots.get("tag_key") and needs_resource(draft):
            what = (draft.resource_type or "resource").replace("object", "bucket").lower()
            return texts.ASK_RESOURCE.format(what=what)
    return None


def needs_resource(draft: GrantDraft) -> bool:
    """True when the writer can't write the grant without names: writes need them; reads, lists and
    creates don't (they get the account's resources of the type, docs/policy-engine.md)."""
    if not draft.service or not (draft.levels or draft.actions) or draft.resources:
        return False
    writer = import_module("bot.domain.writer")
    try:
        grant = to_grant(draft)
    except ValidationError:
        return False
    if writer.needs_names(grant):
        return True
    # "read a dynamodb table", "describe the cluster": one thing, unnamed -> ask which (unless it's being created)
    return bool(draft.resource_type) and not draft.every and not writer.creates_only(grant)


def policy_for(request: AccessRequest, account: Account, now: datetime | None = None) -> Any:
    """The policy writer's document (bot.domain.writer), imported lazily; raises InvalidInput."""
    writer = import_module("bot.domain.writer")
    expires = now + request.duration if now is not None and request.duration is not None else None
    try:
        return writer.write_policy(request, account_id=account.id, expires_at=expires)
    except TypeError:
        return writer.write_policy(request, expires_at=expires)


def validate_for(policy: Any, account: Account, rules: Any = None) -> ValidationResult:
    result: ValidationResult = import_module("bot.domain.validation").validate(
        policy, account_type=account.type, rules=rules
    )
    return result


def request_from_text(
    text: str, *, account: str | None = None, requester: str = "", registry: AccountRegistry | None = None
) -> tuple[AccessRequest | None, str]:
    """Plain words to an AccessRequest, or None and the reason in words a person can act on."""
    registry = registry or embedded_registry()
    result = parse(text, registry=registry, intent_hint="RequestAccess")
    refusal = problem_text(result)
    if refusal:
        return None, refusal
    missing = incomplete(result.grants, result.slots)
    if missing:
        return None, f"{texts.NOT_UNDERSTOOD} {missing}"
    named = account or next(iter(result.slots.get("account") or []), None)
    if not named:
        return None, f"{texts.ASK_ACCOUNT} ({registry.describe()}; use --account)"
    try:
        target = registry.resolve(named)
    except AccessBotError as error:
        return None, str(error)
    problem = arn_problem(result.grants, target)
    if problem:
        return None, problem
    try:
        request = build_request(result.grants, result.slots, target, requester)
    except ValidationError as error:
        return None, texts.CANNOT_WRITE.format(reason=error.errors()[0]["msg"])
    return request, ""
