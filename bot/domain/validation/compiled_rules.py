"""An account type's rules as the checks use them, worked out once per rules object: the central deny statements
parsed, forbidden actions expanded, protected globs compiled, what the central denies already restrict."""

from __future__ import annotations

import re

from bot.domain.rules import AccountRules
from bot.domain.validation.action_sets import Names
from bot.domain.validation.escalation import NAMES as ESCALATION
from bot.domain.validation.globs import glob_regex, resource_matches
from bot.domain.validation.grammar import check_grammar
from bot.domain.validation.matching import grants_action
from bot.domain.validation.patterns import expand
from bot.domain.validation.statement import Statement

BOUNDARY_CHANGES = (
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
)
BOUNDARY_REQUIRED_FOR = ("iam:CreateRole", "iam:CreateUser")
BOUNDARY_ACTIONS = frozenset((*BOUNDARY_CHANGES, *BOUNDARY_REQUIRED_FOR))
BOUNDARY_KEY = "iam:permissionsboundary"
INSTANCE_TYPE_KEY = "ec2:instancetype"
REGION_KEY = "aws:requestedregion"
RUN_INSTANCES = "ec2:RunInstances"
_ACCOUNT_VARIABLE = r"(\d{12}|\$\{aws:PrincipalAccount\}|\*)"
# Rules objects remembered (one per account type of each rules file in use).
_MAX_RULES = 64
# Resources one rules object remembers an answer for.
_MAX_RESOURCES = 65_536


def _deny_restricts(denies: list[Statement], action: str, key: str) -> bool:
    return any(grants_action(d, action) and any(c.key.lower() == key for c in d.conditions) for d in denies)


def _boundary_pattern(boundary: str | None) -> re.Pattern[str] | None:
    if boundary is None:
        return None
    parts = boundary.split("${AccountId}")
    return re.compile("^" + _ACCOUNT_VARIABLE.join(re.escape(p) for p in parts) + "$")


class CompiledRules:
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


_ALL: dict[int, CompiledRules] = {}


def compiled_rules(rules: AccountRules) -> CompiledRules:
    found = _ALL.get(id(rules))
    if found is None or found.rules is not rules:
        if len(_ALL) >= _MAX_RULES:
            _ALL.clear()
        found = _ALL[id(rules)] = CompiledRules(rules)
    return found


def central_deny_statements(rules: AccountRules) -> list[Statement]:
    return compiled_rules(rules).denies
