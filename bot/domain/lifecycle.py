"""The request state machine: records, audit events, and the pure transitions between states."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.models import AccessRequest, Actor, Finding, Front, PolicyDocument
from bot.errors import Conflict, Forbidden, InvalidInput

#: The approver claim (Slack's approver directory and the web identity provider both send it).
APPROVER_GROUP = "accessbot-approvers"
#: Who acts when nobody does: auto-approval, timeouts, expiry.
SYSTEM = "AccessBot"
#: Request ids: `AR-` and five characters without 0/O, 1/I/L, so they read aloud and type back safely.
ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ID_LENGTH = 5


class Status(StrEnum):
    """DESIGN.md's states. PENDING_APPROVAL → APPROVED → PROVISIONING → ACTIVE → EXPIRED | REVOKED."""

    PENDING_APPROVAL = "PENDING_APPROVAL"
    APPROVED = "APPROVED"
    PROVISIONING = "PROVISIONING"
    ACTIVE = "ACTIVE"
    DENIED = "DENIED"
    CANCELLED = "CANCELLED"
    TIMED_OUT = "TIMED_OUT"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


FINAL = frozenset({Status.DENIED, Status.CANCELLED, Status.TIMED_OUT, Status.EXPIRED, Status.REVOKED})
#: States in which access exists or is being created: each needs the full set of approvals.
GRANTING = frozenset({Status.APPROVED, Status.PROVISIONING, Status.ACTIVE})

#: Every legal move. Anything else is refused with Conflict; the hypothesis test walks this graph.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING_APPROVAL: frozenset(
        {Status.PENDING_APPROVAL, Status.APPROVED, Status.DENIED, Status.CANCELLED, Status.TIMED_OUT}
    ),
    Status.APPROVED: frozenset({Status.PROVISIONING, Status.CANCELLED}),
    Status.PROVISIONING: frozenset({Status.PROVISIONING, Status.ACTIVE, Status.FAILED}),
    Status.FAILED: frozenset({Status.PROVISIONING, Status.CANCELLED}),
    # ACTIVE → ACTIVE: an approval of an extension is recorded, or the extension is granted.
    Status.ACTIVE: frozenset({Status.ACTIVE, Status.EXPIRED, Status.REVOKED}),
}


class Extension(BaseModel):
    """A pending request for more time on an ACTIVE grant: a new approval round."""

    model_config = ConfigDict(frozen=True)

    duration: timedelta
    requested_at: datetime
    approvals: tuple[str, ...] = ()


class AuditEvent(BaseModel):
    """One transition: who, when, from which front, previous and new state, why."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    seq: int
    at: datetime
    actor: str
    front: Front
    action: str
    before: Status | None
    after: Status
    reason: str | None = None


class RequestRecord(BaseModel):
    """A request as stored: the request, its validated policy, approvals and provisioning progress."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: int = 0
    status: Status
    requester: str
    front: Front
    request: AccessRequest
    account_id: str
    account_alias: str
    account_type: str
    policy: PolicyDocument
    findings: tuple[Finding, ...] = ()
    approvals_required: int = Field(ge=1)
    approvals: tuple[str, ...] = ()
    decided_by: str | None = None
    reason: str | None = None
    created_at: datetime
    updated_at: datetime
    decide_by: datetime | None = Field(default=None, description="Pending requests time out then.")
    principal_arn: str | None = None
    policy_arn: str | None = None
    activated_at: datetime | None = None
    expires_at: datetime | None = None
    steps: tuple[str, ...] = Field(default=(), description="Provisioning steps done (resumable).")
    failure: str | None = None
    extension: Extension | None = None
    events: int = Field(default=0, description="Audit events written so far (the next event's seq).")

    @property
    def policy_name(self) -> str:
        return policy_name(self.id)


def policy_name(request_id: str) -> str:
    """`accessbot-<request id>`: the spoke role may manage only policies named accessbot-*."""
    return f"accessbot-{request_id}"


def new_request_id() -> str:
    return "AR-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def is_approver(actor: Actor) -> bool:
    return APPROVER_GROUP in actor.groups


def move(
    record: RequestRecord,
    after: Status,
    *,
    actor: str,
    front: Front,
    action: str,
    now: datetime,
    reason: str | None = None,
    remember: bool = False,
    **changes: object,
) -> tuple[RequestRecord, AuditEvent]:
    """The record after a legal transition, and its audit event (`remember`: the record keeps the reason too)."""
    if after not in TRANSITIONS.get(record.status, frozenset()):
        raise Conflict(f"{record.id} is {record.status.value.lower().replace('_', ' ')}: it cannot be {action}.")
    event = AuditEvent(
        request_id=record.id, seq=record.events, at=now, actor=actor, front=front, action=action,
        before=record.status, after=after, reason=reason,
    )
    if remember:
        changes["reason"] = reason
    moved = record.model_copy(update={"status": after, "updated_at": now, "events": record.events + 1, **changes})
    if moved.status in GRANTING:
        check_granting(moved)
    return moved, event


def check_granting(record: RequestRecord) -> None:
    """The invariant: access only with enough distinct approvers, none of them the requester."""
    approvers = set(record.approvals)
    if record.requester in approvers or len(approvers) != len(record.approvals):
        raise Forbidden("An approval list may not hold the requester or the same approver twice.")
    if record.decided_by != SYSTEM and len(approvers) < record.approvals_required:
        raise Conflict(f"{record.id} needs {record.approvals_required} approvals before access is granted.")


def approve(record: RequestRecord, actor: Actor, now: datetime) -> tuple[RequestRecord, AuditEvent]:
    """Record `actor`'s approval; APPROVED once enough distinct approvers have said yes."""
    _may_decide(record, actor)
    if record.status is Status.ACTIVE and record.extension is not None:
        return _approve_extension(record, actor, now)
    if record.status is not Status.PENDING_APPROVAL:
        raise Conflict(_already(record))
    if actor.id in record.approvals:
        raise Conflict(f"You already approved {record.id}; it needs another approver.")
    approvals = (*record.approvals, actor.id)
    done = len(approvals) >= record.approvals_required
    return move(
        record, Status.APPROVED if done else Status.PENDING_APPROVAL, actor=actor.id, front=actor.front,
        action="approved" if done else "approval recorded", now=now, approvals=approvals,
        decided_by=actor.id if done else None,
    )


def _approve_extension(record: RequestRecord, actor: Actor, now: datetime) -> tuple[RequestRecord, AuditEvent]:
    extension = record.extension
    assert extension is not None
    if actor.id in extension.approvals:
        raise Conflict(f"You already approved the extension of {record.id}; it needs another approver.")
    approvals = (*extension.approvals, actor.id)
    if len(approvals) < record.approvals_required:
        return move(record, Status.ACTIVE, actor=actor.id, front=actor.front, action="extension approval recorded",
                    now=now, extension=extension.model_copy(update={"approvals": approvals}))
    base = max(record.expires_at or now, now)
    return move(record, Status.ACTIVE, actor=actor.id, front=actor.front, action="extended", now=now,
                expires_at=base + extension.duration, extension=None, reason=None)


def deny(record: RequestRecord, actor: Actor, reason: str | None, now: datetime) -> tuple[RequestRecord, AuditEvent]:
    _may_decide(record, actor)
    if not reason or not reason.strip():
        raise InvalidInput("A denial needs a reason: say why, e.g. `deny AR-7F3K2: too broad`.")
    reason = reason.strip()[:1000]
    if record.status is Status.ACTIVE and record.extension is not None:
        return move(record, Status.ACTIVE, actor=actor.id, front=actor.front, action="extension denied", now=now,
                    reason=reason, remember=True, extension=None)
    if record.status is not Status.PENDING_APPROVAL:
        raise Conflict(_already(record))
    return move(record, Status.DENIED, actor=actor.id, front=actor.front, action="denied", now=now,
                reason=reason, remember=True, decided_by=actor.id)


def refusal(message: str, actor: Actor) -> Forbidden:
    """A Forbidden that names who was refused, so the service can audit the attempt."""
    refused = Forbidden(message)
    refused.actor = actor  # type: ignore[attr-defined]
    return refused


def _may_decide(record: RequestRecord, actor: Actor) -> None:
    if not is_approver(actor):
        raise refusal("Only the security team can approve or deny requests.", actor)
    if actor.id == record.requester:
        raise refusal("You cannot approve your own request.", actor)


def _already(record: RequestRecord) -> str:
    who = f" by {record.decided_by}" if record.decided_by else ""
    state = record.status.value.lower().replace("_", " ")
    if record.status in GRANTING or record.status in {Status.EXPIRED, Status.REVOKED, Status.FAILED}:
        return f"{record.id} was already approved{who} (now {state})."
    return f"{record.id} is already {state}{who}."


def can_cancel(record: RequestRecord, actor: Actor) -> None:
    if actor.id != record.requester and not is_approver(actor):
        raise refusal("Only the requester or the security team can cancel a request.", actor)
    if record.status not in {Status.PENDING_APPROVAL, Status.APPROVED, Status.FAILED}:
        if record.status is Status.ACTIVE:
            raise Conflict(f"{record.id} is active: ask the security team to revoke it.")
        raise Conflict(_already(record))


def extend(record: RequestRecord, actor: Actor, duration: timedelta, limit: timedelta | None,
           now: datetime) -> tuple[RequestRecord, AuditEvent]:
    """Ask for more time: a new approval round on the ACTIVE grant (the grant stays as it is meanwhile)."""
    if actor.id != record.requester:
        raise refusal("Only the requester can ask to extend their access.", actor)
    if record.status is not Status.ACTIVE:
        raise Conflict(f"Only active access can be extended; {record.id} is {record.status.value.lower()}.")
    if record.expires_at is None:
        raise Conflict(f"{record.id} does not expire: there is nothing to extend.")
    if limit is not None and duration > limit:
        raise InvalidInput(f"The longest extension the rules allow in {record.account_alias} is {limit}.")
    extension = Extension(duration=duration, requested_at=now)
    return move(record, Status.ACTIVE, actor=actor.id, front=actor.front, action="extension requested", now=now,
                extension=extension)
