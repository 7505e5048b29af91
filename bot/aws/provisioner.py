"""Creates, updates and removes `accessbot-<id>` in a target account through the spoke role; every step idempotent.

A worker that dies between two steps is run again and finishes: CreatePolicy's EntityAlreadyExists is
checked against the policy's RequestId tag (never blindly reused), attaching twice is a no-op in IAM,
and deleting what is already gone is fine. botocore's standard retry mode retries throttling first.
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from bot.domain.accounts import Account
from bot.domain.lifecycle import RequestRecord
from bot.errors import ProvisioningFailed, RetryLater
from bot.lifecycle import texts
from bot.lifecycle.ports import Provisioned

logger = logging.getLogger(__name__)

MAX_VERSIONS = 5  # IAM keeps at most five versions of a managed policy
_BUSY = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceUnavailable", "ServiceFailure",
         "InternalFailure", "RequestTimeout"}
_TAG_VALUE = re.compile(r"[^\w .:/=+\-@]")
_DESCRIPTION = re.compile(r"[^\x20-\x7e]")
_PRINCIPAL = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(role|user)/(?:[\w+=,.@-]+/)*([\w+=,.@-]{1,128})$")
SessionFactory = Callable[[Account, str], Any]


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _tag(value: str) -> str:
    return _TAG_VALUE.sub("_", value)[:256]


class IamProvisioner:
    """The Provisioner port on IAM. `session_factory(account, purpose)` defaults to the spoke-role session."""

    def __init__(self, *, session_factory: SessionFactory | None = None, sts: Any = None) -> None:
        self._session_factory = session_factory
        self._sts = sts
        self._lock = threading.Lock()

    @property
    def sts(self) -> Any:
        """One STS client per process (clients are thread-safe; building one costs tens of ms)."""
        with self._lock:
            if self._sts is None:
                from bot.aws.sessions import bot_session, make_client

                self._sts = make_client(bot_session(), "sts")
            return self._sts

    def _iam(self, account: Account, record: RequestRecord) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        from bot.aws.sessions import make_client, spoke_session

        try:
            if self._session_factory is not None:
                session = self._session_factory(account, record.id)
            else:
                session = spoke_session(account, purpose=record.id, sts=self.sts)
        except ClientError as error:
            if _code(error) in _BUSY:
                raise RetryLater(texts.AWS_BUSY.format(account=account.alias)) from error
            role = account.role_arn.rsplit("/", 1)[-1]
            raise ProvisioningFailed(texts.ASSUME_DENIED.format(role=role, account=account.label)) from error
        except BotoCoreError as error:
            raise RetryLater(texts.AWS_BUSY.format(account=account.alias)) from error
        return make_client(session, "iam")

    def _call(self, iam: Any, account: Account, operation: str, *, passing: tuple[str, ...] = (), **kw: Any) -> Any:
        """One IAM call; errors in `passing` go back to the caller as ClientError, the rest become our errors."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(iam, operation)(**kw)
        except ClientError as error:
            code = _code(error)
            if code in passing:
                raise
            action = "iam:" + "".join(part.title() for part in operation.split("_"))
            if code in _BUSY:
                raise RetryLater(texts.AWS_BUSY.format(account=account.alias)) from error
            if code in {"AccessDenied", "AccessDeniedException"}:
                detail = str(error.response.get("Error", {}).get("Message", ""))[:300] or "access denied"
                raise ProvisioningFailed(texts.ACTION_DENIED.format(account=account.label, action=action,
                                                                    detail=detail)) from error
            if code == "LimitExceeded":
                detail = str(error.response.get("Error", {}).get("Message", ""))[:300]
                raise ProvisioningFailed(texts.LIMIT.format(account=account.label, detail=detail)) from error
            raise ProvisioningFailed(texts.AWS_ERROR.format(account=account.label, code=code or "error")) from error
        except BotoCoreError as error:
            raise RetryLater(texts.AWS_BUSY.format(account=account.alias)) from error

    @staticmethod
    def policy_arn(record: RequestRecord, account: Account) -> str:
        partition = account.role_arn.split(":")[1]
        return f"arn:{partition}:iam::{account.id}:policy/{record.policy_name}"

    # ---- provision ---------------------------------------------------------------------------

    def provision(self, record: RequestRecord, account: Account, *, boundary_arn: str | None) -> Provisioned:
        iam = self._iam(account, record)
        arn = self.policy_arn(record, account)
        steps = list(dict.fromkeys(record.steps))
        self._create(iam, account, record, arn)
        steps.append("created")
        if record.principal_arn:
            self._attach(iam, account, record, arn, boundary_arn)
            steps.append("attached")
        return Provisioned(policy_arn=arn, steps=tuple(dict.fromkeys(steps)))

    def _create(self, iam: Any, account: Account, record: RequestRecord, arn: str) -> None:
        from botocore.exceptions import ClientError

        document = json.dumps(record.policy, separators=(",", ":"))
        tags = [{"Key": "RequestId", "Value": record.id}, {"Key": "Requester", "Value": _tag(record.requester)},
                {"Key": "ManagedBy", "Value": "accessbot"}]
        if record.expires_at:
            tags.append({"Key": "ExpiresAt", "Value": record.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")})
        tags += [{"Key": t.key, "Value": _tag(t.value)} for t in record.request.tags
                 if t.key in {"CostCenter", "Project"} and t.value]
        description = f"AccessBot {record.id} for {record.requester}: {record.request.justification}"
        try:
            self._call(iam, account, "create_policy", passing=("EntityAlreadyExists",), PolicyName=record.policy_name,
                       PolicyDocument=document, Description=_DESCRIPTION.sub("?", description)[:1000], Tags=tags)
        except ClientError:
            self._adopt(iam, account, record, arn, document)

    def _adopt(self, iam: Any, account: Account, record: RequestRecord, arn: str, document: str) -> None:
        """The policy exists: ours from an earlier run (check its tag), with our document (else a new version)."""
        policy = self._call(iam, account, "get_policy", PolicyArn=arn)["Policy"]
        owner = {t["Key"]: t["Value"] for t in policy.get("Tags", [])}.get("RequestId")
        if owner != record.id:
            raise ProvisioningFailed(texts.NOT_OURS.format(name=record.policy_name, account=account.label))
        current = self._call(iam, account, "get_policy_version", PolicyArn=arn,
                             VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
        if _as_dict(current) != record.policy:
            self._new_version(iam, account, arn, document)

    def _attach(self, iam: Any, account: Account, record: RequestRecord, arn: str, boundary: str | None) -> None:
        from botocore.exceptions import ClientError

        principal = str(record.principal_arn)
        match = _PRINCIPAL.match(principal)
        if not match:
            raise ProvisioningFailed(texts.NO_PRINCIPAL.format(principal=principal[:200], account=account.label))
        kind, name = match.groups()
        missing = texts.NO_PRINCIPAL.format(principal=principal, account=account.label)
        try:
            if boundary:
                found = self._call(iam, account, f"get_{kind}", passing=("NoSuchEntity",),
                                   **{f"{kind.title()}Name": name})[kind.title()]
                if found.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn") != boundary:
                    raise ProvisioningFailed(texts.NO_BOUNDARY.format(principal=principal, boundary=boundary,
                                                                      account=account.label))
            self._call(iam, account, f"attach_{kind}_policy", passing=("NoSuchEntity",),
                       PolicyArn=arn, **{f"{kind.title()}Name": name})
        except ClientError as error:
            raise ProvisioningFailed(missing) from error

    def _new_version(self, iam: Any, account: Account, arn: str, document: str) -> None:
        versions = self._call(iam, account, "list_policy_versions", PolicyArn=arn)["Versions"]
        if len(versions) >= MAX_VERSIONS:
            oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
            self._call(iam, account, "delete_policy_version", PolicyArn=arn, VersionId=oldest["VersionId"])
        self._call(iam, account, "create_policy_version", PolicyArn=arn, PolicyDocument=document, SetAsDefault=True)

    def update(self, record: RequestRecord, account: Account) -> None:
        iam = self._iam(account, record)
        self._new_version(iam, account, self.policy_arn(record, account),
                          json.dumps(record.policy, separators=(",", ":")))

    # ---- revoke ------------------------------------------------------------------------------

    def revoke(self, record: RequestRecord, account: Account) -> None:
        """Detach everywhere, delete the non-default versions, delete the policy; what is gone stays gone."""
        from botocore.exceptions import ClientError

        iam = self._iam(account, record)
        arn = self.policy_arn(record, account)
        gone = ("NoSuchEntity",)
        try:
            policy = self._call(iam, account, "get_policy", passing=gone, PolicyArn=arn)["Policy"]
            if {t["Key"]: t["Value"] for t in policy.get("Tags", [])}.get("RequestId") != record.id:
                logger.warning("not removing a policy this request did not create", extra={"request": record.id})
                return
            entities = self._call(iam, account, "list_entities_for_policy", passing=gone, PolicyArn=arn)
            for role in entities.get("PolicyRoles", []):
                self._call(iam, account, "detach_role_policy", passing=gone, RoleName=role["RoleName"], PolicyArn=arn)
            for user in entities.get("PolicyUsers", []):
                self._call(iam, account, "detach_user_policy", passing=gone, UserName=user["UserName"], PolicyArn=arn)
            for version in self._call(iam, account, "list_policy_versions", passing=gone, PolicyArn=arn)["Versions"]:
                if not version["IsDefaultVersion"]:
                    self._call(iam, account, "delete_policy_version", passing=gone, PolicyArn=arn,
                               VersionId=version["VersionId"])
            self._call(iam, account, "delete_policy", passing=gone, PolicyArn=arn)
        except ClientError:
            return  # NoSuchEntity: an earlier run removed it already


def _as_dict(document: Any) -> Any:
    """boto3 decodes policy documents to dicts; some endpoints hand back URL-encoded JSON text."""
    if isinstance(document, str):
        from urllib.parse import unquote

        return json.loads(unquote(document))
    return document
