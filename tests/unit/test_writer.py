"""The least-privilege writer: curated actions, ARNs, conditions, Sids, quota and every bad-input message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import catalog
from bot.domain.models import AccessLevel, AccessRequest
from bot.domain.service_rules import RULES
from bot.domain.summary import summarize
from bot.domain.writer import MANAGED_POLICY_LIMIT, policy_size, write_policy, write_policy_with_notes
from bot.errors import InvalidInput

ACCOUNT = "123456789012"


def _request(*grants: dict[str, Any], **extra: Any) -> AccessRequest:
    return AccessRequest.model_validate({"account": "sandbox", "grants": list(grants), **extra})


def _actions(document: dict[str, Any]) -> set[str]:
    return {a for s in document["Statement"] for a in s["Action"]}


def test_s3_read_on_a_bucket_exactly() -> None:
    document = write_policy(_request({"service": "s3", "access_levels": ["Read"], "resources": ["analytics-raw"]}))
    assert document == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ReadAnalyticsRawObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": ["arn:aws:s3:::analytics-raw/*"],
            },
            {
                "Sid": "S3ListAnalyticsRawBucket",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": ["arn:aws:s3:::analytics-raw"],
            },
        ],
    }
    assert summarize(document) == ["Read objects in bucket analytics-raw", "List bucket analytics-raw"]


def test_s3_bucket_arn_means_its_objects_and_write_is_neither_configuration_nor_delete() -> None:
    document = write_policy(
        _request({"service": "s3", "access_levels": ["Write"], "resources": ["arn:aws:s3:::analytics-raw"]})
    )
    # Writing is uploading: deleting objects is asked for by name ("delete objects in X").
    assert _actions(document) == {"s3:AbortMultipartUpload", "s3:PutObject"}
    assert document["Statement"][0]["Resource"] == ["arn:aws:s3:::analytics-raw/*"]


def test_dynamodb_write_without_table_lifecycle() -> None:
    document = write_policy(
        _request({"service": "dynamodb", "access_levels": ["Write"], "resources": ["orders"]}), account_id=ACCOUNT
    )
    actions = _actions(document)
    assert actions == {"dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}  # delete is asked for
    assert not actions & {"dynamodb:DeleteTable", "dynamodb:CreateTable", "dynamodb:UpdateTable"}
    assert document["Statement"][0]["Sid"] == "DynamodbWriteOrdersTable"
    assert document["Statement"][0]["Resource"] == [f"arn:aws:dynamodb:*:{ACCOUNT}:table/orders"]


def test_glue_table_gets_catalog_database_and_table_together() -> None:
    request = _request(
        {"service": "glue", "access_levels": ["Read"], "resources": ["sales/orders"]}, regions=["us-east-1"]
    )
    statement = write_policy(request, account_id=ACCOUNT)["Statement"][0]
    assert "glue:GetTable" in statement["Action"]
    assert statement["Resource"] == [
        f"arn:aws:glue:us-east-1:{ACCOUNT}:catalog",
        f"arn:aws:glue:us-east-1:{ACCOUNT}:database/sales",
        f"arn:aws:glue:us-east-1:{ACCOUNT}:table/sales/orders",
    ]


def test_ec2_tag_scoped_start_stop_with_describe_apart() -> None:
    request = _request({"service": "ec2", "access_levels": ["Write"]}, tags=[{"key": "CostCenter"}])
    document = write_policy(request)
    start_stop, describe = document["Statement"]
    assert start_stop == {
        "Sid": "Ec2StartStopTaggedInstances",
        "Effect": "Allow",
        "Action": ["ec2:StartInstances", "ec2:StopInstances"],
        "Resource": "*",
        "Condition": {"StringEquals": {"ec2:ResourceTag/CostCenter": "${aws:PrincipalTag/CostCenter}"}},
    }
    assert describe == {
        "Sid": "Ec2DescribeInstances",
        "Effect": "Allow",
        "Action": ["ec2:DescribeInstances"],
        "Resource": "*",
    }
    assert summarize(document)[0] == "Start/stop EC2 instances tagged CostCenter = your CostCenter tag"


def test_tag_with_a_value_and_aws_resource_tag() -> None:
    request = _request(
        {"service": "sqs", "access_levels": ["Write"], "resources": ["jobs"]}, tags=[{"key": "team", "value": "data"}]
    )
    condition = write_policy(request)["Statement"][0]["Condition"]
    assert condition == {"StringEquals": {"aws:ResourceTag/team": "data"}}


def test_regions_and_expiry_on_every_statement() -> None:
    request = _request(
        {"service": "s3", "access_levels": ["Read"], "resources": ["analytics-raw"]},
        regions=["eu-west-1", "eu-central-1"],
    )
    document = write_policy(request, expires_at=datetime(2026, 11, 28, 18, 0, tzinfo=UTC))
    for statement in document["Statement"]:
        assert statement["Condition"] == {
            "DateLessThan": {"aws:CurrentTime": "2026-11-28T18:00:00Z"},
            "StringEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]},
        }
    assert summarize(document)[-2:] == ["until 2026-11-28 18:00 UTC", "only in eu-central-1, eu-west-1"]


def test_one_region_goes_into_the_arn() -> None:
    request = _request(
        {"service": "lambda", "access_levels": ["Write"], "resources": ["resize"]}, regions=["eu-west-1"]
    )
    statement = write_policy(request, account_id=ACCOUNT)["Statement"][0]
    assert statement["Action"] == ["lambda:InvokeFunction"]
    assert statement["Resource"] == [f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:resize"]


def test_secret_arn_matches_the_random_suffix_only() -> None:
    statement = write_policy(
        _request({"service": "secretsmanager", "access_levels": ["Read"], "resources": ["prod/db"]})
    )["Statement"][0]
    assert statement["Action"] == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    assert statement["Resource"] == ["arn:aws:secretsmanager:*:*:secret:prod/db-??????"]


def test_explicit_actions_are_used_as_given() -> None:
    request = _request({"service": "ec2", "actions": ["StartInstances", "ec2:stopinstances"], "resources": ["i-0abc"]})
    statement = write_policy(request, account_id=ACCOUNT)["Statement"][0]
    assert statement["Action"] == ["ec2:StartInstances", "ec2:StopInstances"]
    assert statement["Resource"] == [f"arn:aws:ec2:*:{ACCOUNT}:instance/i-0abc"]


def test_permissions_management_only_when_asked_and_flagged() -> None:
    plain = write_policy_with_notes(
        _request({"service": "iam", "access_levels": ["Write"], "resource_type": "role", "resources": ["app"]})
    )
    assert not any(
        AccessLevel.PERMISSIONS_MANAGEMENT in a.access_levels
        for name in _actions(plain.document)
        if (a := catalog.get_action(name)) is not None
    )
    assert plain.notes == ()
    asked = write_policy_with_notes(
        _request(
            {
                "service": "iam",
                "access_levels": ["Permissions management"],
                "resource_type": "role",
                "resources": ["app"],
            }
        )
    )
    assert "iam:PutRolePolicy" in _actions(asked.document)
    assert [n.code for n in asked.notes] == ["PERMISSIONS_MANAGEMENT_REQUESTED"]


def test_same_input_same_json() -> None:
    request = _request(
        {"service": "dynamodb", "access_levels": ["Read", "Write"], "resources": ["orders", "carts"]},
        {"service": "s3", "access_levels": ["Read", "Write"], "resources": ["b2", "b1"]},
        tags=[{"key": "team"}],
    )
    first = json.dumps(write_policy(request), sort_keys=False)
    assert first == json.dumps(write_policy(request), sort_keys=False)
    sids = [s["Sid"] for s in json.loads(first)["Statement"]]
    assert len(sids) == len(set(sids)) and all(sid.isalnum() for sid in sids)


def test_curated_actions_exist_on_their_resource_types() -> None:
    for (service, _), levels in RULES.items():
        for groups in levels.values():
            for group in groups:
                for name in group.actions:
                    action = catalog.get_action(f"{service}:{name}")
                    assert action is not None, f"{service}:{name}"
                    if group.on:
                        assert set(group.on) <= {n.lower() for n in action.resource_type_names}, action.full_name
                    else:
                        assert action.needs_star, action.full_name


def test_quota_is_refused_with_a_clear_message() -> None:
    names = [f"bucket-with-a-rather-long-name-{i:03d}" for i in range(100)]
    with pytest.raises(InvalidInput, match=r"over IAM's 6,144 limit for a managed policy: ask for fewer"):
        write_policy(_request({"service": "s3", "access_levels": ["Read"], "resources": names}))
    fits = write_policy(_request({"service": "s3", "access_levels": ["Read"], "resources": names[:10]}))
    assert policy_size(fits) < MANAGED_POLICY_LIMIT


def test_policy_size_ignores_whitespace() -> None:
    assert policy_size({"a": "b c"}) == len('{"a":"bc"}')
    assert MANAGED_POLICY_LIMIT == 6144


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        (
            {"service": "dynamodbb", "access_levels": ["Read"], "resources": ["x"]},
            "'dynamodbb' is not an AWS service prefix. Did you mean dynamodb?",
        ),
        (
            {"service": "s3", "actions": ["GetObjekt"], "resources": ["b"]},
            "s3 has no action 'GetObjekt'. Did you mean GetObject?",
        ),
        (
            {"service": "s3", "actions": ["s3:Get*"], "resources": ["b"]},
            "'s3:Get*' is a wildcard: name the s3 actions one by one.",
        ),
        (
            {"service": "s3", "actions": ["ec2:StartInstances"]},
            "'ec2:StartInstances' is not a s3 action: move it to a ec2 grant.",
        ),
        (
            {"service": "s3", "access_levels": ["Read"], "resource_type": "objet", "resources": ["b"]},
            "s3 has no resource type 'objet'. Did you mean object?",
        ),
        ({"service": "s3", "access_levels": ["Read"], "resources": ["*"]}, "'*' would be every s3 resource"),
        ({"service": "s3", "access_levels": ["Read"], "resources": ['b"; drop']}, "is not a s3 resource name"),
        ({"service": "s3", "access_levels": ["Read"], "resources": ["arn:aws:ec2:::x"]}, "is an ARN of ec2, not s3"),
        (
            {"service": "dynamodb", "access_levels": ["Read"], "resources": ["arn:aws:dynamodb:eu-west-1:1:nothing/x"]},
            "matches no dynamodb resource type",
        ),
        (
            {"service": "s3", "access_levels": ["Read"]},
            "Name the s3 resources to read (names or ARNs), or scope the request by tags",
        ),
        ({"service": "s3", "actions": ["GetObject"]}, "s3:GetObject needs a resource: name the"),
        (
            {"service": "ec2", "actions": ["StartInstances"], "resource_type": "volume", "resources": ["vol-1"]},
            "ec2:StartInstances cannot act on vol-1",
        ),
        (
            {"service": "athena", "access_levels": ["Read"], "resources": ["primary"]},
            "Say which kind of athena resource 'primary' is",
        ),
    ],
)
def test_bad_input_messages(grant: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        write_policy(_request(grant))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_bad_account_and_partition() -> None:
    request = _request({"service": "s3", "access_levels": ["Read"], "resources": ["b"]})
    with pytest.raises(InvalidInput, match="not a 12-digit AWS account id"):
        write_policy(request, account_id="12")
    with pytest.raises(InvalidInput, match="not an AWS partition"):
        write_policy(request, partition="x")


def test_tags_nothing_can_be_limited_by() -> None:
    request = _request({"service": "ec2", "actions": ["DescribeRegions"]}, tags=[{"key": "team"}])
    assert write_policy(request)["Statement"][0]["Resource"] == "*"  # star-only actions take no tag condition


_SERVICES = sorted({service for service, _ in RULES})


@settings(max_examples=60, deadline=None)
@given(
    service=st.sampled_from(_SERVICES),
    levels=st.sets(st.sampled_from([AccessLevel.READ, AccessLevel.WRITE, AccessLevel.LIST]), min_size=1),
    names=st.lists(st.from_regex(r"[a-z][a-z0-9-]{2,20}", fullmatch=True), min_size=1, max_size=3),
    tagged=st.booleans(),
)
def test_never_a_service_wide_wildcard(service: str, levels: set[AccessLevel], names: list[str], tagged: bool) -> None:
    request = _request(
        {"service": service, "access_levels": sorted(levels), "resources": names},
        tags=[{"key": "team"}] if tagged else [],
    )
    try:
        document = write_policy(request)
    except InvalidInput:
        return
    for statement in document["Statement"]:
        for action in statement["Action"]:
            assert "*" not in action and catalog.get_action(action) is not None
            if statement["Resource"] == "*" and "Condition" not in statement:
                found = catalog.get_action(action)
                assert found is not None and found.needs_star
