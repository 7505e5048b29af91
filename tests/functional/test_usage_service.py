"""UsageService over a Stubber'd IAM client: reports, job reuse, trouble as bot errors, trims, grant summaries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from bot.domain import usage_texts as texts
from bot.domain.accounts import embedded_registry
from bot.domain.models import AccessRequest, Actor, Front, ValidationResult
from bot.domain.replies import Outcome, Reply
from bot.errors import ConfigurationError, Forbidden, InvalidInput, NotFound, RetryLater
from bot.usage import UsageService
from tests.functional.test_advisor import DYNAMODB, GET, JOB, NOW, RDS, ROLE, FakeTime, job_page

ALICE = Actor(id="alice", front=Front.SLACK)
SANDBOX = embedded_registry().resolve("sandbox")
GENERATE = {"Arn": ROLE, "Granularity": "ACTION_LEVEL"}
POLICY_ARN = "arn:aws:iam::123456789012:policy/db-admin"


class FakeSession:
    """What the session factory returns: its one IAM client is the Stubber'd one."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, **_: Any) -> Any:
        assert service == "iam"
        return self._client


class Harness:
    def __init__(self) -> None:
        self.iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        self.stubber = Stubber(self.iam)
        self.time = FakeTime()
        self.submitted: list[tuple[AccessRequest, ValidationResult, Actor]] = []
        self.principals: list[str | None] = []
        self.sessions: list[str] = []
        self.service = UsageService(
            embedded_registry(),
            submit=self.submit,
            session_factory=self.session,
            sleep=self.time.sleep,
            clock=self.time.clock,
            now=lambda: NOW,
            deadline_seconds=10,
        )

    def session(self, account: Any) -> Any:
        self.sessions.append(account.alias)
        return FakeSession(self.iam)

    def submit(self, request: AccessRequest, validation: ValidationResult, actor: Actor,
               principal: str | None) -> Outcome:
        self.submitted.append((request, validation, actor))
        self.principals.append(principal)
        return Outcome(replies=(Reply(text="Submitted AR-TRIM1."),), request_id="AR-TRIM1", status="PENDING_APPROVAL")

    def generate(self, arn: str = ROLE, job: str = JOB) -> None:
        self.stubber.add_response("generate_service_last_accessed_details", {"JobId": job}, {**GENERATE, "Arn": arn})

    def get(self, status: str = "COMPLETED", services: list[dict[str, Any]] | None = None, job: str = JOB) -> None:
        self.stubber.add_response(
            "get_service_last_accessed_details", job_page(status, services), {**GET, "JobId": job}
        )

    def granting(self, namespaces: list[str]) -> None:
        self.stubber.add_response(
            "list_policies_granting_service_access",
            {
                "PoliciesGrantingServiceAccess": [
                    {"ServiceNamespace": n, "Policies": [{"PolicyName": "db-admin", "PolicyType": "MANAGED"}]}
                    for n in namespaces
                ]
            },
            {"Arn": ROLE, "ServiceNamespaces": namespaces},
        )


@pytest.fixture
def harness() -> Iterator[Harness]:
    running = Harness()
    with running.stubber:
        yield running
        running.stubber.assert_no_pending_responses()


def test_a_role_report_through_the_spoke_role(harness: Harness) -> None:
    harness.generate()
    harness.get("IN_PROGRESS")
    harness.get(services=[DYNAMODB, RDS])
    harness.granting(["rds"])
    outcome = harness.service.usage(ROLE, 90, actor=ALICE)
    head = outcome.replies[0]
    assert head.text.startswith("DBAdminRole in sandbox, last 90 days: used 1 of 2 granted service(s).")
    assert head.table is not None
    assert head.table.rows == (
        ("Amazon DynamoDB", "3 days ago", "DBAdminRole", "not tracked", ""),
        ("Amazon RDS", "never", "", "not tracked", "db-admin"),
    )
    assert head.buttons[0].value == f"trim {ROLE} 90 days"
    assert harness.sessions == ["sandbox"] and harness.time.slept == [0.5]


def test_still_running_then_the_same_job_is_reused(harness: Harness) -> None:
    harness.generate()
    for _ in range(6):  # polls at 0, 0.5, 1.5, 3.5, 7.5 and 10 s: the deadline
        harness.get("IN_PROGRESS")
    outcome = harness.service.usage(ROLE, 90, actor=ALICE)
    assert harness.time.slept == [0.5, 1.0, 2.0, 4.0, 2.5]
    assert outcome.status == "running"
    assert outcome.replies[0].text == (
        "Access advisor is still preparing the report for DBAdminRole — ask again in a minute, I'll reuse the job."
    )
    harness.get(services=[DYNAMODB])  # no second GenerateServiceLastAccessedDetails: the Stubber would refuse it
    assert harness.service.usage(ROLE, 30, actor=ALICE).status == "done"


def test_the_cached_job_expires_after_its_ttl(harness: Harness) -> None:
    harness.generate()
    harness.get(services=[DYNAMODB])
    harness.service.usage(ROLE, 90, actor=ALICE)
    harness.time.now += 601
    harness.generate(job="a" * 36)
    harness.get(services=[DYNAMODB], job="a" * 36)
    harness.service.usage(ROLE, 90, actor=ALICE)


def test_a_job_iam_forgot_is_started_again(harness: Harness) -> None:
    harness.generate()
    harness.get(services=[DYNAMODB])
    harness.service.usage(ROLE, 90, actor=ALICE)
    harness.stubber.add_client_error("get_service_last_accessed_details", "NoSuchEntity", http_status_code=404)
    harness.generate(job="b" * 36)
    harness.get(services=[DYNAMODB], job="b" * 36)
    assert harness.service.usage(ROLE, 90, actor=ALICE).status == "done"


def test_a_failed_job_is_not_reused(harness: Harness) -> None:
    harness.generate()
    harness.stubber.add_response(
        "get_service_last_accessed_details", job_page("FAILED", Error={"Code": "ServiceFailure", "Message": "x"}), GET
    )
    with pytest.raises(RetryLater, match=r"^Access advisor could not build the report for DBAdminRole"):
        harness.service.usage(ROLE, 90, actor=ALICE)
    assert harness.service.jobs.get(ROLE) is None


@pytest.mark.parametrize(
    ("arn", "days", "kind", "message"),
    [
        ("arn:aws:iam::999999999999:role/X", 90, NotFound,
         "Account 999999999999 is not registered with AccessBot, so I can't read its access advisor data."),
        ("role DBAdminRole please", 90, InvalidInput, texts.BAD_ARN.format(text="role DBAdminRole please")),
        (ROLE, 0, InvalidInput,
         "The number of days must be a whole number from 1 to 400 (access advisor keeps 400 days)."),
        ("account nowhere", 90, NotFound, "I don't know the account 'nowhere'. Known accounts: sandbox (123456789012), "
         "dev (234567890123), test (345678901234), prod (456789012345)."),
    ],
)
def test_bad_input_is_refused_before_any_aws_call(
    harness: Harness, arn: str, days: int, kind: type[Exception], message: str
) -> None:
    with pytest.raises(kind) as raised:
        harness.service.usage(arn, days, actor=ALICE)
    assert str(raised.value) == message
    assert harness.sessions == []


@pytest.mark.parametrize(
    ("code", "kind", "start"),
    [
        ("NoSuchEntity", NotFound, f"{ROLE} does not exist in sandbox"),
        ("AccessDenied", Forbidden, "The spoke role in sandbox (123456789012, sandbox) may not"),
        ("Throttling", RetryLater, "AWS is throttling access-advisor calls in sandbox"),
    ],
)
def test_aws_trouble_is_one_clear_line(harness: Harness, code: str, kind: type[Exception], start: str) -> None:
    for _ in range(4 if code == "Throttling" else 1):
        harness.stubber.add_client_error("generate_service_last_accessed_details", code, http_status_code=400)
    with pytest.raises(kind) as raised:
        harness.service.usage(ROLE, 90, actor=ALICE)
    assert str(raised.value).startswith(start) and "\n" not in str(raised.value)


def test_no_spoke_role_is_a_configuration_error() -> None:
    def refused(account: Any) -> Any:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "AssumeRole")

    service = UsageService(embedded_registry(), submit=lambda *a: Outcome(replies=()), session_factory=refused)
    with pytest.raises(ConfigurationError, match=r"^I can't assume the spoke role in sandbox"):
        service.usage(ROLE, 90, actor=ALICE)


def _documents(harness: Harness) -> None:
    managed = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["rds:*", "dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}],
    }
    harness.stubber.add_response(
        "list_attached_role_policies", {"AttachedPolicies": [{"PolicyName": "db-admin", "PolicyArn": POLICY_ARN}]}
    )
    harness.stubber.add_response(
        "get_policy", {"Policy": {"PolicyName": "db-admin", "Arn": POLICY_ARN, "DefaultVersionId": "v1"}}
    )
    harness.stubber.add_response(
        "get_policy_version", {"PolicyVersion": {"Document": quote(json.dumps(managed)), "VersionId": "v1"}}
    )
    harness.stubber.add_response("list_role_policies", {"PolicyNames": []})


def test_trim_submits_a_smaller_request_and_removes_nothing(harness: Harness) -> None:
    harness.generate()
    harness.get(services=[DYNAMODB, RDS])
    harness.granting(["rds"])
    _documents(harness)  # only reads: a write call would find no stubbed response and fail
    outcome = harness.service.trim(ROLE, 90, actor=ALICE)
    (request, validation, actor), = harness.submitted
    assert harness.principals == [ROLE]  # the smaller policy is for the trimmed role, not alice's
    assert actor == ALICE and request.account == "sandbox" and request.requester == "alice"
    assert [(g.service, g.actions) for g in request.grants] == [("dynamodb", ("GetItem", "Query"))]
    assert request.grants[0].resources == (
        "arn:aws:dynamodb:*:123456789012:table/*", "arn:aws:dynamodb:*:123456789012:table/*/index/*",
    )
    assert validation.allowed and validation.policy is not None
    assert outcome.request_id == "AR-TRIM1" and outcome.status == "PENDING_APPROVAL"
    text = outcome.replies[0].text
    assert "\n  db-admin: dynamodb:GetItem, dynamodb:Query  (used 3 days ago;" in text
    assert "\n- db-admin: rds:*" in text and "(Amazon RDS: never)" in text
    assert "detach db-admin from DBAdminRole" in text
    assert outcome.replies[1].text == "Submitted AR-TRIM1."


def test_trim_of_an_account_is_refused(harness: Harness) -> None:
    with pytest.raises(InvalidInput) as raised:
        harness.service.trim("account sandbox", 90, actor=ALICE)
    assert str(raised.value) == texts.NO_ARN


def test_grant_summary_text_and_never_raising(harness: Harness) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["rds:DescribeDBInstances"], "Resource": "*"},
            {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"},
        ],
    }
    harness.generate()
    harness.get(services=[DYNAMODB, RDS])
    text = harness.service.grant_summary(SANDBOX, ROLE, policy, NOW - timedelta(days=7))
    assert text == (
        "DBAdminRole used Amazon DynamoDB while the grant was active (since 7 days ago); not used: Amazon RDS. "
        "Access advisor can lag by up to 4 hours."
    )
    harness.service.jobs.drop(ROLE)
    harness.stubber.add_client_error("generate_service_last_accessed_details", "AccessDenied", http_status_code=403)
    assert harness.service.grant_summary(SANDBOX, ROLE, policy, NOW) is None
    assert harness.service.grant_summary(SANDBOX, "not an arn", policy, NOW) is None
    assert harness.service.grant_summary(SANDBOX, ROLE, {"Statement": []}, NOW) is None


def test_grant_summary_survives_anything() -> None:
    def broken(account: Any) -> Any:
        raise RuntimeError("boom")

    service = UsageService(embedded_registry(), submit=lambda *a: Outcome(replies=()), session_factory=broken)
    policy = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    assert service.grant_summary(SANDBOX, ROLE, policy, datetime.now(UTC)) is None
