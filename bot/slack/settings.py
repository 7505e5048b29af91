"""Slack front settings (SLACK_*, ACCESSBOT_SECURITY_CHANNEL, ...), with secrets from Secrets Manager in AWS."""

from __future__ import annotations

import re
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigurationError

#: Slack's Web API; tests and local runs point ACCESSBOT_SLACK_API_URL at a stand-in instead.
SLACK_API_URL = "https://slack.com/api/"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,20}$")
#: Secrets Manager answers are cached this long (seconds): one call per warm container, rotation still lands.
SECRET_MAX_AGE = 300


class SlackSettings(BaseSettings):
    """Everything the Slack front reads from the environment. Secrets are SecretStr: never printed or logged."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    signing_secret: SecretStr = Field(default=SecretStr(""), validation_alias="SLACK_SIGNING_SECRET")
    bot_token: SecretStr = Field(default=SecretStr(""), validation_alias="SLACK_BOT_TOKEN")
    app_token: SecretStr = Field(
        default=SecretStr(""), validation_alias="SLACK_APP_TOKEN", description="xapp-... for Socket Mode."
    )
    security_channel: str = Field(
        default="", validation_alias="ACCESSBOT_SECURITY_CHANNEL", description="Channel id of the request cards."
    )
    approvers: str = Field(
        default="",
        validation_alias="ACCESSBOT_APPROVERS",
        description="Comma-separated Slack user ids (U...) and/or user group ids (S...).",
    )
    api_url: str = Field(
        default=SLACK_API_URL, validation_alias=AliasChoices("ACCESSBOT_SLACK_API_URL", "api_url")
    )
    secret_arn: str = Field(
        default="",
        validation_alias="ACCESSBOT_SECRET_ARN",
        description="Secrets Manager secret (JSON with SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN), read in AWS.",
    )

    @field_validator("api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins base_url and the method name by plain concatenation.
        return value if value.endswith("/") else value + "/"

    @property
    def approver_users(self) -> frozenset[str]:
        return frozenset(p for p in self._approver_parts() if _USER_ID.match(p))

    @property
    def approver_groups(self) -> frozenset[str]:
        return frozenset(p for p in self._approver_parts() if _GROUP_ID.match(p))

    def _approver_parts(self) -> list[str]:
        parts = [p.strip() for p in self.approvers.split(",") if p.strip()]
        bad = [p for p in parts if not (_USER_ID.match(p) or _GROUP_ID.match(p))]
        if bad:
            raise ConfigurationError(
                f"ACCESSBOT_APPROVERS: '{bad[0][:40]}' is neither a Slack user id (U...) nor a user group id (S...)"
            )
        return parts

    def with_secrets(self, *, client: Any = None) -> SlackSettings:
        """These settings with the signing secret and bot token read from ACCESSBOT_SECRET_ARN when set.

        Powertools' parameter cache keeps one Secrets Manager call per container per SECRET_MAX_AGE.
        """
        if not self.secret_arn:
            return self
        from aws_lambda_powertools.utilities import parameters

        provider = parameters.SecretsProvider(boto3_client=client) if client is not None else None
        try:
            if provider is not None:
                raw = provider.get(self.secret_arn, transform="json", max_age=SECRET_MAX_AGE)
            else:
                raw = parameters.get_secret(self.secret_arn, transform="json", max_age=SECRET_MAX_AGE)
        except Exception as error:  # any failure: name the setting, never the secret's content
            raise ConfigurationError(
                f"ACCESSBOT_SECRET_ARN: the Slack secret cannot be read ({type(error).__name__})"
            ) from None
        if not isinstance(raw, dict):
            raise ConfigurationError("ACCESSBOT_SECRET_ARN: the secret must be a JSON object")
        update: dict[str, Any] = {}
        for key, field in (("SLACK_SIGNING_SECRET", "signing_secret"), ("SLACK_BOT_TOKEN", "bot_token")):
            value = raw.get(key)
            if isinstance(value, str) and value:
                update[field] = SecretStr(value)
        return self.model_copy(update=update)

    def require(self) -> SlackSettings:
        """Fail with a clear message when what every Slack request needs is missing."""
        if not self.signing_secret.get_secret_value():
            raise ConfigurationError("SLACK_SIGNING_SECRET is not set (nor found in ACCESSBOT_SECRET_ARN)")
        if not self.bot_token.get_secret_value():
            raise ConfigurationError("SLACK_BOT_TOKEN is not set (nor found in ACCESSBOT_SECRET_ARN)")
        self._approver_parts()
        return self
