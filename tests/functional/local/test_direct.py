"""serve's own clients call the embedded moto in-process: the same answers as over HTTP, with no connection made."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from bot.aws.sessions import add_client_hook, bot_session, make_client, remove_client_hook, spoke_session
from bot.domain.accounts import embedded_registry
from bot.local.direct import DirectMoto
from bot.local.world import EmbeddedWorld
from tests.functional.web.conftest import free_port


@pytest.fixture(scope="module")
def world() -> Iterator[EmbeddedWorld]:
    running = EmbeddedWorld(port=free_port()).start()
    yield running
    running.stop()


@pytest.fixture
def direct(world: EmbeddedWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[DirectMoto]:
    hook = DirectMoto(world.endpoint)
    add_client_hook(hook.hook)

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("sent over HTTP")

    monkeypatch.setattr("botocore.httpsession.URLLib3Session.send", no_network)
    yield hook
    remove_client_hook(hook.hook)


def test_the_bots_calls_get_moto_answers_without_a_connection(direct: DirectMoto, world: EmbeddedWorld) -> None:
    sts = make_client(bot_session("us-east-1"), "sts")
    assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::111111111111:user/accessbot-local"
    dynamodb = make_client(bot_session("us-east-1"), "dynamodb")
    assert world.table_name in dynamodb.list_tables()["TableNames"]
    account = embedded_registry().resolve("sandbox")
    iam = make_client(spoke_session(account, purpose="AR-DIRECT"), "iam")  # AssumeRole, then IAM: both direct
    assert "DataScientist" in {r["RoleName"] for r in iam.list_roles()["Roles"]}


def test_moto_errors_are_client_errors_as_over_http(direct: DirectMoto) -> None:
    dynamodb = make_client(bot_session("us-east-1"), "dynamodb")
    with pytest.raises(ClientError) as raised:
        dynamodb.get_item(TableName="no-such-table", Key={"pk": {"S": "x"}})
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_clients_of_other_endpoints_are_left_alone(direct: DirectMoto) -> None:
    other = make_client(bot_session("us-east-1"), "sts", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(AssertionError, match="sent over HTTP"):
        other.get_caller_identity()
    assert os.environ["AWS_ENDPOINT_URL"] == direct.endpoint
