"""The embedded world: moto in-process, seeded like DESIGN.md's accounts, reachable by the bot's own clients."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from urllib.parse import unquote

import boto3
import pytest

from bot.aws.sessions import _client_hooks, make_client, spoke_session
from bot.domain.accounts import EMBEDDED_EXTERNAL_ID, embedded_registry
from bot.local.world import EmbeddedWorld, _install_advisor
from tests.functional.web.conftest import free_port


@pytest.fixture(scope="module")
def world() -> Iterator[EmbeddedWorld]:
    saved = os.environ.get("AWS_ENDPOINT_URL")
    running = EmbeddedWorld(port=free_port()).start()
    yield running
    running.stop()
    assert os.environ.get("AWS_ENDPOINT_URL") == saved


def test_the_bot_runs_in_the_security_account(world: EmbeddedWorld) -> None:
    identity = boto3.client("sts").get_caller_identity()
    assert identity["Arn"] == "arn:aws:iam::111111111111:user/accessbot-local"
    assert os.environ["AWS_ENDPOINT_URL"] == world.endpoint


def test_the_request_table_exists_in_the_security_account(world: EmbeddedWorld) -> None:
    assert world.table_name in boto3.client("dynamodb").list_tables()["TableNames"]


@pytest.mark.parametrize("alias", ["sandbox", "dev", "test", "prod"])
def test_spoke_sessions_land_in_each_target_account(world: EmbeddedWorld, alias: str) -> None:
    account = embedded_registry().resolve(alias)
    session = spoke_session(account, purpose="AR-TEST1")
    arn = session.client("sts").get_caller_identity()["Arn"]
    assert arn == f"arn:aws:sts::{account.id}:assumed-role/central-account-role/accessbot-AR-TEST1"
    roles = {r["RoleName"] for r in session.client("iam").list_roles()["Roles"]}
    assert roles >= {"central-account-role", "DataScientist", "Developer"}
    admins = {"DBAdminRole", "NetworkAdminRole"}  # the seed post's roles, in the sandbox only
    assert admins <= roles if alias == "sandbox" else not admins & roles


def test_the_spoke_role_trusts_only_the_security_account_with_the_external_id(world: EmbeddedWorld) -> None:
    iam = world.client("iam", "123456789012")
    trust = iam.get_role(RoleName="central-account-role")["Role"]["AssumeRolePolicyDocument"]
    trust = json.loads(unquote(trust)) if isinstance(trust, str) else trust
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": EMBEDDED_EXTERNAL_ID}}


def test_demo_principals_hold_managed_and_inline_policies(world: EmbeddedWorld) -> None:
    iam = world.client("iam", "123456789012")
    for role in ("DataScientist", "Developer", "DBAdminRole", "NetworkAdminRole"):
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"], role
        assert iam.list_role_policies(RoleName=role)["PolicyNames"], role


def test_the_demo_bucket_exists_in_the_sandbox_only(world: EmbeddedWorld) -> None:
    sandbox = {b["Name"] for b in world.client("s3", "123456789012").list_buckets()["Buckets"]}
    prod = {b["Name"] for b in world.client("s3", "456789012345").list_buckets()["Buckets"]}
    assert "analytics-raw" in sandbox and "analytics-raw" not in prod


def test_iam_clients_made_by_the_bot_get_the_client_hooks(world: EmbeddedWorld) -> None:
    seen: list[str] = []
    _client_hooks.append(lambda client: seen.append(client.meta.service_model.service_name))
    try:
        make_client(boto3.Session(), "iam")
    finally:
        _client_hooks.pop()
    assert seen == ["iam"]
    assert _install_advisor in _client_hooks  # the world's access-advisor hook
