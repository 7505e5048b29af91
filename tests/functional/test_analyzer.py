"""Access Analyzer's second opinion, against botocore's Stubber (requests checked against the real API model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from bot.aws.analyzer import access_analyzer_findings, merge
from bot.domain.models import Finding, Severity
from bot.errors import RetryLater

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
TEXT = json.dumps(POLICY)


def _raw(code: str, kind: str, index: int = 0) -> dict[str, Any]:
    return {
        "findingDetails": f"details of {code}",
        "findingType": kind,
        "issueCode": code,
        "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
        "locations": [
            {
                "path": [{"value": "Statement"}, {"index": index}, {"value": "Resource"}],
                "span": {"start": {"line": 0, "column": 0, "offset": 0}, "end": {"line": 0, "column": 1, "offset": 1}},
            }
        ],
    }


@pytest.fixture
def client() -> Iterator[Any]:
    analyzer = boto3.client("accessanalyzer", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(analyzer) as stubber:
        analyzer.stubber = stubber
        yield analyzer
        stubber.assert_no_pending_responses()


def test_findings_are_mapped_across_pages(client: Any) -> None:
    expected = {"policyDocument": TEXT, "policyType": "IDENTITY_POLICY"}
    client.stubber.add_response(
        "validate_policy",
        {"findings": [_raw("PASS_ROLE_WITH_STAR_IN_RESOURCE", "SECURITY_WARNING")], "nextToken": "page2"},
        expected,
    )
    client.stubber.add_response(
        "validate_policy",
        {"findings": [_raw("MISSING_VERSION", "WARNING", 1), _raw("REDUNDANT_ACTION", "SUGGESTION")]},
        {**expected, "nextToken": "page2"},
    )
    findings = access_analyzer_findings(POLICY, client=client)
    assert [(f.code, f.severity, f.statement) for f in findings] == [
        ("PASS_ROLE_WITH_STAR_IN_RESOURCE", Severity.SECURITY_WARNING, 0),
        ("MISSING_VERSION", Severity.WARNING, 1),
        ("REDUNDANT_ACTION", Severity.SUGGESTION, 0),
    ]
    assert findings[0].message == "Access Analyzer: details of PASS_ROLE_WITH_STAR_IN_RESOURCE"
    assert findings[0].fix is not None and findings[0].fix.startswith("See https://docs.aws.amazon.com/")


def test_errors_become_retry_later(client: Any) -> None:
    client.stubber.add_client_error("validate_policy", service_error_code="ThrottlingException", http_status_code=429)
    with pytest.raises(RetryLater, match=r"^Access Analyzer could not validate the policy \(ThrottlingException\)"):
        access_analyzer_findings(TEXT, client=client)


def test_merge_drops_what_we_already_found() -> None:
    ours = [
        Finding(code="PASS_ROLE_WITH_STAR_IN_RESOURCE", severity=Severity.SECURITY_WARNING, message="ours", statement=0)
    ]
    theirs = [
        Finding(code="PASS_ROLE_WITH_STAR_IN_RESOURCE", severity=Severity.SECURITY_WARNING, message="aws", statement=0),
        Finding(code="REDUNDANT_ACTION", severity=Severity.SUGGESTION, message="aws", statement=0),
        Finding(code="REDUNDANT_ACTION", severity=Severity.SUGGESTION, message="aws", statement=0),
    ]
    assert [f.message for f in merge(ours, theirs)] == ["ours", "aws"]


def test_merge_translates_indexes_to_sids() -> None:
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "Pass", "Effect": "Allow"}, {"Effect": "Allow"}]}
    ours = [Finding(code="REDUNDANT_ACTION", severity=Severity.SUGGESTION, message="ours", statement="Pass")]
    theirs = [
        Finding(code="REDUNDANT_ACTION", severity=Severity.SUGGESTION, message="aws", statement=0),
        Finding(code="REDUNDANT_ACTION", severity=Severity.SUGGESTION, message="aws 1", statement=1),
    ]
    assert [(f.message, f.statement) for f in merge(ours, theirs, document)] == [("ours", "Pass"), ("aws 1", 1)]
