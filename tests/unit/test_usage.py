"""The pure usage report: strict ARN checks (hostile input), days, advisor pages to a report, sorting, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain import usage_texts as texts
from bot.domain.usage import Kind, RoleRow, Use, account_words, ago, check_days, parse_principal, role_row, sort_rows
from bot.domain.usage_pages import (
    entities_from_advisor,
    policies_from_advisor,
    report_from_advisor,
    services_of_policy,
)
from bot.errors import InvalidInput

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ROLE = "arn:aws:iam::123456789012:role/DBAdminRole"


def page(*services: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "JobStatus": "COMPLETED",
        "JobCreationDate": NOW - timedelta(seconds=5),
        "JobCompletionDate": NOW - timedelta(seconds=1),
        "ServicesLastAccessed": list(services),
        **extra,
    }


def service(namespace: str, name: str, days: float | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"ServiceNamespace": namespace, "ServiceName": name, "TotalAuthenticatedEntities": 0}
    if days is not None:
        item.update(
            LastAuthenticated=NOW - timedelta(days=days),
            LastAuthenticatedEntity=ROLE,
            LastAuthenticatedRegion="us-east-1",
            TotalAuthenticatedEntities=1,
        )
    return {**item, **extra}


@pytest.mark.parametrize(
    ("arn", "kind", "name", "path"),
    [
        (ROLE, Kind.ROLE, "DBAdminRole", "/"),
        ("arn:aws:iam::123456789012:role/ops/team/Deployer", Kind.ROLE, "Deployer", "/ops/team/"),
        ("arn:aws:iam::123456789012:user/alice@example.com", Kind.USER, "alice@example.com", "/"),
        ("arn:aws:iam::123456789012:group/Admins", Kind.GROUP, "Admins", "/"),
        ("arn:aws-us-gov:iam::123456789012:policy/db-admin", Kind.POLICY, "db-admin", "/"),
        ("  " + ROLE + "\n", Kind.ROLE, "DBAdminRole", "/"),
    ],
)
def test_principal_arns(arn: str, kind: Kind, name: str, path: str) -> None:
    principal = parse_principal(arn)
    assert (principal.kind, principal.name, principal.path, principal.account_id) == (kind, name, path, "123456789012")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("DBAdminRole", "DBAdminRole"),
        ("arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/AdministratorAccess"),
        ("arn:aws:s3:::analytics-raw", "arn:aws:s3:::analytics-raw"),
        ("arn:aws:iam::12345678901:role/X", "arn:aws:iam::12345678901:role/X"),
        ("arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/"),
        ("arn:aws:iam::123456789012:role/a b", "arn:aws:iam::123456789012:role/a b"),
        ("arn:aws:iam::123456789012:role/Röle", "arn:aws:iam::123456789012:role/R?le"),
        ("arn:aws:iam::123456789012:role/<script>", "arn:aws:iam::123456789012:role/<script>"),
        (f"{ROLE}\n{ROLE}", f"{ROLE}?{ROLE}"[:79] + "…"),
        ("arn:aws:iam::123456789012:role/" + "R" * 65, "arn:aws:iam::123456789012:role/" + "R" * 48 + "…"),
        ("arn:aws:iam::123456789012:instance-profile/web", "arn:aws:iam::123456789012:instance-profile/web"),
    ],
)
def test_bad_arns_say_what_was_given(text: str, shown: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_principal(text)
    assert str(raised.value) == texts.BAD_ARN.format(text=shown)
    assert "\n" not in str(raised.value)


def test_huge_and_empty_input() -> None:
    with pytest.raises(InvalidInput, match=r"^'arn:aws:iam::123456789012:role/R+…' is not a role"):
        parse_principal("arn:aws:iam::123456789012:role/" + "R" * 100_000)
    with pytest.raises(InvalidInput) as raised:
        parse_principal("   ")
    assert str(raised.value) == texts.NO_ARN


def test_account_words() -> None:
    assert account_words("account sandbox") == "sandbox"
    assert account_words("  Account 123456789012 ") == "123456789012"
    assert account_words("account sandbox; drop table") is None
    assert account_words(ROLE) is None


@pytest.mark.parametrize("days", [0, -1, 401, True, "90", 1.5])
def test_days_out_of_range(days: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_days(days)
    assert str(raised.value) == (
        "The number of days must be a whole number from 1 to 400 (access advisor keeps 400 days)."
    )


def test_report_from_pages_classifies_used_stale_never() -> None:
    pages = [
        page(service("dynamodb", "Amazon DynamoDB", 3), service("s3", "Amazon S3", 120), IsTruncated=True, Marker="m"),
        page(service("rds", "Amazon RDS"), {"ServiceName": "no namespace"}, "junk"),
    ]
    report = report_from_advisor(parse_principal(ROLE), "sandbox", pages, days=90, now=NOW)
    assert [s.namespace for s in report.services] == ["dynamodb", "s3", "rds"]
    assert [report.use_of(s.last_used) for s in report.services] == [Use.USED, Use.STALE, Use.NEVER]
    assert [s.namespace for s in report.unused()] == ["s3", "rds"]
    assert report.job_completed == NOW - timedelta(seconds=1)
    assert report.last_used() == NOW - timedelta(days=3)
    row = role_row(report)
    assert (row.granted, row.unused) == (3, 2)


def test_tracked_actions_and_their_use() -> None:
    tracked = [
        {"ActionName": "DescribeVpcs", "LastAccessedTime": NOW - timedelta(days=1), "LastAccessedEntity": ROLE},
        {"ActionName": "ec2:DeleteVpc"},
        {"ActionName": "CreateVpc", "LastAccessedTime": (NOW - timedelta(days=200)).isoformat()},
        {"LastAccessedTime": NOW},
    ]
    report = report_from_advisor(
        parse_principal(ROLE),
        "sandbox",
        [page(service("ec2", "Amazon EC2", 1, TrackedActionsLastAccessed=tracked), service("logs", "Logs"))],
        days=90,
        now=NOW,
    )
    ec2 = report.service("EC2")
    assert ec2 is not None and ec2.tracked_actions is not None
    assert [a.name for a in ec2.tracked_actions] == ["CreateVpc", "DeleteVpc", "DescribeVpcs"]
    assert [a.name for _, a in report.unused_actions()] == ["CreateVpc", "DeleteVpc"]
    logs = report.service("logs")
    assert logs is not None and logs.tracked_actions is None  # not tracked by AWS: unknown, not unused


def test_policies_and_entities_pages() -> None:
    policies = policies_from_advisor(
        [
            {
                "PoliciesGrantingServiceAccess": [
                    {
                        "ServiceNamespace": "rds",
                        "Policies": [
                            {"PolicyName": "db-admin", "PolicyType": "MANAGED", "PolicyArn": "arn:aws:iam::1:policy/x"},
                            {"PolicyName": "dba", "PolicyType": "INLINE", "EntityType": "GROUP", "EntityName": "DBAs"},
                            {"PolicyName": "db-admin", "PolicyType": "MANAGED"},
                        ],
                    },
                    {"Policies": []},
                ]
            }
        ]
    )
    assert policies == {"rds": ("db-admin", "dba (via group DBAs)")}
    entities = entities_from_advisor(
        [
            {
                "EntityDetailsList": [
                    {"EntityInfo": {"Arn": "arn:aws:iam::1:user/bob", "Name": "bob", "Type": "USER", "Id": "A" * 16}},
                    {
                        "EntityInfo": {"Arn": "arn:aws:iam::1:user/al", "Name": "al", "Type": "USER", "Id": "B" * 16},
                        "LastAuthenticated": NOW,
                    },
                    {"EntityInfo": {}},
                ]
            }
        ]
    )
    found = [(e.name, e.kind, e.last_used is not None) for e in entities]
    assert found == [("al", "user", True), ("bob", "user", False)]


def test_rows_sort_most_unused_first_failures_last() -> None:
    rows = [
        RoleRow(name="a", arn="a", granted=4, unused=1, last_used=NOW),
        RoleRow(name="b", arn="b", granted=5, unused=3, last_used=NOW),
        RoleRow(name="c", arn="c", error="denied"),
        RoleRow(name="d", arn="d", granted=3, unused=3),
        RoleRow(name="e", arn="e", granted=2, unused=1, last_used=NOW - timedelta(days=30)),
    ]
    assert [r.name for r in sort_rows(rows)] == ["d", "b", "e", "a", "c"]


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (None, "never"),
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=12), "12 minutes ago"),
        (timedelta(hours=5), "5 hours ago"),
        (timedelta(days=1, hours=2), "yesterday"),
        (timedelta(days=3), "3 days ago"),
        (-timedelta(hours=1), "just now"),
    ],
)
def test_relative_dates(delta: timedelta | None, words: str) -> None:
    assert ago(None if delta is None else NOW - delta, NOW) == words


def test_services_of_an_accessbot_policy() -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "S3:GetObject"], "Resource": "*"},
            {"Effect": "Allow", "Action": "athena:StartQueryExecution", "Resource": "*"},
            {"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*"},
            {"Effect": "Allow", "Action": ["*", 7]},
        ],
    }
    assert services_of_policy(policy) == {"s3": ["GetObject", "ListBucket"], "athena": ["StartQueryExecution"]}
    assert services_of_policy({"Statement": "nonsense"}) == {}
