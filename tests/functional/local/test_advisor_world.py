"""Access advisor in the embedded world: the seed's roles, an account sweep, a trim, the CLI, the raw stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bot.aws.sessions import make_client, spoke_session
from bot.cli import main
from bot.domain.accounts import embedded_registry
from bot.domain.models import AccessRequest, Actor, Front, ValidationResult
from bot.domain.replies import Outcome, Reply
from bot.domain.usage import AccountReport, UsageReport
from bot.errors import NotFound
from bot.local.world import EmbeddedWorld
from bot.usage import UsageService
from tests.functional.web.conftest import free_port

ALICE = Actor(id="alice", front=Front.WEB)
SANDBOX = "123456789012"
DB_ADMIN = f"arn:aws:iam::{SANDBOX}:role/DBAdminRole"
NETWORK_ADMIN = f"arn:aws:iam::{SANDBOX}:role/NetworkAdminRole"


@pytest.fixture(scope="module")
def world() -> Iterator[EmbeddedWorld]:
    running = EmbeddedWorld(port=free_port()).start()
    yield running
    running.stop()


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[AccessRequest, ValidationResult]] = []
        self.principals: list[str | None] = []

    def __call__(self, request: AccessRequest, validation: ValidationResult, actor: Actor,
                 principal: str | None) -> Outcome:
        self.requests.append((request, validation))
        self.principals.append(principal)
        return Outcome(replies=(Reply(text="Submitted AR-WORLD."),), request_id="AR-WORLD", status="PENDING_APPROVAL")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def usage(world: EmbeddedWorld, recorder: Recorder) -> UsageService:
    return UsageService(embedded_registry(), submit=recorder)


def test_db_admin_used_dynamodb_and_never_used_the_rest(usage: UsageService) -> None:
    outcome = usage.usage(DB_ADMIN, 90, actor=ALICE)
    head = outcome.replies[0]
    assert head.table is not None
    rows = {row[0]: row for row in head.table.rows}
    assert rows["Amazon DynamoDB"][1] == "3 days ago" and rows["Amazon DynamoDB"][2] == "DBAdminRole"
    assert rows["Amazon S3"][1] == "41 days ago"
    for never in ("Amazon RDS", "AWS Secrets Manager", "AWS Backup"):
        assert rows[never][1] == "never"
    assert rows["Amazon RDS"][4] == "db-admin" and rows["AWS Backup"][4] == "backups"  # which policy grants it
    assert "Not used in 90 days: AWS Backup, AWS Secrets Manager, Amazon RDS." in head.text
    assert head.table.chart == {"dynamodb": 3.0, "s3": 41.0}
    assert head.buttons[0].value == f"trim {DB_ADMIN} 90 days"


def test_network_admin_used_ec2_recently_and_nothing_else(usage: UsageService) -> None:
    report = usage.report(NETWORK_ADMIN, 90)
    assert isinstance(report, UsageReport)
    assert [s.namespace for s in report.used()] == ["ec2"]
    assert {s.namespace for s in report.unused()} == {"route53", "logs"}
    ec2 = report.service("ec2")
    assert ec2 is not None and ec2.tracked_actions  # EC2 is tracked at action level
    used = {a.name for _, a in report.tracked() if report.use_of(a.last_used).value == "used"}
    assert used == {"DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "AuthorizeSecurityGroupIngress",
                    "CreateSecurityGroup"}


def test_the_sandbox_sweep_sorts_roles_by_unused(usage: UsageService) -> None:
    report = usage.report("account sandbox", 90)
    assert isinstance(report, AccountReport) and report.pending == 0
    names = [r.name for r in report.rows]
    assert set(names) == {"DBAdminRole", "NetworkAdminRole", "DataScientist", "Developer", "central-account-role"}
    assert names[:2] == ["DBAdminRole", "NetworkAdminRole"]
    assert [r.unused for r in report.rows] == sorted((r.unused for r in report.rows), reverse=True)
    outcome = usage.usage("account sandbox", 90, actor=ALICE)
    assert outcome.replies[0].buttons[0].value == f"usage of {DB_ADMIN} in the last 90 days"


def test_trim_network_admin_is_a_request_and_changes_nothing(
    world: EmbeddedWorld, usage: UsageService, recorder: Recorder
) -> None:
    iam = world.client("iam", SANDBOX)
    before = iam.list_policies(Scope="Local")["Policies"]
    outcome = usage.trim(NETWORK_ADMIN, 90, actor=ALICE)
    (request, validation), = recorder.requests
    assert [g.service for g in request.grants] == ["ec2"]
    assert set(request.grants[0].actions) == {
        "AuthorizeSecurityGroupIngress", "CreateSecurityGroup", "DescribeSecurityGroups", "DescribeSubnets",
        "DescribeVpcs",
    }
    assert validation.allowed
    assert "(Amazon Route 53: never)" in outcome.replies[0].text and outcome.request_id == "AR-WORLD"
    assert iam.list_policies(Scope="Local")["Policies"] == before
    assert iam.list_attached_role_policies(RoleName="NetworkAdminRole")["AttachedPolicies"]


def test_every_demo_role_has_history_where_it_lives(usage: UsageService) -> None:
    for account in embedded_registry().accounts:
        roles = ("DataScientist", "Developer") + (("DBAdminRole", "NetworkAdminRole") if account.id == SANDBOX else ())
        for role in roles:
            report = usage.report(f"arn:aws:iam::{account.id}:role/{role}", 400)
            assert isinstance(report, UsageReport) and report.services, (account.alias, role)


def test_a_name_is_found_across_the_accounts(usage: UsageService) -> None:
    report = usage.report("DBAdminRole", 90)  # the seed post's role is in the sandbox only
    assert isinstance(report, UsageReport) and report.principal.arn == DB_ADMIN
    choice = usage.usage("DataScientist", 90, actor=ALICE)  # a requester's role: in every account
    assert choice.status == "choose_account"
    assert [b.label for b in choice.replies[0].buttons] == ["sandbox", "dev", "test", "prod"]
    with pytest.raises(NotFound) as raised:
        usage.report("GhostRole", 90)
    assert str(raised.value) == (
        "I found no role or user named GhostRole in sandbox, dev, test or prod. Check the spelling, or give its ARN."
    )


def test_an_unknown_role_is_not_found(usage: UsageService) -> None:
    with pytest.raises(NotFound) as raised:
        usage.usage(f"arn:aws:iam::{SANDBOX}:role/Nobody", 90, actor=ALICE)
    assert str(raised.value) == f"arn:aws:iam::{SANDBOX}:role/Nobody does not exist in sandbox ({SANDBOX}, sandbox)."


def test_the_stand_in_speaks_the_real_api(world: EmbeddedWorld) -> None:
    iam = make_client(spoke_session(embedded_registry().resolve("sandbox"), purpose="usage"), "iam")
    job = iam.generate_service_last_accessed_details(Arn=DB_ADMIN, Granularity="ACTION_LEVEL")["JobId"]
    assert len(job) == 36
    first = iam.get_service_last_accessed_details(JobId=job)
    assert first["JobStatus"] == "IN_PROGRESS"
    granted = iam.list_policies_granting_service_access(Arn=DB_ADMIN, ServiceNamespaces=["rds", "s3"])
    by_service = {g["ServiceNamespace"]: [p["PolicyName"] for p in g["Policies"]] for g in
                  granted["PoliciesGrantingServiceAccess"]}
    assert by_service == {"rds": ["db-admin"], "s3": ["backups"]}


def test_the_cli_prints_a_table_and_json(world: EmbeddedWorld, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["usage", DB_ADMIN, "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Amazon DynamoDB +3 days ago +DBAdminRole", out) and f"In chat: trim {DB_ADMIN} 30 days" in out
    assert main(["usage", "account", "sandbox", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "done" and result["checked"] == result["total"] == 5
    assert main(["usage", f"arn:aws:iam::{SANDBOX}:role/Nobody"]) == 2
    assert capsys.readouterr().err == f"accessbot: arn:aws:iam::{SANDBOX}:role/Nobody does not exist in sandbox " \
        f"({SANDBOX}, sandbox).\n"


def test_groups_users_and_policies_are_reported_with_who_used_what(world: EmbeddedWorld, usage: UsageService) -> None:
    iam = world.client("iam", "234567890123")  # dev: nothing else in these tests touches it
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:ListBucket", "sqs:SendMessage"], "Resource": "*"}]})
    policy = iam.create_policy(PolicyName="analysts", PolicyDocument=document)["Policy"]["Arn"]
    iam.create_group(GroupName="Analysts")
    iam.attach_group_policy(GroupName="Analysts", PolicyArn=policy)
    for user in ("carol", "dave"):
        iam.create_user(UserName=user)
        iam.add_user_to_group(GroupName="Analysts", UserName=user)
    iam.attach_role_policy(RoleName="DataScientist", PolicyArn=policy)

    group = usage.report("arn:aws:iam::234567890123:group/Analysts", 400)
    assert isinstance(group, UsageReport) and {s.namespace for s in group.services} == {"s3", "sqs"}
    for service in group.used():
        assert service.used_by and {e.kind for e in service.used_by} == {"user"}
        assert service.entity == service.used_by[0].arn  # the most recent user is the one access advisor names
    user = usage.report("arn:aws:iam::234567890123:user/carol", 400)
    assert isinstance(user, UsageReport) and {s.namespace for s in user.services} == {"s3", "sqs"}
    by_policy = usage.report(policy, 400)
    assert isinstance(by_policy, UsageReport) and {s.namespace for s in by_policy.services} == {"s3", "sqs"}
    sqs = by_policy.service("sqs")
    assert sqs is not None and {e.name for e in sqs.used_by} >= {"DataScientist", "dave"}  # roles and group members
    outcome = usage.usage(policy, 400, actor=ALICE)
    assert outcome.replies[0].table is not None
