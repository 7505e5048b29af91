"""The embedded world's access advisor: moto lacks the four APIs, so IAM clients answer them here, from policies."""

from __future__ import annotations

import hashlib
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import catalog
from bot.domain.accounts import DEFAULT_SPOKE_ROLE
from bot.domain.usage import Kind, Principal, parse_principal
from bot.errors import InvalidInput
from bot.local.answers import Handler, Refused, answer_with

# install(client) answers them on one IAM client through bot/local/answers.py (handlers that skip the
# HTTP call, as botocore's Stubber does). What a principal is granted comes from its policies in moto,
# read through the same client; when it used what is a fixed history for the demo roles (the seed
# post's two roles in the sandbox) and a varied, repeatable one for any other role, relative to now.
# Groups and policies are used by their members (a group's users, the roles and users a policy is on).
SANDBOX = "123456789012"
#: The demo roles' history, in days ago: service -> days, and tracked action -> days (None: never).
#: In the sandbox, the seed post's roles: DBAdminRole used DynamoDB days ago and S3 within three months,
#: NetworkAdminRole used EC2 recently; everything else they are granted was never used.
HISTORY: dict[tuple[str, str], dict[str, float]] = {
    (SANDBOX, "DBAdminRole"): {"dynamodb": 3, "s3": 41},
    (SANDBOX, "NetworkAdminRole"): {"ec2": 1},
    (SANDBOX, "DataScientist"): {"s3": 0.1, "athena": 5, "glue": 160},
    (SANDBOX, "Developer"): {"lambda": 2, "dynamodb": 12, "logs": 130},
}
ACTION_HISTORY: dict[tuple[str, str], dict[str, float]] = {
    (SANDBOX, "NetworkAdminRole"): {
        "ec2:DescribeVpcs": 1, "ec2:DescribeSubnets": 1, "ec2:DescribeSecurityGroups": 2,
        "ec2:AuthorizeSecurityGroupIngress": 9, "ec2:CreateSecurityGroup": 30, "ec2:DeleteSecurityGroup": 120,
    },
    (SANDBOX, "DataScientist"): {"s3:ListBucket": 0.1},
    (SANDBOX, "Developer"): {"lambda:GetFunction": 2, "lambda:UpdateFunctionCode": 20},
}
#: Services whose actions AWS tracks (the first four it supported); S3 only for management actions.
#: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-action-last-accessed.html
TRACKED = frozenset({"s3", "ec2", "iam", "lambda"})
JOB_SECONDS = 0.2  # a job is IN_PROGRESS this long, so callers poll as they must in AWS
JOB_KEPT = timedelta(hours=1)
REGION = "us-east-1"

_jobs: dict[str, _Job] = {}
_lock = threading.Lock()


@dataclass
class _Job:
    arn: str
    created: datetime
    ready_at: float
    services: list[dict[str, Any]]
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class _Holding:
    name: str
    kind: str  # INLINE | MANAGED
    arn: str | None
    document: dict[str, Any]
    via_group: str | None = None


# ---- what the principal holds (from moto) -----------------------------------------------------------


def _managed(client: Any, arn: str) -> dict[str, Any]:
    policy = client.get_policy(PolicyArn=arn)["Policy"]
    version = client.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])
    document: dict[str, Any] = version["PolicyVersion"]["Document"]
    return document


def _holdings(client: Any, principal: Principal) -> list[_Holding]:
    from botocore.exceptions import ClientError

    try:
        if principal.kind is Kind.POLICY:
            return [_Holding(principal.name, "MANAGED", principal.arn, _managed(client, principal.arn))]
        kind = principal.kind.value.title()
        key = f"{kind}Name"
        getattr(client, f"get_{principal.kind.value}")(**{key: principal.name})
        found = [
            _Holding(p["PolicyName"], "MANAGED", p["PolicyArn"], _managed(client, p["PolicyArn"]))
            for p in getattr(client, f"list_attached_{principal.kind.value}_policies")(**{key: principal.name})[
                "AttachedPolicies"
            ]
        ]
        for name in getattr(client, f"list_{principal.kind.value}_policies")(**{key: principal.name})["PolicyNames"]:
            answer = getattr(client, f"get_{principal.kind.value}_policy")(**{key: principal.name, "PolicyName": name})
            found.append(_Holding(name, "INLINE", None, answer["PolicyDocument"]))
        if principal.kind is Kind.USER:
            for group in client.list_groups_for_user(UserName=principal.name)["Groups"]:
                member = parse_principal(str(group["Arn"]))
                found += [
                    _Holding(h.name, h.kind, h.arn, h.document, via_group=group["GroupName"])
                    for h in _holdings(client, member)
                ]
        return found
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "NoSuchEntity":
            raise Refused("NoSuchEntity", f"The entity {principal.arn} cannot be found.", 404) from None
        raise


def _granted(document: dict[str, Any]) -> set[str]:
    """Full action names the document's Allow statements name (wildcards expanded through the catalogue)."""
    statements = document.get("Statement", [])
    out: set[str] = set()
    for statement in [statements] if isinstance(statements, dict) else statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        for pattern in [actions] if isinstance(actions, str) else actions:
            out.update(a.full_name for a in catalog.expand(str(pattern)))
    return out


def _tracks(action: catalog.Action) -> bool:
    if action.service not in TRACKED:
        return False
    return action.service != "s3" or "object" not in action.resource_type_names  # S3: management actions only


# ---- history ------------------------------------------------------------------------------------------


def _history(principal: Principal, services: set[str], actions: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """(service -> days ago, action -> days ago): the demo's, or a repeatable varied one for any other role."""
    key = (principal.account_id, principal.name)
    if principal.name == DEFAULT_SPOKE_ROLE:  # the bot itself is using it right now
        return dict.fromkeys(services, 0.0), dict.fromkeys(actions, 0.0)
    if key in HISTORY:
        return HISTORY[key], ACTION_HISTORY.get(key, {})
    seed = int.from_bytes(hashlib.sha256(principal.arn.encode()).digest()[:8], "big")
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    used = {s: round(rng.uniform(0.05, 200), 2) for s in sorted(services) if rng.random() < 0.55}
    by_service: dict[str, list[str]] = {}
    for name in sorted(actions):
        by_service.setdefault(name.partition(":")[0], []).append(name)
    action_days: dict[str, float] = {}
    for service, days in used.items():
        names = by_service.get(service, [])
        if names and service in TRACKED:
            for name in rng.sample(names, k=min(len(names), rng.randint(1, 3))):
                action_days[name] = days if not action_days else round(days + rng.uniform(0, 60), 2)
    return used, action_days


def _members(client: Any, principal: Principal) -> list[Principal]:
    """Who can use what the principal grants: itself, a group's users, or the roles and users a policy is on."""
    if principal.kind in (Kind.ROLE, Kind.USER):
        return [principal]
    base = f"arn:{principal.partition}:iam::{principal.account_id}"
    if principal.kind is Kind.GROUP:
        arns = [str(u["Arn"]) for u in client.get_group(GroupName=principal.name)["Users"]]
    else:
        found = client.list_entities_for_policy(PolicyArn=principal.arn)
        arns = [f"{base}:role/{r['RoleName']}" for r in found.get("PolicyRoles", [])]
        arns += [f"{base}:user/{u['UserName']}" for u in found.get("PolicyUsers", [])]
        for group in found.get("PolicyGroups", []):
            arns += [str(u["Arn"]) for u in client.get_group(GroupName=group["GroupName"])["Users"]]
    return [parse_principal(arn) for arn in dict.fromkeys(arns)]


def _services(
    members: list[Principal], holdings: list[_Holding], now: datetime
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """ServicesLastAccessed, and per service the entities that used it (most recent first)."""
    granted: set[str] = set()
    for holding in holdings:
        granted |= _granted(holding.document)
    services = {name.partition(":")[0] for name in granted}
    histories = [(member, *_history(member, services, granted)) for member in members]
    out: list[dict[str, Any]] = []
    entities: dict[str, list[dict[str, Any]]] = {}
    for namespace in sorted(services):
        users = sorted(
            ((used[namespace], m, actions) for m, used, actions in histories if namespace in used), key=lambda u: u[0]
        )
        item: dict[str, Any] = {
            "ServiceName": catalog.service_name(namespace) or namespace,
            "ServiceNamespace": namespace,
            "TotalAuthenticatedEntities": len(users),
        }
        if users:
            days, member, _ = users[0]
            item |= {"LastAuthenticated": now - timedelta(days=days), "LastAuthenticatedEntity": member.arn,
                     "LastAuthenticatedRegion": REGION}
        if namespace in TRACKED:
            names = sorted(n for n in granted if n.startswith(f"{namespace}:"))
            tracked = [a for a in (catalog.get_action(n) for n in names) if a is not None and _tracks(a)]
            item["TrackedActionsLastAccessed"] = [_tracked(a, users, now) for a in tracked]
        out.append(item)
        entities[namespace] = [_entity(m, now - timedelta(days=d)) for d, m, _ in users]
    return out, entities


def _tracked(
    action: catalog.Action, users: list[tuple[float, Principal, dict[str, float]]], now: datetime
) -> dict[str, Any]:
    item: dict[str, Any] = {"ActionName": action.name}
    uses = sorted(
        ((actions[action.full_name], m) for _, m, actions in users if action.full_name in actions), key=lambda u: u[0]
    )
    if uses:
        days, member = uses[0]
        item |= {"LastAccessedTime": now - timedelta(days=days), "LastAccessedEntity": member.arn,
                 "LastAccessedRegion": REGION}
    return item


def _entity(member: Principal, when: datetime) -> dict[str, Any]:
    info = {
        "Arn": member.arn, "Name": member.name, "Type": member.kind.value.upper(), "Path": member.path,
        "Id": ("AROA" if member.kind is Kind.ROLE else "AIDA") + hashlib.sha256(member.arn.encode()).hexdigest()[:17],
    }
    return {"EntityInfo": info, "LastAuthenticated": when}


# ---- the four operations -----------------------------------------------------------------------------


def _principal(arn: Any) -> Principal:
    try:
        return parse_principal(str(arn))
    except InvalidInput:
        raise Refused("InvalidInput", f"ARN {str(arn)[:100]} is not valid.") from None


def _generate(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    principal = _principal(params.get("Arn"))
    now = datetime.now(UTC)
    holdings = _holdings(client, principal)
    services, entities = _services(_members(client, principal), holdings, now)
    job = _Job(principal.arn, now, time.monotonic() + JOB_SECONDS, services, entities)
    job_id = str(uuid.uuid4())
    with _lock:
        for old in [k for k, v in _jobs.items() if now - v.created > JOB_KEPT]:  # `serve` runs for days
            del _jobs[old]
        _jobs[job_id] = job
    return {"JobId": job_id}


def _job(params: dict[str, Any]) -> _Job:
    with _lock:
        job = _jobs.get(str(params.get("JobId")))
    if job is None:
        raise Refused("NoSuchEntity", "The job cannot be found.", 404)
    return job


def _page(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    start = int(params.get("Marker") or 0)
    size = int(params.get("MaxItems") or 100)
    chunk = items[start : start + size]
    more = start + size < len(items)
    return chunk, ({"IsTruncated": True, "Marker": str(start + size)} if more else {"IsTruncated": False})


def _status(job: _Job) -> dict[str, Any]:
    done = time.monotonic() >= job.ready_at
    return {
        "JobStatus": "COMPLETED" if done else "IN_PROGRESS",
        "JobCreationDate": job.created,
        "JobCompletionDate": job.created + timedelta(seconds=JOB_SECONDS),
    }


def _get(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    job = _job(params)
    status = _status(job)
    if status["JobStatus"] != "COMPLETED":
        return {**status, "JobType": "ACTION_LEVEL", "ServicesLastAccessed": []}
    chunk, more = _page(job.services, params)
    return {**status, "JobType": "ACTION_LEVEL", "ServicesLastAccessed": chunk, **more}


def _with_entities(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    job = _job(params)
    chunk, more = _page(job.entities.get(str(params.get("ServiceNamespace", "")), []), params)
    return {**_status(job), "EntityDetailsList": chunk, **more}


def _policies_granting(client: Any, params: dict[str, Any]) -> dict[str, Any]:
    principal = _principal(params.get("Arn"))
    if principal.kind is Kind.POLICY:
        raise Refused("InvalidInput", "ARN must be a user, group or role.")
    holdings = _holdings(client, principal)
    out = []
    for namespace in params.get("ServiceNamespaces") or []:
        policies = []
        for holding in holdings:
            if any(name.startswith(f"{namespace}:") for name in _granted(holding.document)):
                policy: dict[str, Any] = {"PolicyName": holding.name, "PolicyType": holding.kind}
                if holding.arn:
                    policy["PolicyArn"] = holding.arn
                if holding.kind == "INLINE" or holding.via_group:
                    policy["EntityType"] = "GROUP" if holding.via_group else principal.kind.value.upper()
                    policy["EntityName"] = holding.via_group or principal.name
                policies.append(policy)
        out.append({"ServiceNamespace": namespace, "Policies": policies})
    return {"PoliciesGrantingServiceAccess": out, "IsTruncated": False}


_OPERATIONS: dict[str, Handler] = {
    "GenerateServiceLastAccessedDetails": _generate,
    "GetServiceLastAccessedDetails": _get,
    "GetServiceLastAccessedDetailsWithEntities": _with_entities,
    "ListPoliciesGrantingServiceAccess": _policies_granting,
}
def install(client: Any) -> None:
    """Answer the four access-advisor operations on this IAM client from the world's policies (idempotent)."""
    answer_with(client, _OPERATIONS)


def hook(client: Any) -> None:
    """A bot.aws.sessions client hook: IAM clients get the stand-in (for shells pointed at a running world)."""
    if client.meta.service_model.service_name == "iam":
        install(client)

