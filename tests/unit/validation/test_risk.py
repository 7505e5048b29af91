"""Risky grants: the seed's rule, NotAction/NotResource, PassRole, escalation, credentials, exfiltration."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.validation import SEED_REJECTION
from bot.domain.validation.escalation import METHODS, Method

from .helpers import allow, codes, only, run

ROLE = "arn:aws:iam::123456789012:role/app-role"


def test_the_seed_rule_uses_the_seed_message() -> None:
    result = run(allow("*", "*"))
    finding = only(result, "STAR_ACTION_ON_STAR_RESOURCE")
    assert (
        finding.message == "Policy creation request rejected: * permissions not allowed in both actions and resources"
    )
    assert finding.message == SEED_REJECTION
    assert finding.severity == "error"
    assert finding.blocking
    assert result.decision.value == "reject"


def test_deny_star_on_star_is_fine() -> None:
    assert "STAR_ACTION_ON_STAR_RESOURCE" not in codes(run({"Effect": "Deny", "Action": "*", "Resource": "*"}))


def test_star_on_a_named_resource_is_not_the_seed_rule() -> None:
    assert "STAR_ACTION_ON_STAR_RESOURCE" not in codes(run(allow("*", "arn:aws:s3:::bucket/*")))


def test_allow_not_action_and_not_resource() -> None:
    result = run({"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"})
    assert {"ALLOW_WITH_NOT_ACTION", "ALLOW_WITH_NOT_RESOURCE"} <= set(codes(result))
    assert result.decision.value == "reject"


def test_pass_role_on_star() -> None:
    finding = only(run(allow("iam:PassRole", "*")), "PASS_ROLE_WITH_STAR_IN_RESOURCE")
    assert finding.severity == "security_warning"


def test_pass_role_limited_to_a_service_is_not_flagged() -> None:
    condition = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert "PASS_ROLE_WITH_STAR_IN_RESOURCE" not in codes(run(allow("iam:PassRole", "*", Condition=condition)))
    if_exists = {"StringEqualsIfExists": {"iam:PassedToService": "lambda.amazonaws.com"}}
    assert "PASS_ROLE_WITH_STAR_IN_RESOURCE" in codes(run(allow("iam:PassRole", "*", Condition=if_exists)))


def test_iam_star_on_star_passes_every_role() -> None:
    assert "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE" in codes(run(allow("iam:*", "*")))


def test_create_service_linked_role_on_star() -> None:
    finding = only(run(allow("iam:CreateServiceLinkedRole", "*")), "CREATE_SLR_WITH_STAR_IN_RESOURCE")
    assert finding.severity == "warning"
    assert finding.message == (
        "iam:CreateServiceLinkedRole on * lets the holder create the service-linked role of any service."
    )
    assert finding.fix is not None and "iam:AWSServiceName" in finding.fix


@pytest.mark.parametrize(
    ("condition", "flagged"),
    [
        ({"StringEquals": {"iam:AWSServiceName": "autoscaling.amazonaws.com"}}, False),
        ({"StringLike": {"iam:AWSServiceName": ["cloud9.amazonaws.com"]}}, False),
        ({"StringLike": {"iam:AWSServiceName": "*a4b.amazonaws.com"}}, True),  # as AlexaForBusinessFullAccess
        ({"StringEqualsIfExists": {"iam:AWSServiceName": "ecs.amazonaws.com"}}, True),
        ({"Bool": {"aws:SecureTransport": "true"}}, True),
    ],
)
def test_create_service_linked_role_limited_by_service_name(condition: dict[str, Any], flagged: bool) -> None:
    found = codes(run(allow("iam:CreateServiceLinkedRole", "*", Condition=condition)))
    assert ("CREATE_SLR_WITH_STAR_IN_RESOURCE" in found) is flagged


def test_create_service_linked_role_through_a_wildcard_action() -> None:
    finding = only(run(allow(["s3:GetObject", "iam:Create*"], "*")), "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE")
    assert finding.message == "iam:Create* on * includes iam:CreateServiceLinkedRole for every service."
    named = "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    assert not {"CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE"} & set(
        codes(run(allow("iam:CreateServiceLinkedRole", named)))
    )


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_every_escalation_method_is_found(method: Method) -> None:
    result = run(allow(list(method.actions), "*"))
    names = [f.message for f in result.findings if f.code == "PRIVILEGE_ESCALATION"]
    assert any(f"({method.name})" in m for m in names), names
    assert result.decision.value == "reject"


def test_escalation_across_statements_and_wildcards() -> None:
    result = run(allow("iam:Pass*", "*", Sid="Pass"), allow("ec2:Run*", "*", Sid="Run"))
    assert any("CreateEC2WithExistingInstanceProfile" in f.message for f in result.findings)


def test_passing_one_named_role_is_not_escalation() -> None:
    result = run(allow("iam:PassRole", ROLE), allow("ec2:RunInstances", "*"))
    assert "PRIVILEGE_ESCALATION" not in codes(result)


def test_an_unconditional_deny_removes_the_grant() -> None:
    result = run(allow("iam:CreateAccessKey", "*"), {"Effect": "Deny", "Action": "iam:*AccessKey", "Resource": "*"})
    assert "PRIVILEGE_ESCALATION" not in codes(result)


def test_escalation_checks_can_be_switched_off() -> None:
    from bot.domain.rules import CentralRules, load_rules

    rules = load_rules()
    off = CentralRules(
        account_types={
            k: v.model_copy(update={"privilege_escalation_checks": False}) for k, v in rules.account_types.items()
        }
    )
    assert "PRIVILEGE_ESCALATION" not in codes(run(allow("lambda:UpdateFunctionCode", "*"), rules=off))


def test_credentials_exposure() -> None:
    finding = only(run(allow("ec2:GetPasswordData", "*")), "CREDENTIALS_EXPOSURE")
    assert "ec2:GetPasswordData" in finding.message
    assert "CREDENTIALS_EXPOSURE" not in codes(run(allow("sts:AssumeRole", ROLE)))


@pytest.mark.parametrize("action", ["ecr:GetAuthorizationToken", "ecr-public:GetAuthorizationToken"])
def test_registry_logins_are_not_credential_exposure(action: str) -> None:
    # Only grantable on "*", and the token carries just the caller's own ECR permissions.
    result = run(allow(action, "*"))
    assert "CREDENTIALS_EXPOSURE" not in codes(result)
    assert result.decision.value == "allow"


@pytest.mark.parametrize(
    "action", ["s3:GetObject", "ssm:GetParameters", "secretsmanager:GetSecretValue", "kms:Decrypt"]
)
def test_data_exfiltration_on_everything(action: str) -> None:
    assert "DATA_EXFILTRATION" in codes(run(allow(action, "*")))


def test_data_reads_on_named_or_wildcard_resources() -> None:
    assert "DATA_EXFILTRATION" not in codes(run(allow("s3:GetObject", "arn:aws:s3:::bucket/*")))
    assert "DATA_EXFILTRATION" in codes(run(allow("s3:GetObject", "arn:aws:s3:::*/*")))
    assert "DATA_EXFILTRATION" in codes(
        run(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:*"))
    )
    assert "DATA_EXFILTRATION" not in codes(
        run(allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:app-*"))
    )


def test_service_wildcards() -> None:
    assert only(run(allow("s3:*", "*")), "SERVICE_WILDCARD").severity == "security_warning"
    scoped = only(run(allow("s3:*", "arn:aws:s3:::bucket/*")), "SERVICE_WILDCARD_SCOPED")
    assert scoped.severity == "warning"


def test_permissions_management() -> None:
    wide = only(run(allow("s3:PutBucketPolicy", "*")), "PERMISSIONS_MANAGEMENT_WITHOUT_CONSTRAINT")
    assert "s3:PutBucketPolicy" in wide.message
    named = run(allow("s3:PutBucketPolicy", "arn:aws:s3:::bucket"))
    assert only(named, "PERMISSIONS_MANAGEMENT_ACTIONS").severity == "warning"
    assert named.allowed


def test_the_listed_actions_are_in_the_same_order_in_every_process() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from bot.domain.validation import validate\n"
        "p = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Resource': '*', 'Action': "
        "['lightsail:GetInstanceAccessDetails', 'ec2:GetPasswordData', 'redshift:GetClusterCredentials', "
        "'s3:GetObject']}]}\n"
        "print([f.message for f in validate(p).findings if f.code in ('CREDENTIALS_EXPOSURE', 'DATA_EXFILTRATION')])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(seen) == 1
    assert "ec2:GetPasswordData, lightsail:GetInstanceAccessDetails, redshift:GetClusterCredentials" in seen.pop()
