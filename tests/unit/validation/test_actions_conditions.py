"""Actions, services, resources and conditions against the IAM catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import allow, codes, only, run

S3 = "arn:aws:s3:::bucket/*"


def test_unknown_service() -> None:
    finding = only(run(allow("s4:GetObject", S3)), "INVALID_SERVICE_IN_ACTION")
    assert finding.message == 'The service "s4" in the action "s4:GetObject" does not exist.'


def test_unknown_action_and_wildcard_matching_nothing() -> None:
    result = run(allow(["s3:GetObjekt", "s3:Frobnicate*"], S3))
    assert codes(result) == ["INVALID_ACTION", "INVALID_ACTION"]
    assert result.decision.value == "reject"


def test_actions_are_case_insensitive() -> None:
    assert run(allow("S3:getobject", S3)).findings == ()


def test_not_an_action() -> None:
    assert "INVALID_ACTION_FORMAT" in codes(run(allow("GetObject", S3)))


def test_retired_service_is_a_warning() -> None:
    finding = only(run(allow("deeplens:ListDevices", "*")), "RETIRED_SERVICE")
    assert finding.severity == "warning"


@pytest.mark.parametrize(
    ("resource", "code"),
    [
        ("bucket/*", "INVALID_ARN"),
        ("arn:aws:s3", "INVALID_ARN"),
        ("arn:aws-mars:s3:::bucket/*", "INVALID_PARTITION"),
        ("arn:aws-cn:s3:::bucket/*", "OTHER_PARTITION"),
        ("arn:aws:nosuchservice:us-east-1:123456789012:thing/x", "INVALID_SERVICE"),
    ],
)
def test_bad_resources(resource: str, code: str) -> None:
    assert code in codes(run(allow("s3:GetObject", resource)))


def test_arn_namespaces_that_are_no_iam_prefix_are_real_services() -> None:
    # Service Catalog's actions are servicecatalog:*, its ARNs arn:aws:catalog:... (AmazonLaunchWizardFullAccessV2).
    result = run(allow("servicecatalog:DescribePortfolio", "arn:aws:catalog:us-east-1:123456789012:portfolio/port-1"))
    assert "INVALID_SERVICE" not in codes(result)


def test_an_arn_of_a_retired_service_is_invalid_as_access_analyzer_says() -> None:
    arn = "arn:aws:elastic-inference:*:*:elastic-inference-accelerator/*"
    finding = only(run(allow("ec2:DescribeInstances", arn)), "INVALID_SERVICE")
    assert finding.message == f'The service "elastic-inference" in "{arn}" does not exist.'


def test_other_partition_is_a_warning_not_a_rejection() -> None:
    assert run(allow("s3:GetObject", "arn:aws-cn:s3:::bucket/*")).allowed


def test_bucket_arn_for_an_object_action_grants_nothing() -> None:
    finding = only(run(allow("s3:GetObject", "arn:aws:s3:::bucket")), "RESOURCE_MATCHES_NO_ACTION")
    assert finding.severity == "warning"


def test_resource_check_stays_quiet_with_star_actions_or_variables() -> None:
    assert "RESOURCE_MATCHES_NO_ACTION" not in codes(
        run(allow(["s3:GetObject", "sts:GetCallerIdentity"], "arn:aws:s3:::bucket"))
    )
    assert "RESOURCE_MATCHES_NO_ACTION" not in codes(run(allow("iam:GetUser", "arn:aws:iam::*:user/${aws:username}")))


def test_aws_owned_ssm_documents_have_no_account() -> None:
    # arn:aws:ssm:REGION::document/AWS-RunShellScript is how AWS's own documents are named (and its managed policies)
    owned = run(allow("ssm:SendCommand", "arn:aws:ssm:*::document/AWS-RunShellScript"))
    assert "RESOURCE_MATCHES_NO_ACTION" not in codes(owned)
    elsewhere = run(allow("sqs:SendMessage", "arn:aws:sqs:us-east-1::queue"))
    assert "RESOURCE_MATCHES_NO_ACTION" in codes(elsewhere)  # an empty account still names nothing elsewhere


def test_redundant_action_and_resource() -> None:
    result = run(allow(["s3:GetObject", "s3:Get*"], ["arn:aws:s3:::b-*", "arn:aws:s3:::b-*/*"]))
    assert only(result, "REDUNDANT_ACTION").action == "s3:GetObject"
    assert "b-*/*" in only(result, "REDUNDANT_RESOURCE").message


def _cond(condition: dict[str, Any]) -> list[str]:
    return codes(run(allow("s3:GetObject", S3, Condition=condition)))


def test_known_conditions_pass() -> None:
    assert (
        _cond(
            {
                "StringEquals": {"aws:RequestedRegion": ["eu-west-1"], "aws:PrincipalTag/Team": "data"},
                "Bool": {"aws:SecureTransport": "true"},
                "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                "DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"},
                "NumericLessThan": {"s3:max-keys": "10"},
                "ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]},
                "StringLikeIfExists": {"s3:prefix": "home/*"},
                "Null": {"aws:ResourceTag/Team": "false"},
            }
        )
        == []
    )


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"StringEqualz": {"aws:RequestedRegion": "eu-west-1"}}, "INVALID_CONDITION_OPERATOR"),
        ({"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}, "INVALID_CONDITION_OPERATOR"),
        ({"StringEquals": {"aws:RequestedRegions": "eu-west-1"}}, "INVALID_GLOBAL_CONDITION_KEY"),
        ({"StringEquals": {"s3:NoSuchKey": "x"}}, "INVALID_SERVICE_CONDITION_KEY"),
        ({"StringEquals": {"RequestedRegion": "x"}}, "INVALID_CONDITION_KEY_FORMAT"),
        ({"Bool": {"aws:SecureTransport": "yes"}}, "INVALID_CONDITION_VALUE"),
        ({"NumericLessThan": {"s3:max-keys": "ten"}}, "INVALID_CONDITION_VALUE"),
        ({"DateLessThan": {"aws:CurrentTime": "next week"}}, "INVALID_CONDITION_VALUE"),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}}, "INVALID_CONDITION_VALUE"),
        ({"ArnLike": {"aws:SourceArn": "bucket"}}, "INVALID_CONDITION_VALUE"),
        ({"NullIfExists": {"aws:ResourceTag/Team": "true"}}, "NULL_WITH_IF_EXISTS"),
        ({"StringEquals": {"aws:SecureTransport": "true"}}, "TYPE_MISMATCH"),
        ({"StringLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"),
        ({"StringEquals": {"aws:TagKeys": "a"}}, "MISSING_QUALIFIER"),
        ({"ForAllValues:StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, "FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY"),
        ({"StringLike": {"aws:ResourceTag/Team": "*"}}, "EQUIVALENT_TO_NULL_FALSE"),
    ],
)
def test_condition_findings(condition: dict[str, Any], code: str) -> None:
    assert code in _cond(condition)


def test_policy_variables_skip_value_types() -> None:
    assert _cond({"ArnEquals": {"aws:SourceArn": "${aws:PrincipalArn}"}}) == []


TAGGED = {"StringEquals": {"aws:ResourceTag/Team": "${aws:PrincipalTag/Team}"}}


def test_a_tag_condition_on_actions_that_carry_no_tags_is_pointed_out() -> None:
    # As on AWSObservabilityAdminTelemetryEnablementServiceRolePolicy: logs:DescribeLogGroups has no tag key.
    result = run(allow(["logs:PutRetentionPolicy", "logs:DescribeLogGroups"], "*", Condition=TAGGED))
    finding = only(result, "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE")
    assert finding.severity == "suggestion"
    assert finding.message == (
        "The condition on aws:ResourceTag/Team never matches logs:DescribeLogGroups: their requests carry no tag "
        "keys, so this statement does not grant them."
    )
    assert result.allowed


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEqualsIfExists": {"aws:ResourceTag/Team": "data"}},  # passes when the key is absent
        {"Null": {"aws:ResourceTag/Team": "false"}},
        {"StringEquals": {"aws:PrincipalTag/Team": "data"}},  # not a resource tag
    ],
)
def test_tag_conditions_that_do_not_exclude_untagged_requests_are_not_flagged(condition: dict[str, Any]) -> None:
    result = run(allow(["logs:PutRetentionPolicy", "logs:DescribeLogGroups"], "*", Condition=condition))
    assert "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" not in codes(result)


def test_actions_that_carry_tags_under_a_tag_condition_are_fine() -> None:
    result = run(allow(["logs:PutRetentionPolicy", "logs:CreateLogGroup"], "*", Condition=TAGGED))
    assert "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE" not in codes(result)
