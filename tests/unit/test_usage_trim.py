"""Trim proposals: unused services and tracked actions go, the rest stays on the same resources, as a request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain import usage_texts as texts
from bot.domain.usage import UsageReport, parse_principal
from bot.domain.usage_pages import report_from_advisor
from bot.domain.usage_trim import KeptGrant, TrimProposal, propose_trim, trim_request
from bot.domain.validation import validate
from bot.domain.writer import write_policy
from bot.errors import InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ACCOUNT = "123456789012"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions: list[str], resources: list[str] | str = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def report(
    role: str, used: dict[str, float | None], actions: dict[str, dict[str, float | None]] | None = None
) -> UsageReport:
    services = []
    for namespace, days in used.items():
        item: dict[str, Any] = {"ServiceNamespace": namespace, "ServiceName": f"Svc {namespace}"}
        if days is not None:
            item["LastAuthenticated"] = NOW - timedelta(days=days)
        if actions and namespace in actions:
            item["TrackedActionsLastAccessed"] = [
                {"ActionName": name, **({"LastAccessedTime": NOW - timedelta(days=d)} if d is not None else {})}
                for name, d in actions[namespace].items()
            ]
        services.append(item)
    principal = parse_principal(f"arn:aws:iam::{ACCOUNT}:role/{role}")
    return report_from_advisor(principal, "sandbox", [{"ServicesLastAccessed": services}], days=90, now=NOW)


DB_ADMIN = [
    ("db-admin", doc(allow(["rds:*", "dynamodb:*"]), allow(["secretsmanager:GetSecretValue"]))),
    ("backups", doc(allow(["backup:StartBackupJob", "s3:PutObject"]))),
]


def test_db_admin_keeps_dynamodb_and_s3_and_drops_the_never_used() -> None:
    usage = report("DBAdminRole", {"dynamodb": 3, "s3": 41, "rds": None, "secretsmanager": None, "backup": 200})
    proposal = propose_trim(usage, DB_ADMIN)
    assert proposal.changed
    assert proposal.removed_services == ("backup", "rds", "secretsmanager")
    assert {g.service for g in proposal.grants} == {"dynamodb", "s3"}
    s3 = next(g for g in proposal.grants if g.service == "s3")
    assert s3 == KeptGrant(service="s3", actions=("PutObject",), resources=s3.resources)
    assert "arn:aws:s3:::*/*" in s3.resources  # '*' became every object, nothing wider
    diff = proposal.diff()
    assert "- db-admin: rds:*" in diff and "(Svc rds: never)" in diff
    assert "  db-admin: dynamodb:*" in diff and "AWS does not track its actions, all kept" in diff
    assert "- backups: backup:StartBackupJob" in diff and "(Svc backup: 200 days ago)" in diff
    assert proposal.policies == ("db-admin", "backups")
    request = trim_request(proposal, requester="alice")
    assert request.account == "sandbox" and request.requester == "alice"
    assert ACCOUNT in request.justification and "db-admin, backups" in request.justification
    document = write_policy(request, account_id=ACCOUNT)
    granted = {a for s in document["Statement"] for a in s["Action"]}
    assert "s3:PutObject" in granted and "dynamodb:GetItem" in granted
    assert not any(a.startswith(("rds:", "secretsmanager:", "backup:")) for a in granted)


def test_tracked_actions_not_used_in_the_window_go() -> None:
    usage = report(
        "NetworkAdminRole",
        {"ec2": 1, "route53": None},
        {"ec2": {"DescribeVpcs": 1, "CreateVpc": 200, "DeleteVpc": None}},
    )
    actions = ["ec2:DescribeVpcs", "ec2:CreateVpc", "ec2:DeleteVpc", "route53:ListHostedZones"]
    documents = [("network", doc(allow(actions)))]
    proposal = propose_trim(usage, documents)
    assert proposal.removed_services == ("route53",)
    assert proposal.removed_actions == ("ec2:CreateVpc", "ec2:DeleteVpc")
    assert proposal.grants == (KeptGrant(service="ec2", actions=("DescribeVpcs",), resources=()),)
    signs = [(line.sign, line.text) for line in proposal.lines]
    assert ("-", "network: ec2:DescribeVpcs, ec2:CreateVpc, ec2:DeleteVpc") in signs
    assert ("+", "ec2:DescribeVpcs") in signs
    document = write_policy(trim_request(proposal), account_id=ACCOUNT)
    assert document["Statement"][0]["Action"] == ["ec2:DescribeVpcs"]
    assert validate(document, account_type="sandbox").allowed


def test_untracked_actions_of_a_tracked_service_stay() -> None:
    # S3 tracks management actions only: GetObject is never in the tracked list, so it is not "unused".
    usage = report("DataScientist", {"s3": 0.5}, {"s3": {"ListBucket": 0.5, "PutBucketPolicy": None}})
    documents = [
        ("read", doc(allow(["s3:GetObject", "s3:ListBucket", "s3:PutBucketPolicy"], ["arn:aws:s3:::analytics-*"])))
    ]
    proposal = propose_trim(usage, documents)
    assert proposal.removed_actions == ("s3:PutBucketPolicy",)
    kept = {a for g in proposal.grants for a in g.actions}
    assert kept == {"GetObject", "ListBucket"}
    assert all(g.resources == ("arn:aws:s3:::analytics-*",) for g in proposal.grants)  # the same resources


def test_conditional_statements_are_not_carried_over() -> None:
    usage = report("Tagged", {"ec2": 1, "logs": None})
    condition = {"StringEquals": {"aws:ResourceTag/team": "net"}}
    documents = [
        ("tagged", doc(allow(["ec2:StartInstances"], Condition=condition), allow(["logs:GetLogEvents"])))
    ]
    proposal = propose_trim(usage, documents)
    assert proposal.grants == ()
    assert proposal.lines[0].sign == "!" and proposal.lines[0].note == texts.TRIM_CONDITIONAL


def test_denies_and_other_accounts_are_noted() -> None:
    usage = report("Mixed", {"s3": 2, "sqs": None})
    documents = [
        (
            "mixed",
            doc(
                allow(["sqs:SendMessage"], ["arn:aws:sqs:us-east-1:999999999999:queue"]),
                allow(["s3:GetObject"], ["arn:aws:s3:::b/*"]),
                {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
            ),
        ),
        ("far", doc(allow(["s3:ListBucket"], ["arn:aws:s3:us-east-1:999999999999:accesspoint/x"]))),
    ]
    proposal = propose_trim(usage, documents)
    assert texts.TRIM_DENIES in proposal.notes and texts.TRIM_OTHER_ACCOUNT in proposal.notes
    assert proposal.grants == (KeptGrant(service="s3", actions=("GetObject",), resources=("arn:aws:s3:::b/*",)),)


def test_nothing_to_trim_and_no_data_is_never_trimmed_blind() -> None:
    usage = report("Busy", {"s3": 1})
    documents = [("busy", doc(allow(["s3:GetObject"], ["arn:aws:s3:::b/*"]), allow(["kms:Decrypt"])))]
    proposal = propose_trim(usage, documents)
    assert not proposal.changed  # kms is not in the report: no evidence, so it stays
    assert {g.service for g in proposal.grants} == {"s3", "kms"}


def test_too_many_grants_is_a_clear_refusal() -> None:
    principal = parse_principal(f"arn:aws:iam::{ACCOUNT}:role/Huge")
    grants = tuple(
        KeptGrant(service="s3", actions=("GetObject",), resources=(f"arn:aws:s3:::b{i}/*",)) for i in range(21)
    )
    proposal = TrimProposal(
        principal=principal, account="sandbox", days=90, policies=("p",), lines=(), grants=grants,
        removed_services=("rds",), removed_actions=(),
    )
    with pytest.raises(InvalidInput) as raised:
        trim_request(proposal)
    assert str(raised.value) == (
        "I can't turn this into one request: the trimmed policy needs 21 grants (at most 20 per request); "
        "trim its policies one by one"
    )
