"""Access-advisor reports, pure: which principal, what its policies grant, what it used and when."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import usage_texts as texts
from bot.errors import InvalidInput

# IAM reports activity for the last 400 days.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html#last-accessed_tracking-period
TRACKING_DAYS = 400
DEFAULT_DAYS = 90
MAX_ARN_LENGTH = 2048
# ARNs of IAM identities and customer managed policies: path segments and names use IAM's name characters.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
_PRINCIPAL_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::"
    r"(?P<account>\d{12}):(?P<kind>role|user|group|policy)(?P<path>/(?:[\w+=,.@-]+/){0,32})(?P<name>[\w+=,.@-]+)$",
    re.ASCII,
)
_NAME_LIMITS = {"role": 64, "user": 64, "group": 128, "policy": 128}
_PATH_LIMIT = 512
_ACCOUNT_WORDS = re.compile(r"^\s*account\s+(?P<account>[A-Za-z0-9-]{1,64})\s*$", re.IGNORECASE)
_SHOWN = re.compile(r"[^\x20-\x7e]")


class Kind(StrEnum):
    ROLE = "role"
    USER = "user"
    GROUP = "group"
    POLICY = "policy"


class Use(StrEnum):
    """A service's or action's use in the window: used in it, used before it, or not in the tracking period."""

    USED = "used"
    STALE = "stale"
    NEVER = "never"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Principal(_Frozen):
    """An IAM identity or customer managed policy, from a validated ARN."""

    arn: str
    partition: str
    account_id: str
    kind: Kind
    path: str
    name: str


def shown(text: str, limit: int = 80) -> str:
    """Hostile text as it may be echoed back: printable ASCII only, cut to `limit`."""
    cleaned = _SHOWN.sub("?", text[: limit + 1])
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def parse_principal(text: str) -> Principal:
    """A role, user, group or policy ARN, strictly checked; InvalidInput naming the text otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(texts.NO_ARN)
    arn = text.strip()
    found = _PRINCIPAL_ARN.fullmatch(arn) if len(arn) <= MAX_ARN_LENGTH else None
    if found is None:
        raise InvalidInput(texts.BAD_ARN.format(text=shown(arn)))
    kind, name, path = found["kind"], found["name"], found["path"]
    if len(name) > _NAME_LIMITS[kind] or len(path) > _PATH_LIMIT:
        raise InvalidInput(texts.BAD_ARN.format(text=shown(arn)))
    return Principal(
        arn=arn, partition=found["partition"], account_id=found["account"], kind=Kind(kind), path=path, name=name
    )


def account_words(text: str) -> str | None:
    """The alias or id in "account sandbox" (a whole-account report), else None."""
    found = _ACCOUNT_WORDS.fullmatch(text) if isinstance(text, str) and len(text) <= 200 else None
    return found["account"] if found else None


def check_days(days: object) -> int:
    """The report window in days: a whole number from 1 to the tracking period."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TRACKING_DAYS:
        raise InvalidInput(texts.BAD_DAYS.format(limit=TRACKING_DAYS))
    return days


class ActionUsage(_Frozen):
    """One tracked action (AWS tracks some services' actions): its last use, if any."""

    name: str
    last_used: datetime | None = None
    entity: str | None = None
    region: str | None = None


class EntityUsage(_Frozen):
    """A user or role that used a service through a group or policy (GetServiceLastAccessedDetailsWithEntities)."""

    name: str
    kind: str
    arn: str
    last_used: datetime | None = None


class ServiceUsage(_Frozen):
    """One service the principal's policies allow, and its last use."""

    namespace: str
    name: str
    last_used: datetime | None = None
    entity: str | None = None
    region: str | None = None
    entities: int = 0
    tracked_actions: tuple[ActionUsage, ...] | None = Field(
        default=None, description="None: AWS does not track this service's actions."
    )
    used_by: tuple[EntityUsage, ...] = ()
    granted_by: tuple[str, ...] = Field(default=(), description="Policies granting it (unused services only).")


class UsageReport(_Frozen):
    """Granted vs used for one principal over a window of `days`, as of `now`."""

    principal: Principal
    account: str
    days: int
    now: datetime
    job_completed: datetime | None = None
    services: tuple[ServiceUsage, ...]

    @property
    def cutoff(self) -> datetime:
        return self.now - timedelta(days=self.days)

    def use_of(self, when: datetime | None) -> Use:
        if when is None:
            return Use.NEVER
        return Use.USED if when >= self.cutoff else Use.STALE

    def service(self, namespace: str) -> ServiceUsage | None:
        return next((s for s in self.services if s.namespace == namespace.lower()), None)

    def used(self) -> list[ServiceUsage]:
        return [s for s in self.services if self.use_of(s.last_used) is Use.USED]

    def unused(self) -> list[ServiceUsage]:
        """Granted but not used in the window: used before it, or never in the tracking period."""
        return [s for s in self.services if self.use_of(s.last_used) is not Use.USED]

    def tracked(self) -> list[tuple[ServiceUsage, ActionUsage]]:
        return [(s, a) for s in self.services for a in s.tracked_actions or ()]

    def unused_actions(self) -> list[tuple[ServiceUsage, ActionUsage]]:
        """Tracked actions of used services that were not used in the window (unused services count whole)."""
        return [
            (s, a) for s in self.used() for a in s.tracked_actions or () if self.use_of(a.last_used) is not Use.USED
        ]

    def last_used(self) -> datetime | None:
        return max((s.last_used for s in self.services if s.last_used is not None), default=None)

    def as_json(self) -> dict[str, Any]:
        """The stable `accessbot usage --json` shape for one principal."""
        return {
            "status": "done",
            "principal": self.principal.arn,
            "kind": self.principal.kind.value,
            "account": self.account,
            "days": self.days,
            "generated_at": _iso(self.job_completed),
            "summary": {"granted": len(self.services), "used": len(self.used()), "unused": len(self.unused())},
            "services": [
                {
                    "namespace": s.namespace,
                    "name": s.name,
                    "status": self.use_of(s.last_used).value,
                    "last_used": _iso(s.last_used),
                    "entity": s.entity,
                    "region": s.region,
                    "granted_by": list(s.granted_by),
                    "used_by": [{"name": e.name, "kind": e.kind, "last_used": _iso(e.last_used)} for e in s.used_by],
                    "tracked_actions": None
                    if s.tracked_actions is None
                    else [
                        {"action": f"{s.namespace}:{a.name}", "status": self.use_of(a.last_used).value,
                         "last_used": _iso(a.last_used), "entity": a.entity}
                        for a in s.tracked_actions
                    ],
                }
                for s in self.services
            ],
        }


class RoleRow(_Frozen):
    """One role of an account report."""

    name: str
    arn: str
    granted: int = 0
    unused: int = 0
    last_used: datetime | None = None
    error: str | None = None

    @property
    def unused_share(self) -> float:
        return self.unused / self.granted if self.granted else 0.0


class AccountReport(_Frozen):
    """Every role of an account, most unused first; `pending` roles were still running at the deadline."""

    account: str
    account_id: str
    days: int
    now: datetime
    rows: tuple[RoleRow, ...]
    total: int
    pending: int = 0
    capped: bool = False

    @property
    def checked(self) -> int:
        return len(self.rows)

    def as_json(self) -> dict[str, Any]:
        """The stable `accessbot usage --json` shape for an account."""
        return {
            "status": "partial" if self.pending else "done",
            "account": self.account,
            "account_id": self.account_id,
            "days": self.days,
            "total": self.total,
            "checked": self.checked,
            "pending": self.pending,
            "roles": [
                {"name": r.name, "arn": r.arn, "granted": r.granted, "unused": r.unused,
                 "last_used": _iso(r.last_used), "error": r.error}
                for r in self.rows
            ],
        }


class Pending(_Frozen):
    """The report is not ready: the job is still running (and cached for the next ask)."""

    name: str
    arn: str

    def as_json(self) -> dict[str, Any]:
        return {"status": "running", "principal": self.arn}


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z") if when else None


def role_row(report: UsageReport) -> RoleRow:
    """An account report's row for one role's report."""
    return RoleRow(
        name=report.principal.name,
        arn=report.principal.arn,
        granted=len(report.services),
        unused=len(report.unused()),
        last_used=report.last_used(),
    )


def sort_rows(rows: Iterable[RoleRow]) -> tuple[RoleRow, ...]:
    """Most unused first: unused services, then the unused share, then the longest idle; failures last."""
    return tuple(
        sorted(
            rows,
            key=lambda r: (
                r.error is not None,
                -r.unused,
                -r.unused_share,
                r.last_used is not None,
                (r.last_used or datetime.min.replace(tzinfo=UTC)).timestamp(),
                r.name.lower(),
            ),
        )
    )


def ago(when: datetime | None, now: datetime) -> str:
    """A last-use time for people: "never", "just now", "3 hours ago", "yesterday", "12 days ago"."""
    if when is None:
        return texts.NEVER
    seconds = max((now - when).total_seconds(), 0.0)
    if seconds < 60:
        return texts.JUST_NOW
    if seconds < 3600:
        return texts.MINUTES_AGO.format(n=int(seconds // 60))
    if seconds < 86400:
        return texts.HOURS_AGO.format(n=int(seconds // 3600))
    days = int(seconds // 86400)
    return texts.YESTERDAY if days == 1 else texts.DAYS_AGO.format(n=days)


def days_since(when: datetime, now: datetime) -> float:
    """Days since a last use, to one decimal (the charts' value)."""
    return round(max((now - when).total_seconds(), 0.0) / 86400, 1)
