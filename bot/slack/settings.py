"""Slack front settings (SLACK_*, ACCESSBOT_SECURITY_CHANNEL, ...), with secrets from Secrets Manager in AWS.

A frozen dataclass read with os.environ, not pydantic-settings: every cold Slack ack reads these
strings, and importing pydantic and pydantic-settings costs about 100 ms of that ack (docs/slack.md,
"Numbers"), more than everything else AccessBot adds to a bare bolt app.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.errors import ConfigurationError

#: Slack's Web API; tests and local runs point ACCESSBOT_SLACK_API_URL at a stand-in instead.
SLACK_API_URL = "https://slack.com/api/"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,20}$")
#: Secrets Manager answers are cached this long (seconds): one call per warm container, rotation still lands.
SECRET_MAX_AGE = 300
#: field -> environment variable.
ENVIRONMENT = {
    "signing_secret": "SLACK_SIGNING_SECRET",
    "bot_token": "SLACK_BOT_TOKEN",
    "app_token": "SLACK_APP_TOKEN",
    "security_channel": "ACCESSBOT_SECURITY_CHANNEL",
    "approvers": "ACCESSBOT_APPROVERS",
    "api_url": "ACCESSBOT_SLACK_API_URL",
    "secret_arn": "ACCESSBOT_SECRET_ARN",
}


@dataclass(frozen=True)
class SlackSettings:
    """Everything the Slack front reads from the environment. The secrets stay out of repr (and so out of logs)."""

    signing_secret: str = field(default="", repr=False)
    bot_token: str = field(default="", repr=False)
    #: xapp-... for Socket Mode (`accessbot serve` only).
    app_token: str = field(default="", repr=False)
    #: Channel id of the request cards.
    security_channel: str = ""
    #: Comma-separated Slack user ids (U...) and/or user group ids (S...).
    approvers: str = ""
    api_url: str = SLACK_API_URL
    #: Secrets Manager secret (JSON with SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN), read in AWS.
    secret_arn: str = ""

    def __post_init__(self) -> None:
        # slack_sdk joins base_url and the method name by plain concatenation.
        if not self.api_url.endswith("/"):
            object.__setattr__(self, "api_url", self.api_url + "/")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SlackSettings:
        """The settings in `environ` (default: the process environment); unset variables keep their defaults."""
        environ = os.environ if environ is None else environ
        found = {name: environ[variable] for name, variable in ENVIRONMENT.items() if environ.get(variable)}
        return cls(**found)

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
        update: dict[str, str] = {}
        for key, name in (("SLACK_SIGNING_SECRET", "signing_secret"), ("SLACK_BOT_TOKEN", "bot_token")):
            value = raw.get(key)
            if isinstance(value, str) and value:
                update[name] = value
        return replace(self, **update)

    def require(self) -> SlackSettings:
        """Fail with a clear message when what every Slack request needs is missing."""
        if not self.signing_secret:
            raise ConfigurationError("SLACK_SIGNING_SECRET is not set (nor found in ACCESSBOT_SECRET_ARN)")
        if not self.bot_token:
            raise ConfigurationError("SLACK_BOT_TOKEN is not set (nor found in ACCESSBOT_SECRET_ARN)")
        self._approver_parts()
        return self
