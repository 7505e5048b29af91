"""The security team's rules for the account type: forbidden actions, protected resources, instance
types, regions and permissions boundaries. Central deny statements count as mitigation (docs/policy-engine.md)."""

from __future__ import annotations

import re

from bot.domain.models import Finding
from bot.domain.rules import AccountRules
from bot.domain.validation.codes import finding, short
from bot.domain.validation.compiled_rules import (
    BOUNDARY_ACTIONS,
    BOUNDARY_CHANGES,
    BOUNDARY_KEY,
    BOUNDARY_REQUIRED_FOR,
    INSTANCE_TYPE_KEY,
    REGION_KEY,
    RUN_INSTANCES,
    CompiledRules,
    central_deny_statements,
    compiled_rules,
)
from bot.domain.validation.globs import resource_matches
from bot.domain.validation.matching import Grants
from bot.domain.validation.patterns import arn_types, expand, parse_arn
from bot.domain.validation.statement import Statement

__all__ = ["BOUNDARY_CHANGES", "BOUNDARY_REQUIRED_FOR", "central_deny_statements", "check_central_rules"]

# Operators that say what a value must be (negated operators say what it must not be).
_POSITIVE = re.compile(r"^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnEquals|ArnLike)(IfExists)?$", re.I)


def _positive_values(statement: Statement, key: str) -> list[str] | None:
    """Values a positive condition on `key` requires; None when the statement has no such condition."""
    values: list[str] | None = None
    for clause in statement.conditions:
        if clause.key.lower() == key and _POSITIVE.match(clause.operator):
            values = [*(values or []), *clause.values]
    return values


def _forbidden(grants: Grants, rules: CompiledRules, account_type: str) -> list[Finding]:
    out: list[Finding] = []
    granted = grants.granted_among(rules.watched)
    if not granted:
        return out
    for name in rules.forbidden:
        if name in granted:
            first = grants.granting(name)[0]
            out.append(
                finding("FORBIDDEN_ACTION", statement=first.ref, action=name, blocking=True, account_type=account_type)
            )
    return out


def _boundaries(grants: Grants, rules: CompiledRules) -> list[Finding]:
    out: list[Finding] = []
    if grants.granted_among(rules.watched).isdisjoint(BOUNDARY_ACTIONS):
        return out
    pattern = rules.boundary
    shown = rules.rules.permissions_boundary or "(any boundary)"

    def requires_boundary(statement: Statement) -> bool:
        values = _positive_values(statement, BOUNDARY_KEY)
        if not values:
            return False
        return pattern is None or all(pattern.match(v) for v in values)

    for action in BOUNDARY_CHANGES:
        for statement in grants.granting(action):
            if action.startswith("iam:Put") and requires_boundary(statement):
                continue
            out.append(finding("PERMISSIONS_BOUNDARY_CHANGE", statement=statement.ref, action=action, blocking=True))
            break
    for action in BOUNDARY_REQUIRED_FOR:
        for statement in grants.granting(action):
            if not requires_boundary(statement):
                out.append(
                    finding(
                        "PERMISSIONS_BOUNDARY_REQUIRED",
                        statement=statement.ref,
                        action=action,
                        boundary=shown,
                        blocking=True,
                    )
                )
                break
    return out


def _sample_arn(glob: str) -> str:
    return glob.replace("*", "x").replace("?", "x")


def _applies_to(statement: Statement, arn: str) -> bool:
    """Does any action of the statement work on the resource type of `arn`?"""
    types = arn_types(arn)
    if not types:
        return False
    wanted = {(t.service, t.name.lower()) for t in types}
    for pattern in statement.actions or ("*",):
        if pattern in ("*", "*:*") or (":" in pattern and "*" in pattern.partition(":")[0]):
            return True
        for action in expand(pattern):
            if any((action.service, row.name.lower()) in wanted for row in action.resource_types):
                return True
    return False


def _protected(grants: Grants, rules: CompiledRules, account_type: str) -> list[Finding]:
    out: list[Finding] = []
    if rules.inside is None:
        return out
    for statement in grants.allows:
        for resource in statement.resources if statement.resources is not None else ("*",):
            pattern = rules.inside_of(resource)
            if pattern is not None:
                out.append(
                    finding(
                        "PROTECTED_RESOURCE",
                        statement=statement.ref,
                        resource=short(resource),
                        pattern=pattern,
                        account_type=account_type,
                        blocking=True,
                    )
                )
                continue
            for protected in rules.uncovered:
                sample = _sample_arn(protected)
                if resource_matches(resource, sample) and _applies_to(statement, sample):
                    out.append(
                        finding(
                            "PROTECTED_RESOURCE_EXPOSED",
                            statement=statement.ref,
                            resource=short(resource),
                            pattern=protected,
                        )
                    )
    return out


def _instance_types(grants: Grants, rules: CompiledRules, account_type: str) -> list[Finding]:
    allowed = rules.rules.allowed_instance_types
    if not allowed or RUN_INSTANCES not in grants.granted_among(rules.watched):
        return []
    out: list[Finding] = []
    for statement in grants.granting(RUN_INSTANCES):
        values = _positive_values(statement, INSTANCE_TYPE_KEY)
        bad = [v for v in values or () if not any(resource_matches(a, v) for a in allowed)]
        if bad:
            out.append(
                finding(
                    "INSTANCE_TYPE_NOT_ALLOWED",
                    statement=statement.ref,
                    action=RUN_INSTANCES,
                    value=short(bad[0], 30),
                    account_type=account_type,
                    allowed=", ".join(allowed),
                )
            )
        elif values is None and not rules.instance_types_restricted:
            out.append(
                finding(
                    "INSTANCE_TYPE_NOT_RESTRICTED",
                    statement=statement.ref,
                    action=RUN_INSTANCES,
                    allowed=", ".join(allowed),
                )
            )
    return out


def _regions(grants: Grants, rules: CompiledRules, account_type: str) -> list[Finding]:
    allowed = rules.rules.allowed_regions
    if not allowed:
        return []
    out: list[Finding] = []
    shown = ", ".join(allowed)
    restricted = rules.regions_restricted
    for statement in grants.allows:
        values = _positive_values(statement, REGION_KEY)
        regions = list(values or ())
        for resource in statement.resources or ():
            arn = parse_arn(resource) if resource.startswith("arn:") else None
            if arn is not None and arn.region and "*" not in arn.region and "$" not in arn.region:
                regions.append(arn.region)
        bad = [r for r in regions if not any(resource_matches(a, r) for a in allowed)]
        if bad:
            out.append(
                finding(
                    "REGION_NOT_ALLOWED",
                    statement=statement.ref,
                    region=short(bad[0], 30),
                    account_type=account_type,
                    allowed=shown,
                    blocking=True,
                )
            )
        restricted = restricted or values is not None
    if grants.allows and not restricted:
        out.append(finding("REGION_NOT_RESTRICTED", account_type=account_type, allowed=shown))
    return out


def _reserved_sids(grants: Grants, rules: CompiledRules) -> list[Finding]:
    if not rules.denies:
        return []
    reserved = rules.reserved
    return [
        finding("RESERVED_SID", statement=s.ref, sid=s.sid, blocking=True)
        for s in grants.statements
        if s.sid in reserved and not _is_central(s, rules)
    ]


def _is_central(statement: Statement, rules: CompiledRules) -> bool:
    # The same statement at another position: a final document validated again.
    content = statement.content()
    return any(content == d.content() for d in rules.denies)


def check_central_rules(grants: Grants, rules: AccountRules, account_type: str) -> list[Finding]:
    """Findings of the account type's rules on the requester's statements (central denies not included)."""
    compiled = compiled_rules(rules)
    return [
        *_reserved_sids(grants, compiled),
        *_forbidden(grants, compiled, account_type),
        *_boundaries(grants, compiled),
        *_protected(grants, compiled, account_type),
        *_instance_types(grants, compiled, account_type),
        *_regions(grants, compiled, account_type),
    ]
