"""boto3 sessions and clients: the bot's own, and one per target account through the spoke role."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
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

    # 50 connections: one client serves many threads (account usage reports, `serve` under load).
    return Config(retries=_RETRIES, connect_timeout=5, read_timeout=20, max_pool_connections=50)  # type: ignore[arg-type]


#: Called with every client built by `make_client`. Empty in AWS; the embedded world
#: (bot.local.world) adds one that installs the access-advisor stand-in on IAM clients, because
#: moto lacks those APIs. Build clients through `make_client` so such hooks apply.
_client_hooks: list[Callable[[Any], None]] = []


def make_client(session: boto3.Session, service: str, **kwargs: Any) -> Any:
    """A client with the bot's retry/timeout config, passed through the registered client hooks."""
    client = session.client(service, config=client_config(), **kwargs)  # type: ignore[call-overload]
    for hook in list(_client_hooks):
        hook(client)
    return client


def add_client_hook(hook: Callable[[Any], None]) -> None:
    if hook not in _client_hooks:
        _client_hooks.append(hook)


def remove_client_hook(hook: Callable[[Any], None]) -> None:
    if hook in _client_hooks:
        _client_hooks.remove(hook)


_loader: list[Any] = []
_loader_lock = threading.Lock()


def _botocore_session() -> Any:
    """A new botocore session sharing the process's one data loader.

    Each session otherwise reads and decodes the JSON API models again (IAM's alone is ~1 MB): a usage
    lookup assumes the spoke role in every account, and that decoding was most of its time.
    """
    import botocore.loaders
    import botocore.session

    with _loader_lock:
        if not _loader:
            _loader.append(botocore.loaders.create_loader())
    session = botocore.session.get_session()
    session.register_component("data_loader", _loader[0])
    return session


def bot_session(region: str | None = None) -> boto3.Session:
    """The bot's own session (Lambda role credentials, or the environment's)."""
    import boto3

    return boto3.Session(region_name=region, botocore_session=_botocore_session())


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

    sts = sts or make_client(bot_session(region), "sts")
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
        botocore_session=_botocore_session(),
    )
