"""The access-advisor adapter against botocore's Stubber: every request checked against IAM's real API model."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from botocore.exceptions import ClientError, NoCredentialsError
from botocore.stub import Stubber

from bot.aws import advisor
from bot.aws.documents import read_documents
from bot.domain.accounts import embedded_registry
from bot.domain.usage import parse_principal
from bot.errors import AccessBotError, ConfigurationError, Forbidden, InvalidInput, NotFound, RetryLater

ROLE = "arn:aws:iam::123456789012:role/DBAdminRole"
JOB = "f0e1d2c3-b4a5-4697-8899-aabbccddeeff"
SANDBOX = embedded_registry().resolve("sandbox")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
assert len(JOB) == 36


class FakeTime:
    """A clock and a sleep that only move when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def iam_client() -> Any:
    return boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


@pytest.fixture
def stubbed(time_: FakeTime) -> Iterator[tuple[Stubber, advisor.Calls]]:
    client = iam_client()
    with Stubber(client) as stubber:
        yield stubber, advisor.Calls(client, advisor.Pacer(time_.sleep, time_.clock), SANDBOX.label)
        stubber.assert_no_pending_responses()


def job_page(status: str = "COMPLETED", services: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "JobStatus": status,
        "JobType": "ACTION_LEVEL",
        "JobCreationDate": NOW - timedelta(seconds=3),
        "JobCompletionDate": NOW,
        "ServicesLastAccessed": services or [],
        **extra,
    }


DYNAMODB = {
    "ServiceName": "Amazon DynamoDB",
    "ServiceNamespace": "dynamodb",
    "LastAuthenticated": NOW - timedelta(days=3),
    "LastAuthenticatedEntity": ROLE,
    "LastAuthenticatedRegion": "us-east-1",
    "TotalAuthenticatedEntities": 1,
}
RDS = {"ServiceName": "Amazon RDS", "ServiceNamespace": "rds", "TotalAuthenticatedEntities": 0}
GET = {"JobId": JOB, "MaxItems": 1000}


def test_start_job_asks_for_action_level(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    stubber.add_response(
        "generate_service_last_accessed_details", {"JobId": JOB}, {"Arn": ROLE, "Granularity": "ACTION_LEVEL"}
    )
    assert advisor.start_job(calls, ROLE) == JOB


def test_poll_backs_off_then_reads_every_page(stubbed: tuple[Stubber, advisor.Calls], time_: FakeTime) -> None:
    stubber, calls = stubbed
    for _ in range(2):
        stubber.add_response("get_service_last_accessed_details", job_page("IN_PROGRESS"), GET)
    stubber.add_response(
        "get_service_last_accessed_details", job_page(services=[DYNAMODB], IsTruncated=True, Marker="page-2"), GET
    )
    stubber.add_response(
        "get_service_last_accessed_details", job_page(services=[RDS], IsTruncated=False), {**GET, "Marker": "page-2"}
    )
    pages = advisor.poll_job(calls, JOB, name="DBAdminRole", sleep=time_.sleep, clock=time_.clock, deadline=1020)
    assert pages is not None and [s["ServiceNamespace"] for p in pages for s in p["ServicesLastAccessed"]] == [
        "dynamodb",
        "rds",
    ]
    assert time_.slept == [0.5, 1.0]


def test_poll_gives_up_at_the_deadline(stubbed: tuple[Stubber, advisor.Calls], time_: FakeTime) -> None:
    stubber, calls = stubbed
    for _ in range(5):
        stubber.add_response("get_service_last_accessed_details", job_page("IN_PROGRESS"), GET)
    deadline = time_.now + 6
    pages = advisor.poll_job(calls, JOB, name="DBAdminRole", sleep=time_.sleep, clock=time_.clock, deadline=deadline)
    assert pages is None
    assert time_.slept == [0.5, 1.0, 2.0, 2.5]  # 4 s would pass the deadline: the last sleep is cut to it
    assert time_.now == deadline


def test_a_failed_job(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    failed = job_page("FAILED", Error={"Code": "ServiceFailure", "Message": "internal"})
    stubber.add_response("get_service_last_accessed_details", failed, GET)
    with pytest.raises(advisor.JobFailed) as raised:
        advisor.read_job(calls, JOB, name="DBAdminRole")
    assert str(raised.value) == (
        "Access advisor could not build the report for DBAdminRole (ServiceFailure); ask again in a few minutes."
    )
    assert isinstance(raised.value, RetryLater)


@pytest.mark.parametrize(
    ("code", "status", "kind", "message"),
    [
        ("NoSuchEntity", 404, NotFound, f"{ROLE} does not exist in sandbox (123456789012, sandbox)."),
        (
            "AccessDenied",
            403,
            Forbidden,
            "The spoke role in sandbox (123456789012, sandbox) may not iam:GenerateServiceLastAccessedDetails "
            "(AccessDenied): give it the access-advisor permissions in infra/spoke-account.yml.",
        ),
        ("InvalidInput", 400, InvalidInput, f"AWS refused the request for {ROLE} (InvalidInput): bad <arn>"),
        (
            "ServiceFailure",
            500,
            RetryLater,
            "AWS could not iam:GenerateServiceLastAccessedDetails in sandbox (123456789012, sandbox) "
            "(ServiceFailure); try again in a minute.",
        ),
    ],
)
def test_errors_become_bot_errors_with_one_line(
    stubbed: tuple[Stubber, advisor.Calls], code: str, status: int, kind: type[AccessBotError], message: str
) -> None:
    stubber, calls = stubbed
    stubber.add_client_error(
        "generate_service_last_accessed_details", service_error_code=code, service_message="bad <arn>\nsecond line",
        http_status_code=status,
    )
    with pytest.raises(kind) as raised:
        advisor.start_job(calls, ROLE)
    assert type(raised.value) is kind and str(raised.value) == message.replace("bad <arn>", "bad <arn>?second line")


def test_throttling_slows_everyone_down_then_gives_up(stubbed: tuple[Stubber, advisor.Calls], time_: FakeTime) -> None:
    stubber, calls = stubbed
    for _ in range(3):
        stubber.add_client_error("generate_service_last_accessed_details", "Throttling", http_status_code=400)
    stubber.add_response("generate_service_last_accessed_details", {"JobId": JOB})
    assert advisor.start_job(calls, ROLE) == JOB
    assert time_.slept == [1.0, 2.0, 4.0] and calls.pacer.throttles == 3
    for _ in range(4):
        stubber.add_client_error("generate_service_last_accessed_details", "Throttling", http_status_code=400)
    with pytest.raises(advisor.Throttled) as raised:
        advisor.start_job(calls, ROLE)
    assert str(raised.value) == (
        "AWS is throttling access-advisor calls in sandbox (123456789012, sandbox) right now; ask again in a minute."
    )


def test_policies_granting_in_chunks_of_200_with_pages(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    names = [f"svc{i:03d}" for i in range(250)]
    grant = {"ServiceNamespace": "svc000", "Policies": [{"PolicyName": "db-admin", "PolicyType": "INLINE"}]}
    stubber.add_response(
        "list_policies_granting_service_access",
        {"PoliciesGrantingServiceAccess": [grant], "IsTruncated": True, "Marker": "m2"},
        {"Arn": ROLE, "ServiceNamespaces": names[:200]},
    )
    stubber.add_response(
        "list_policies_granting_service_access",
        {"PoliciesGrantingServiceAccess": [], "IsTruncated": False},
        {"Arn": ROLE, "ServiceNamespaces": names[:200], "Marker": "m2"},
    )
    stubber.add_response(
        "list_policies_granting_service_access",
        {"PoliciesGrantingServiceAccess": []},
        {"Arn": ROLE, "ServiceNamespaces": names[200:]},
    )
    pages = advisor.read_policies_granting(calls, ROLE, names)
    assert pages[0]["PoliciesGrantingServiceAccess"] == [grant]


def test_entities_of_a_service(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    entity = {
        "EntityInfo": {"Arn": "arn:aws:iam::123456789012:user/bob", "Name": "bob", "Type": "USER", "Id": "A" * 16},
        "LastAuthenticated": NOW,
    }
    stubber.add_response(
        "get_service_last_accessed_details_with_entities",
        {"JobStatus": "COMPLETED", "JobCreationDate": NOW, "JobCompletionDate": NOW, "EntityDetailsList": [entity]},
        {"JobId": JOB, "ServiceNamespace": "s3", "MaxItems": 1000},
    )
    (page,) = advisor.read_entities(calls, JOB, "s3", name="Admins")
    assert page["EntityDetailsList"][0]["EntityInfo"]["Name"] == "bob"


def _role(name: str, path: str = "/") -> dict[str, Any]:
    return {
        "Path": path, "RoleName": name, "RoleId": "AROA" + "X" * 16, "CreateDate": NOW,
        "Arn": f"arn:aws:iam::123456789012:role{path}{name}",
    }


def test_list_roles_skips_service_linked_roles_and_caps(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    first = [_role("DBAdminRole"), _role("AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/")]
    stubber.add_response("list_roles", {"Roles": first, "IsTruncated": True, "Marker": "m"}, {"MaxItems": 3})
    stubber.add_response("list_roles", {"Roles": [_role("A"), _role("B", "/ops/")]}, {"MaxItems": 3, "Marker": "m"})
    roles, capped = advisor.list_roles(calls, limit=2)
    assert [r.name for r in roles] == ["DBAdminRole", "A"] and capped


def test_documents_of_a_role(stubbed: tuple[Stubber, advisor.Calls]) -> None:
    stubber, calls = stubbed
    managed = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "rds:*", "Resource": "*"}]}
    inline = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
    policy_arn = "arn:aws:iam::123456789012:policy/db-admin"
    stubber.add_response(
        "list_attached_role_policies",
        {"AttachedPolicies": [{"PolicyName": "db-admin", "PolicyArn": policy_arn}]},
        {"RoleName": "DBAdminRole"},
    )
    stubber.add_response(
        "get_policy", {"Policy": {"PolicyName": "db-admin", "Arn": policy_arn, "DefaultVersionId": "v3"}},
        {"PolicyArn": policy_arn},
    )
    stubber.add_response(
        "get_policy_version",
        {"PolicyVersion": {"Document": quote(json.dumps(managed)), "VersionId": "v3", "IsDefaultVersion": True}},
        {"PolicyArn": policy_arn, "VersionId": "v3"},
    )
    stubber.add_response("list_role_policies", {"PolicyNames": ["backups"]}, {"RoleName": "DBAdminRole"})
    stubber.add_response(
        "get_role_policy",
        {"RoleName": "DBAdminRole", "PolicyName": "backups", "PolicyDocument": quote(json.dumps(inline))},
        {"RoleName": "DBAdminRole", "PolicyName": "backups"},
    )
    documents = read_documents(calls, parse_principal(ROLE))
    assert documents == [("db-admin", managed), ("backups", inline)]


def test_run_bounded_keeps_order_errors_and_the_limit() -> None:
    lock, active, peak, seen = threading.Lock(), [0], [0], []

    def work(item: int) -> int:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.01)
        with lock:
            active[0] -= 1
        if item == 7:
            raise NotFound("seven is gone")
        return item * 2

    results = advisor.run_bounded(list(range(30)), work, max_in_flight=4, on_done=lambda d, t: seen.append((d, t)))
    assert results[:7] == [0, 2, 4, 6, 8, 10, 12] and isinstance(results[7], NotFound)
    assert peak[0] == 4 and seen[-1] == (30, 30) and len(seen) == 30


def test_the_spoke_role_cannot_be_assumed() -> None:
    def refused(account: Any) -> Any:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")

    with pytest.raises(ConfigurationError) as raised:
        advisor.iam_client(SANDBOX, refused)
    assert str(raised.value) == (
        "I can't assume the spoke role in sandbox (123456789012, sandbox) (AccessDenied): check that "
        "central-account-role exists and trusts the security account with the ExternalId."
    )

    def no_keys(account: Any) -> Any:
        raise NoCredentialsError()

    with pytest.raises(ConfigurationError, match=r"^AccessBot has no AWS credentials here \(NoCredentialsError\)"):
        advisor.iam_client(SANDBOX, no_keys)
