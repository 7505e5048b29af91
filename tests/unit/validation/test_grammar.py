"""The policy grammar: elements, types, Sids, versions, size."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.validation import validate

from .helpers import allow, codes, only, policy, run

S3 = "arn:aws:s3:::bucket/*"


def test_a_clean_policy_has_no_findings() -> None:
    result = run(allow("s3:GetObject", S3, Sid="S3ReadBucket"))
    assert result.findings == ()
    assert result.allowed


def test_a_missing_version_is_added_to_the_final_policy() -> None:
    doc = policy(allow("s3:GetObject", S3), version=None)
    result = validate(doc, account_type="dev")
    finding = only(result, "MISSING_VERSION")
    assert finding.severity == "suggestion"
    assert finding.message == (
        'The policy has no "Version" (IAM would read it as 2008-10-17): added "Version": "2012-10-17".'
    )
    assert finding.fix == 'Add "Version": "2012-10-17" to your copy of the policy too.'
    assert result.allowed
    assert result.policy is not None
    assert list(result.policy)[:2] == ["Version", "Statement"]
    assert result.policy["Version"] == "2012-10-17"
    assert "Version" not in doc  # the caller's document is left as it was


def test_the_old_version_is_changed_in_the_final_policy() -> None:
    result = validate(policy(allow("s3:GetObject", S3), version="2008-10-17"), account_type="dev")
    finding = only(result, "OLD_VERSION")
    assert (finding.severity, finding.message) == (
        "suggestion",
        'The policy has "Version": "2008-10-17", which reads policy variables as plain text: '
        'changed to "Version": "2012-10-17".',
    )
    assert result.allowed
    assert result.policy is not None and result.policy["Version"] == "2012-10-17"


def test_old_version_with_variables() -> None:
    doc = policy(allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17")
    result = validate(doc, account_type="dev")
    finding = only(result, "VARIABLES_NEED_VERSION_2012")
    assert "${aws:username}" in finding.message
    assert not result.allowed  # the variables meant plain text as written: the requester decides again


def test_a_final_policy_validates_again_without_version_findings() -> None:
    first = validate(policy(allow("s3:GetObject", S3), version=None), account_type="dev")
    assert first.policy is not None
    again = validate(first.policy, account_type="dev")
    assert codes(again) == []
    assert again.policy == first.policy


def test_invalid_version() -> None:
    result = validate(policy(allow("s3:GetObject", S3), version="2020-01-01"))
    assert codes(result) == ["INVALID_VERSION"]
    assert not result.allowed
    assert result.policy is not None and result.policy["Version"] == "2012-10-17"


def test_statement_as_one_object() -> None:
    assert validate({"Version": "2012-10-17", "Statement": allow("s3:GetObject", S3)}, account_type="dev").allowed


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ({"Action": "s3:GetObject", "Resource": S3}, "MISSING_EFFECT"),
        ({"Effect": "allow", "Action": "s3:GetObject", "Resource": S3}, "INVALID_EFFECT"),
        ({"Effect": "Allow", "Resource": S3}, "MISSING_ACTION"),
        ({"Effect": "Allow", "Action": "s3:GetObject"}, "MISSING_RESOURCE"),
        (
            {"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:Put*", "Resource": S3},
            "UNSUPPORTED_ELEMENT_COMBINATION",
        ),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": S3, "Principal": "*"}, "UNSUPPORTED_PRINCIPAL"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": S3, "Actions": "x"}, "INVALID_POLICY_ELEMENT"),
        ({"Effect": "Allow", "Action": {"s3": "GetObject"}, "Resource": S3}, "DATA_TYPE_MISMATCH"),
        ({"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": S3}, "DATA_TYPE_MISMATCH"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": S3, "Sid": "has space"}, "UNSUPPORTED_SID"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": S3, "Sid": 5}, "DATA_TYPE_MISMATCH"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": S3, "Condition": ["x"]}, "INVALID_CONDITION_BLOCK"),
    ],
)
def test_statement_errors_reject(statement: dict[str, Any], code: str) -> None:
    result = validate(policy(statement), account_type="dev")
    assert code in codes(result)
    assert result.decision.value == "reject"


def test_a_list_where_an_object_belongs() -> None:
    result = validate({"Version": "2012-10-17", "Statement": [["Effect", "Allow"]]})
    finding = only(result, "DATA_TYPE_MISMATCH")
    assert finding.message == "Each statement must be an object, not a list."
    assert finding.statement == 0


def test_statement_of_the_wrong_type_gives_no_final_policy() -> None:
    result = validate({"Version": "2012-10-17", "Statement": "Allow everything"})
    assert "DATA_TYPE_MISMATCH" in codes(result)
    assert result.policy is None


def test_unknown_top_level_key() -> None:
    finding = only(validate({"Version": "2012-10-17", "Statement": [], "Extra": 1}), "INVALID_POLICY_ELEMENT")
    assert finding.message == 'The element "Extra" is not valid here.'


def test_missing_statement() -> None:
    assert "MISSING_STATEMENT" in codes(validate({"Version": "2012-10-17"}))


def test_duplicate_sids() -> None:
    result = run(allow("s3:GetObject", S3, Sid="Read"), allow("s3:ListBucket", "arn:aws:s3:::bucket", Sid="Read"))
    assert only(result, "DUPLICATE_SID").statement == 1


def test_empty_action_list() -> None:
    assert "EMPTY_ARRAY" in codes(run(allow([], S3)))


def test_findings_name_the_statement_by_sid() -> None:
    finding = only(run(allow("s3:GetObjekt", S3, Sid="ReadObjects")), "INVALID_ACTION")
    assert finding.statement == "ReadObjects"
    assert finding.action == "s3:GetObjekt"


def test_size_quota_counts_the_final_document_without_whitespace() -> None:
    resources = [f"arn:aws:s3:::bucket-{i:04d}/*" for i in range(260)]
    result = validate(policy(allow("s3:GetObject", resources)), account_type="dev")
    finding = only(result, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA")
    assert "IAM refuses managed policies over 6144" in finding.message
    assert result.decision.value == "reject"


def test_whitespace_does_not_count_toward_the_quota() -> None:
    import json

    resources = [f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(150)]
    text = json.dumps(policy(allow("s3:GetObject", resources)), indent=8)
    assert len(text) > 6144
    assert "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" not in codes(validate(text, account_type="dev"))
