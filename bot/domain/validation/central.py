"""The security team's rules for the account type: forbidden actions, protected resources, instance
types, regions and permissions boundaries. Central deny statements count as mitigation (docs/policy-engine.md)."""

from __future__ import annotations

import re

from bot.domain.models import Finding
from bot.domain.rules import AccountRules
from bot.domain.validation.codes import finding, short
from bot.domain.validation.escalation import NAMES as ESCALATION
from bot.domain.validation.grammar import Statement, check_grammar
from bot.domain.validation.matching import Grants, Names, glob_regex, grants_action, resource_matches
from bot.domain.validation.patterns import arn_types, expand, parse_arn

BOUNDARY_CHANGES = (
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
)
BOUNDARY_REQUIRED_FOR = ("iam:CreateRole", "iam:CreateUser")
_BOUNDARY_ACTIONS = frozenset((*BOUNDARY_CHANGES, *BOUNDARY_REQUIRED_FOR))
BOUNDARY_KEY = "iam:permissionsboundary"
INSTANCE_TYPE_KEY = "ec2:instancetype"
REGION_KEY = "aws:requestedregion"
RUN_INSTANCES = "ec2:RunInstances"
# Operators that say what a value must be (negated operators say what it must not be).
_POSITIVE = re.compile(r"^(ForAnyValue:|ForAllValues:)?(StringEquals|StringLike|ArnEquals|ArnLike)(IfExists)?$", re.I)
_ACCOUNT_VARIABLE = r"(\d{12}|\$\{aws:PrincipalAccount\}|\*)"
# Rules objects remembered (one per account type of each rules file in use).
_MAX_RULES = 64
# Resources one rules object remembers an answer for.
_MAX_RESOURCES = 65_536


def _positive_values(statement: Statement, key: str) -> list[str] | None:
    """Values a positive condition on `key` requires; None when the statement has no such condition."""
    values: list[str] | None = None
    for clause in statement.conditions:
        if clause.key.lower() == key and _POSITIVE.match(clause.operator):
            values = [*(values or []), *clause.values]
    return values


def _deny_restricts(denies: list[Statement], action: str, key: str) -> bool:
    return any(grants_action(d, action) and any(c.key.lower() == key for c in d.conditions) for d in denies)


def _boundary_pattern(boundary: str | None) -> re.Pattern[str] | None:
    if boundary is None:
        return None
    parts = boundary.split("${AccountId}")
    return re.compile("^" + _ACCOUNT_VARIABLE.join(re.escape(p) for p in parts) + "$")


class _Compiled:
    """What the checks need from one account type's rules, worked out once per rules object."""

    def __init__(self, rules: AccountRules) -> None:
        self.rules = rules
        self.denies, _ = check_grammar({"Version": "2012-10-17", "Statement": [dict(s) for s in rules.central_deny]})
        self.reserved = rules.reserved_sids()
        # Forbidden actions, wildcards expanded, in the rules' order; boundary changes get their own finding.
        ordered: list[str] = []
        seen: set[str] = set()
        for pattern in rules.forbidden_actions:
            names = [a.full_name for a in expand(pattern)] if "*" in pattern or "?" in pattern else [pattern]
            for name in names:
                if name.lower() in seen or name in BOUNDARY_CHANGES:
                    continue
                seen.add(name.lower())
                ordered.append(name)
        self.forbidden = tuple(ordered)
        # Every action these checks ask about: a policy's grants are worked out for all of them at once.
        # The escalation methods' actions come along, so that check finds its answer ready.
        self.watched = Names((*ordered, *BOUNDARY_CHANGES, *BOUNDARY_REQUIRED_FOR, RUN_INSTANCES), parts=(ESCALATION,))
        globs = rules.protected_resources
        # One regex for "inside a protected glob", and the globs no central deny covers.
        self.inside = re.compile("|".join(f"(?:{glob_regex(g).pattern})" for g in globs), re.DOTALL) if globs else None
        self.uncovered = tuple(
            p
            for p in globs
            if not any(
                not d.conditions and "*" in (d.actions or ()) and any(resource_matches(r, p) for r in d.resources or ())
                for d in self.denies
            )
        )
        self._inside_of: dict[str, str | None] = {}
        self.boundary = _boundary_pattern(rules.permissions_boundary)
        self.instance_types_restricted = _deny_restricts(self.denies, RUN_INSTANCES, INSTANCE_TYPE_KEY)
        self.regions_restricted = any(any(c.key.lower() == REGION_KEY for c in d.conditions) for d in self.denies)

    def inside_of(self, resource: str) -> str | None:
        """The protected glob a resource falls inside, if any."""
        try:
            return self._inside_of[resource]
        except KeyError:
            pattern = None
            if self.inside is not None and self.inside.fullmatch(resource):
                pattern = next(p for p in self.rules.protected_resources if resource_matches(p, resource))
            if len(self._inside_of) >= _MAX_RESOURCES:
                self._inside_of.clear()
            self._inside_of[resource] = pattern
            return pattern


_COMPILED: dict[int, _Compiled] = {}


def _compiled(rules: AccountRules) -> _Compiled:
    found = _COMPILED.get(id(rules))
    if found is None or found.rules is not rules:
        if len(_COMPILED) >= _MAX_RULES:
            _COMPILED.clear()
        found = _COMPILED[id(rules)] = _Compiled(rules)
    return found


def central_deny_statements(rules: AccountRules) -> list[Statement]:
    return _compiled(rules).denies


def _forbidden(grants: Grants, rules: _Compiled, account_type: str) -> list[Finding]:
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


def _boundaries(grants: Grants, rules: _Compiled) -> list[Finding]:
    out: list[Finding] = []
    if grants.granted_among(rules.watched).isdisjoint(_BOUNDARY_ACTIONS):
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


def _protected(grants: Grants, rules: _Compiled, account_type: str) -> list[Finding]:
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


def _instance_types(grants: Grants, rules: _Compiled, account_type: str) -> list[Finding]:
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


def _regions(grants: Grants, rules: _Compiled, account_type: str) -> list[Finding]:
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


def _reserved_sids(grants: Grants, rules: _Compiled) -> list[Finding]:
    if not rules.denies:
        return []
    reserved = rules.reserved
    return [
        finding("RESERVED_SID", statement=s.ref, sid=s.sid, blocking=True)
        for s in grants.statements
        if s.sid in reserved and not _is_central(s, rules)
    ]


def _is_central(statement: Statement, rules: _Compiled) -> bool:
    # The same statement at another position: a final document validated again.
    content = statement.content()
    return any(content == d.content() for d in rules.denies)


def check_central_rules(grants: Grants, rules: AccountRules, account_type: str) -> list[Finding]:
    """Findings of the account type's rules on the requester's statements (central denies not included)."""
    compiled = _compiled(rules)
    return [
        *_reserved_sids(grants, compiled),
        *_forbidden(grants, compiled, account_type),
        *_boundaries(grants, compiled),
        *_protected(grants, compiled, account_type),
        *_instance_types(grants, compiled, account_type),
        *_regions(grants, compiled, account_type),
    ]
