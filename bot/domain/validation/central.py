"""The security team's rules for the account type: forbidden actions, protected resources, instance
types, regions and permissions boundaries. Central deny statements count as mitigation (docs/policy-engine.md)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain import catalog
from bot.domain.models import Finding
from bot.domain.rules import AccountRules
from bot.domain.validation.codes import finding, short
from bot.domain.validation.grammar import Statement, check_grammar
from bot.domain.validation.matching import Grants, Names, glob_regex, grants_action, resource_matches
from bot.domain.validation.patterns import expand

BOUNDARY_CHANGES = (
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
)
BOUNDARY_REQUIRED_FOR = ("iam:CreateRole", "iam:CreateUser")
_BOUNDARY_NAMES = Names((*BOUNDARY_CHANGES, *BOUNDARY_REQUIRED_FOR))
BOUNDARY_KEY = "iam:permissionsboundary"
INSTANCE_TYPE_KEY = "ec2:instancetype"
REGION_KEY = "aws:requestedregion"
# Operators that say what a value must be (negated operators say what it must not be).
_POSITIVE = re.compile(r"^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnEquals|ArnLike)(IfExists)?$", re.I)
_ACCOUNT_VARIABLE = r"(\d{12}|\$\{aws:PrincipalAccount\}|\*)"

_DENY_CACHE: dict[int, tuple[AccountRules, list[Statement]]] = {}


def central_deny_statements(rules: AccountRules) -> list[Statement]:
    cached = _DENY_CACHE.get(id(rules))
    if cached is None or cached[0] is not rules:
        statements, _ = check_grammar({"Version": "2012-10-17", "Statement": [dict(s) for s in rules.central_deny]})
        cached = (rules, statements)
        _DENY_CACHE[id(rules)] = cached
    return cached[1]


def _positive_values(statement: Statement, key: str) -> list[str] | None:
    """Values a positive condition on `key` requires; None when the statement has no such condition."""
    values: list[str] | None = None
    for clause in statement.conditions:
        if clause.key.lower() == key and _POSITIVE.match(clause.operator):
            values = [*(values or []), *clause.values]
    return values


def _deny_restricts(denies: list[Statement], action: str, key: str) -> bool:
    return any(grants_action(d, action) and any(c.key.lower() == key for c in d.conditions) for d in denies)


def _forbidden_names(rules: AccountRules) -> tuple[tuple[str, ...], Names]:
    """The forbidden actions, wildcards expanded, in the rules' order (computed once per rules)."""
    cached = _FORBIDDEN_CACHE.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1], cached[2]
    ordered: list[str] = []
    seen: set[str] = set()
    for pattern in rules.forbidden_actions:
        names = [a.full_name for a in expand(pattern)] if "*" in pattern or "?" in pattern else [pattern]
        for name in names:
            if name.lower() in seen or name in BOUNDARY_CHANGES:
                continue  # boundary changes get their own, more specific finding
            seen.add(name.lower())
            ordered.append(name)
    _FORBIDDEN_CACHE[id(rules)] = (rules, tuple(ordered), Names(ordered))
    return tuple(ordered), _FORBIDDEN_CACHE[id(rules)][2]


_FORBIDDEN_CACHE: dict[int, tuple[AccountRules, tuple[str, ...], Names]] = {}


def _forbidden(grants: Grants, rules: AccountRules, account_type: str) -> list[Finding]:
    out: list[Finding] = []
    ordered, names = _forbidden_names(rules)
    granted = grants.granted_among(names)
    if not granted:
        return out
    for name in ordered:
        if name in granted:
            out.append(
                finding(
                    "FORBIDDEN_ACTION",
                    statement=grants.granting(name)[0].ref,
                    action=name,
                    blocking=True,
                    account_type=account_type,
                )
            )
    return out


def _boundary_pattern(boundary: str | None) -> re.Pattern[str] | None:
    if boundary is None:
        return None
    parts = boundary.split("${AccountId}")
    return re.compile("^" + _ACCOUNT_VARIABLE.join(re.escape(p) for p in parts) + "$")


def _boundaries(grants: Grants, rules: AccountRules) -> list[Finding]:
    out: list[Finding] = []
    pattern = _boundary_pattern(rules.permissions_boundary)
    shown = rules.permissions_boundary or "(any boundary)"

    def requires_boundary(statement: Statement) -> bool:
        values = _positive_values(statement, BOUNDARY_KEY)
        if not values:
            return False
        return pattern is None or all(pattern.match(v) for v in values)

    granted = grants.granted_among(_BOUNDARY_NAMES)
    if not granted:
        return out
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
    types = catalog.match_arn_to_resource_types(arn)
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


def _protection(rules: AccountRules, denies: list[Statement]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One regex for "inside a protected glob", and the globs no central deny covers (computed once per rules)."""
    cached = _PROTECTION_CACHE.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1], cached[2]
    globs = rules.protected_resources
    inside = re.compile("|".join(f"(?:{glob_regex(g).pattern})" for g in globs), re.DOTALL) if globs else None
    uncovered = tuple(
        p
        for p in globs
        if not any(
            not d.conditions and "*" in (d.actions or ()) and any(resource_matches(r, p) for r in d.resources or ())
            for d in denies
        )
    )
    _PROTECTION_CACHE[id(rules)] = (rules, inside, uncovered)
    return inside, uncovered


_PROTECTION_CACHE: dict[int, tuple[AccountRules, re.Pattern[str] | None, tuple[str, ...]]] = {}


def _protected(grants: Grants, rules: AccountRules, denies: list[Statement], account_type: str) -> list[Finding]:
    out: list[Finding] = []
    inside, uncovered = _protection(rules, denies)
    if inside is None:
        return out
    for statement in grants.allows:
        for resource in statement.resources if statement.resources is not None else ("*",):
            if inside.fullmatch(resource):
                pattern = next(p for p in rules.protected_resources if resource_matches(p, resource))
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
            for protected in uncovered:
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


def _instance_types(grants: Grants, rules: AccountRules, denies: list[Statement], account_type: str) -> list[Finding]:
    allowed = rules.allowed_instance_types
    if not allowed:
        return []
    out: list[Finding] = []
    restricted_by_deny = _deny_restricts(denies, "ec2:RunInstances", INSTANCE_TYPE_KEY)
    for statement in grants.granting("ec2:RunInstances"):
        values = _positive_values(statement, INSTANCE_TYPE_KEY)
        bad = [v for v in values or () if not any(resource_matches(a, v) for a in allowed)]
        if bad:
            out.append(
                finding(
                    "INSTANCE_TYPE_NOT_ALLOWED",
                    statement=statement.ref,
                    action="ec2:RunInstances",
                    value=short(bad[0], 30),
                    account_type=account_type,
                    allowed=", ".join(allowed),
                )
            )
        elif values is None and not restricted_by_deny:
            out.append(
                finding(
                    "INSTANCE_TYPE_NOT_RESTRICTED",
                    statement=statement.ref,
                    action="ec2:RunInstances",
                    allowed=", ".join(allowed),
                )
            )
    return out


def _regions(grants: Grants, rules: AccountRules, denies: list[Statement], account_type: str) -> list[Finding]:
    allowed = rules.allowed_regions
    if not allowed:
        return []
    out: list[Finding] = []
    shown = ", ".join(allowed)
    restricted = any(any(c.key.lower() == REGION_KEY for c in d.conditions) for d in denies)
    for statement in grants.allows:
        values = _positive_values(statement, REGION_KEY)
        regions = list(values or ())
        for resource in statement.resources or ():
            arn = catalog.parse_arn(resource) if resource.startswith("arn:") else None
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


def _reserved_sids(grants: Grants, rules: AccountRules) -> list[Finding]:
    reserved = rules.reserved_sids()
    return [
        finding("RESERVED_SID", statement=s.ref, sid=s.sid, blocking=True)
        for s in grants.statements
        if s.sid in reserved and central_deny_statements(rules) and not _is_central(s, rules)
    ]


def _is_central(statement: Statement, rules: AccountRules) -> bool:
    # The same statement at another position: a final document validated again.
    return any(replace(statement, index=d.index) == d for d in central_deny_statements(rules))


def check_central_rules(grants: Grants, rules: AccountRules, account_type: str) -> list[Finding]:
    """Findings of the account type's rules on the requester's statements (central denies not included)."""
    denies = central_deny_statements(rules)
    return [
        *_reserved_sids(grants, rules),
        *_forbidden(grants, rules, account_type),
        *_boundaries(grants, rules),
        *_protected(grants, rules, denies, account_type),
        *_instance_types(grants, rules, denies, account_type),
        *_regions(grants, rules, denies, account_type),
    ]
