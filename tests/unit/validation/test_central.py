"""The account type's rules: forbidden actions, protection, instance types, regions, boundaries, decision."""

from __future__ import annotations

from typing import Any

from bot.domain.models import Severity
from bot.domain.rules import CentralRules, load_rules

from .helpers import allow, codes, only, run

BOUNDARY = {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::456789012345:policy/accessbot-boundary"}}


def _rules(**changes: Any) -> CentralRules:
    rules = load_rules()
    return CentralRules(account_types={k: v.model_copy(update=changes) for k, v in rules.account_types.items()})


def test_final_policy_has_the_central_denies() -> None:
    result = run(allow("s3:GetObject", "arn:aws:s3:::b/*"), account_type="sandbox")
    assert result.policy is not None
    sids = [s.get("Sid") for s in result.policy["Statement"]]
    assert sids[1:] == [
        "CentralDenyProtectedResources",
        "CentralDenyBoundaryChanges",
        "CentralDenyNonBurstableInstances",
    ]
    assert result.as_json()["policy"] == result.policy


def test_as_json_shape() -> None:
    data = run(allow("s3:GetObjekt", "arn:aws:s3:::b/*", Sid="Read")).as_json()
    assert set(data) == {"decision", "findings", "policy"}
    assert data["decision"] == "reject"
    assert data["findings"][0] == {
        "code": "INVALID_ACTION",
        "severity": "error",
        "message": "The action s3:GetObjekt does not exist.",
        "statement": "Read",
        "action": "s3:GetObjekt",
        "fix": "Check the action name in the IAM reference.",
        "blocking": False,
    }


def test_forbidden_action_through_a_wildcard() -> None:
    finding = only(run(allow("iam:PutRole*", "arn:aws:iam::123456789012:role/app")), "FORBIDDEN_ACTION")
    assert finding.message == "iam:PutRolePolicy is forbidden in dev accounts."


def test_protected_resource_named() -> None:
    result = run(allow("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:security-scan"))
    finding = only(result, "PROTECTED_RESOURCE")
    assert "security-scan" in finding.message
    assert result.decision.value == "reject"


def test_wildcard_over_protected_resources_is_mitigated_by_the_central_deny() -> None:
    result = run(allow("lambda:InvokeFunction", "arn:aws:lambda:*:*:function:*"))
    assert "PROTECTED_RESOURCE_EXPOSED" not in codes(result)


def test_wildcard_over_protected_resources_without_a_deny() -> None:
    result = run(allow("lambda:InvokeFunction", "arn:aws:lambda:*:*:function:*"), rules=_rules(central_deny=()))
    assert "PROTECTED_RESOURCE_EXPOSED" in codes(result)
    unrelated = run(allow("s3:GetObject", "arn:aws:s3:::b/*"), rules=_rules(central_deny=()))
    assert "PROTECTED_RESOURCE_EXPOSED" not in codes(unrelated)


def test_instance_types_in_sandbox() -> None:
    bad = {"StringEquals": {"ec2:InstanceType": ["m5.24xlarge"]}}
    finding = only(
        run(allow("ec2:RunInstances", "*", Condition=bad), account_type="sandbox"), "INSTANCE_TYPE_NOT_ALLOWED"
    )
    assert finding.message == "Instance type m5.24xlarge is not allowed in sandbox accounts (allowed: t2.*, t3.*)."
    ok = {"StringLike": {"ec2:InstanceType": ["t3.*"]}}
    assert "INSTANCE_TYPE_NOT_ALLOWED" not in codes(
        run(allow("ec2:RunInstances", "*", Condition=ok), account_type="sandbox")
    )


def test_unrestricted_instance_types_are_covered_by_the_sandbox_deny() -> None:
    result = run(allow("ec2:RunInstances", "*"), account_type="sandbox")
    assert "INSTANCE_TYPE_NOT_RESTRICTED" not in codes(result)
    no_deny = run(
        allow("ec2:RunInstances", "*"),
        account_type="sandbox",
        rules=_rules(central_deny=(), allowed_instance_types=("t3.*",)),
    )
    assert "INSTANCE_TYPE_NOT_RESTRICTED" in codes(no_deny)


def test_regions_in_prod() -> None:
    cond = {"StringEquals": {"aws:RequestedRegion": ["ap-south-1"]}}
    result = run(allow("s3:GetObject", "arn:aws:s3:::b/*", Condition=cond), account_type="prod")
    assert only(result, "REGION_NOT_ALLOWED").message.startswith("Region ap-south-1 is not allowed in prod")
    arn = run(
        allow("lambda:InvokeFunction", "arn:aws:lambda:ap-south-1:456789012345:function:app"), account_type="prod"
    )
    assert "REGION_NOT_ALLOWED" in codes(arn)
    assert "REGION_NOT_RESTRICTED" not in codes(arn)  # the prod central deny restricts regions


def test_region_restriction_missing_without_a_deny() -> None:
    rules = _rules(central_deny=(), allowed_regions=("eu-west-1",))
    assert only(run(allow("s3:GetObject", "arn:aws:s3:::b/*"), rules=rules), "REGION_NOT_RESTRICTED").severity == (
        Severity.WARNING
    )


def test_create_role_needs_the_prod_boundary() -> None:
    result = run(allow("iam:CreateRole", "arn:aws:iam::456789012345:role/app-*"), account_type="prod")
    finding = only(result, "PERMISSIONS_BOUNDARY_REQUIRED")
    assert "arn:aws:iam::${AccountId}:policy/accessbot-boundary" in finding.message
    assert result.decision.value == "reject"
    good = run(allow("iam:CreateRole", "arn:aws:iam::456789012345:role/app-*", Condition=BOUNDARY), account_type="prod")
    assert "PERMISSIONS_BOUNDARY_REQUIRED" not in codes(good)
    wrong = {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::456789012345:policy/other"}}
    assert "PERMISSIONS_BOUNDARY_REQUIRED" in codes(
        run(allow("iam:CreateUser", "*", Condition=wrong), account_type="prod")
    )


def test_without_a_configured_boundary_any_boundary_condition_will_do() -> None:
    assert "PERMISSIONS_BOUNDARY_REQUIRED" in codes(run(allow("iam:CreateUser", "*")))
    any_boundary = {"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::*:policy/team-boundary"}}
    assert "PERMISSIONS_BOUNDARY_REQUIRED" not in codes(run(allow("iam:CreateUser", "*", Condition=any_boundary)))


def test_boundary_deletion_is_forbidden() -> None:
    result = run(allow("iam:DeleteRolePermissionsBoundary", "arn:aws:iam::123456789012:role/app"))
    assert only(result, "PERMISSIONS_BOUNDARY_CHANGE").blocking
    assert "FORBIDDEN_ACTION" not in codes(result)


def test_block_severities_decide() -> None:
    doc = allow("ec2:GetPasswordData", "*")
    assert run(doc).decision.value == "reject"
    lenient = _rules(block_severities=(Severity.ERROR,))
    result = run(doc, rules=lenient)
    assert result.allowed
    assert "CREDENTIALS_EXPOSURE" in codes(result)  # still shown


def test_a_requester_cannot_reuse_a_central_deny_sid() -> None:
    result = run(allow("s3:GetObject", "arn:aws:s3:::b/*", Sid="CentralDenyProtectedResources"))
    assert only(result, "RESERVED_SID").blocking
    assert result.policy is not None
    assert sum(s.get("Sid") == "CentralDenyProtectedResources" for s in result.policy["Statement"]) == 2


def test_validating_a_final_policy_again_changes_nothing() -> None:
    first = run(allow("s3:GetObject", "arn:aws:s3:::b/*"), account_type="sandbox")
    assert first.policy is not None
    again = run(*first.policy["Statement"], account_type="sandbox")
    assert again.policy == first.policy
    assert "RESERVED_SID" not in codes(again)
