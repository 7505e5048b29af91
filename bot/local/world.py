"""The embedded AWS: moto's server in-process, seeded with the security account and the target accounts.

Accounts in moto are chosen by credentials: an access key belongs to the account it was made in,
and AssumeRole returns keys of the role's account. So the bot gets an IAM user's key in the
security account, and its spoke sessions land in each target account, as in AWS.
(MOTO_ACCOUNT_ID would force every call into one account, so it is deliberately not set.)
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from bot.aws.sessions import add_client_hook, remove_client_hook
from bot.domain.accounts import (
    DEFAULT_SPOKE_ROLE,
    EMBEDDED_EXTERNAL_ID,
    EMBEDDED_SECURITY_ACCOUNT,
    AccountRegistry,
    embedded_registry,
)
from bot.local.seed import BUCKETS, DEMO_ROLES, SPOKE_POLICY, doc, statement, trust

log = logging.getLogger(__name__)

DEFAULT_AWS_PORT = 4566
REGION = "us-east-1"
BOT_USER = "accessbot-local"
SEED_ROLE = "accessbot-seed"
_SEED_KEY = ("testing", "testing")  # moto's default account, only used to assume the seed roles
_ENV_KEYS = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_PROFILE",
    "ACCESSBOT_REGION",
    "ACCESSBOT_TABLE_NAME",
)


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def kwargs(self) -> dict[str, Any]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }


def _install_advisor(client: Any) -> None:
    """Client hook: IAM clients get the access-advisor stand-in (moto lacks those APIs)."""
    if client.meta.service_model.service_name != "iam":
        return
    try:
        advisor = import_module("bot.local.advisor_world")
    except ImportError:  # the stand-in is optional: usage reports then say the data is missing
        return
    advisor.install(client)


def _check_free(host: str, port: int) -> None:
    """OSError when something listens on the port: moto's server thread would die there and start() wait forever."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        probe.bind((host, port))


class EmbeddedWorld:
    """Start, seed and stop the embedded AWS; `export()` points this process's boto3 at it."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_AWS_PORT,
        table_name: str = "accessbot",
        registry: AccountRegistry | None = None,
    ) -> None:
        self.host, self.port, self.table_name = host, port, table_name
        self.registry = registry or embedded_registry()
        self.bot_credentials: Credentials | None = None
        self._server: Any = None
        self._saved_env: dict[str, str | None] = {}

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> EmbeddedWorld:
        from moto.server import ThreadedMotoServer

        from bot.local.moto_atomic import serialize_dynamodb

        serialize_dynamodb()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call otherwise
        if self.port:
            _check_free(self.host, self.port)
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        self._server.start()
        self.port = self._server.get_host_and_port()[1]  # port 0: the one the system picked
        try:
            self._reset()
            self.seed()
            self.export()
        except Exception:
            self.stop()
            raise
        return self

    def _reset(self) -> None:
        """moto's state lives in this process: start each world empty (tests start several)."""
        from urllib.request import Request, urlopen

        with urlopen(Request(f"{self.endpoint}/moto-api/reset", method="POST"), timeout=10):  # noqa: S310 (loopback)
            pass

    def stop(self) -> None:
        remove_client_hook(_install_advisor)
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}
        self._reset_cached_settings()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def export(self) -> None:
        """Point this process's boto3 clients (and bot settings) at the embedded world."""
        assert self.bot_credentials is not None
        self._saved_env = {key: os.environ.get(key) for key in _ENV_KEYS}
        for key in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
            os.environ.pop(key, None)
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint,
                "AWS_ACCESS_KEY_ID": self.bot_credentials.access_key_id,
                "AWS_SECRET_ACCESS_KEY": self.bot_credentials.secret_access_key,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "ACCESSBOT_REGION": REGION,
                "ACCESSBOT_TABLE_NAME": self.table_name,
            }
        )
        add_client_hook(_install_advisor)
        self._reset_cached_settings()

    @staticmethod
    def _reset_cached_settings() -> None:
        from bot.settings import get_settings

        get_settings.cache_clear()

    # -- clients -------------------------------------------------------------------------------
    def client(self, service: str, account: str | None = None) -> Any:
        """A client in `account` (default: the security account), for seeding, tests and demos."""
        import boto3

        credentials = self.account_credentials(account or self.registry.security_account_id)
        session: Any = boto3.Session(region_name=REGION, **credentials.kwargs())
        return session.client(service, endpoint_url=self.endpoint)

    def account_credentials(self, account: str) -> Credentials:
        """Keys in `account`: the bot's own in the security account, an assumed seed role elsewhere."""
        import boto3

        if account == self.registry.security_account_id and self.bot_credentials is not None:
            return self.bot_credentials
        sts = boto3.client(
            "sts", endpoint_url=self.endpoint, region_name=REGION,
            aws_access_key_id=_SEED_KEY[0], aws_secret_access_key=_SEED_KEY[1],
        )
        found = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{SEED_ROLE}", RoleSessionName="accessbot-seed")
        keys = found["Credentials"]
        return Credentials(keys["AccessKeyId"], keys["SecretAccessKey"], keys["SessionToken"])

    # -- seeding -------------------------------------------------------------------------------
    def seed(self) -> None:
        self._seed_security_account()
        for account in self.registry.accounts:
            self._seed_target(account.id, account.alias)

    def _seed_security_account(self) -> None:
        security = self.registry.security_account_id
        iam = self.client("iam", security)
        iam.create_user(UserName=BOT_USER, Tags=[{"Key": "app", "Value": "accessbot"}])
        iam.put_user_policy(
            UserName=BOT_USER,
            PolicyName="assume-spoke-roles",
            PolicyDocument=doc(statement("Allow", ["sts:AssumeRole"], f"arn:aws:iam::*:role/{DEFAULT_SPOKE_ROLE}")),
        )
        key = iam.create_access_key(UserName=BOT_USER)["AccessKey"]
        self.bot_credentials = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
        store = import_module("bot.aws.store")
        store.create_table(self.client("dynamodb", security), self.table_name)

    def _seed_target(self, account_id: str, alias: str) -> None:
        iam = self.client("iam", account_id)
        iam.create_role(
            RoleName=DEFAULT_SPOKE_ROLE,
            AssumeRolePolicyDocument=trust(f"arn:aws:iam::{EMBEDDED_SECURITY_ACCOUNT}:root", EMBEDDED_EXTERNAL_ID),
            Description="Assumed by AccessBot from the security account to manage its policies.",
        )
        iam.put_role_policy(
            RoleName=DEFAULT_SPOKE_ROLE, PolicyName="accessbot-provisioning", PolicyDocument=SPOKE_POLICY
        )
        for name, holdings in DEMO_ROLES.items():
            if alias not in holdings.get("only", (alias,)):
                continue
            iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=trust(f"arn:aws:iam::{account_id}:root"),
                Tags=[{"Key": "team", "Value": name.removesuffix("Role").lower()}],
            )
            for policy_name, document in holdings["managed"].items():
                arn = iam.create_policy(PolicyName=policy_name, PolicyDocument=document)["Policy"]["Arn"]
                iam.attach_role_policy(RoleName=name, PolicyArn=arn)
            for policy_name, document in holdings["inline"].items():
                iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=document)
        s3 = self.client("s3", account_id)
        for bucket in BUCKETS.get(alias, []):
            s3.create_bucket(Bucket=bucket)
