"""boto3 sessions and clients: the bot's own, and one per target account through the spoke role."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config

    from bot.domain.accounts import Account

# Standard retry mode: exponential backoff with jitter on throttling and transient errors.
# https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
_RETRIES = {"mode": "standard", "max_attempts": 5}
_SESSION_NAME = re.compile(r"[^\w+=,.@-]")
SPOKE_SESSION_SECONDS = 900  # the shortest STS allows: each use assumes afresh


def client_config() -> Config:
    from botocore.config import Config

    return Config(retries=_RETRIES, connect_timeout=5, read_timeout=20)  # type: ignore[arg-type]


def bot_session(region: str | None = None) -> boto3.Session:
    """The bot's own session (Lambda role credentials, or the environment's)."""
    import boto3

    return boto3.Session(region_name=region)


def session_name(purpose: str) -> str:
    """An STS RoleSessionName that names why we assumed the role (CloudTrail shows it)."""
    return _SESSION_NAME.sub("-", f"accessbot-{purpose}")[:64]


def spoke_session(account: Account, *, purpose: str, sts: Any = None, region: str | None = None) -> boto3.Session:
    """A session in the target account through its spoke role, with the account's ExternalId.

    `purpose` names the request or job ("AR-7F3K2", "usage"), so CloudTrail in the target account
    shows which request each call served. Errors propagate as botocore ClientError for the caller
    to translate (AccessDenied on AssumeRole means missing trust or sts:AssumeRole permission).
    """
    import boto3

    sts = sts or bot_session(region).client("sts", config=client_config())
    credentials = sts.assume_role(
        RoleArn=account.role_arn,
        RoleSessionName=session_name(purpose),
        ExternalId=account.external_id,
        DurationSeconds=SPOKE_SESSION_SECONDS,
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region or sts.meta.region_name,
    )
