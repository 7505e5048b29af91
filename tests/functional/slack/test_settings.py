"""Slack settings from the environment, and the secrets from Secrets Manager (moto)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from bot.errors import ConfigurationError
from bot.slack.actors import APPROVER_GROUP, ApproverDirectory
from bot.slack.settings import SlackSettings


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("ACCESSBOT_SECURITY_CHANNEL", "CSEC")
    monkeypatch.setenv("ACCESSBOT_APPROVERS", " U111, S222 ,W333")
    monkeypatch.setenv("ACCESSBOT_SLACK_API_URL", "http://127.0.0.1:8201/api")
    settings = SlackSettings.from_env().require()
    assert settings.approver_users == {"U111", "W333"} and settings.approver_groups == {"S222"}
    assert settings.api_url == "http://127.0.0.1:8201/api/"
    assert "s3cr3t" not in repr(settings) and "xoxb-1" not in str(settings)


def test_the_default_api_url_is_slacks() -> None:
    assert SlackSettings.from_env({}).api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "x", "ACCESSBOT_APPROVERS": "alice"}, "'alice' is neither"),
    ],
)
def test_missing_or_bad_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for key in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "ACCESSBOT_APPROVERS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigurationError, match=message):
        SlackSettings.from_env().require()


def test_secrets_come_from_secrets_manager(aws: None) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = client.create_secret(
        Name="accessbot/slack",
        SecretString=json.dumps({"SLACK_SIGNING_SECRET": "from-sm", "SLACK_BOT_TOKEN": "xoxb-from-sm"}),
    )["ARN"]
    settings = SlackSettings(secret_arn=arn).with_secrets(client=client).require()
    assert settings.signing_secret == "from-sm"
    assert settings.bot_token == "xoxb-from-sm"


def test_an_unreadable_secret_names_the_setting_not_the_content(aws: None) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    missing = "arn:aws:secretsmanager:us-east-1:111111111111:secret:nope-AbCdEf"
    with pytest.raises(ConfigurationError, match="ACCESSBOT_SECRET_ARN: the Slack secret cannot be read"):
        SlackSettings(secret_arn=missing).with_secrets(client=client)
    arn = client.create_secret(Name="accessbot/text", SecretString='"just text"')["ARN"]
    with pytest.raises(ConfigurationError, match="must be a JSON object"):
        SlackSettings(secret_arn=arn).with_secrets(client=client)


class _GroupClient:
    def __init__(self) -> None:
        self.calls = 0

    def usergroups_users_list(self, usergroup: str) -> dict[str, list[str]]:
        self.calls += 1
        return {"users": ["UMEMBER"]} if usergroup == "SSEC" else {"users": []}


def test_approver_claims_from_user_ids_and_user_groups() -> None:
    directory = ApproverDirectory(SlackSettings(approvers="UDIRECT,SSEC"))
    client = _GroupClient()
    assert directory.groups_of("UDIRECT", client) == {APPROVER_GROUP}
    assert directory.groups_of("UMEMBER", client) == {APPROVER_GROUP, "SSEC"}
    assert directory.groups_of("UOTHER", client) == frozenset()
    assert client.calls == 1  # cached
