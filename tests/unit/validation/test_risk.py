"""Risky grants: the seed's rule, NotAction/NotResource, PassRole, escalation, credentials, exfiltration."""

from __future__ import annotations

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
    finding = only(run(allow("ecr:GetAuthorizationToken", "*")), "CREDENTIALS_EXPOSURE")
    assert "ecr:GetAuthorizationToken" in finding.message
    assert "CREDENTIALS_EXPOSURE" not in codes(run(allow("sts:AssumeRole", ROLE)))


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
