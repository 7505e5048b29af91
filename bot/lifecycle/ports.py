"""What the request service needs from the outside world, as protocols (adapters live in bot/aws, bot/slack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.accounts import Account
from bot.domain.lifecycle import AuditEvent, RequestRecord, Status


class Store(Protocol):
    """Requests, audit events and idempotency keys. Every save is conditional on the record's version."""

    def create(self, record: RequestRecord, event: AuditEvent, *, idempotency_key: str | None = None) -> str:
        """Store a new record with its first event; returns the id (an earlier one when the key was used)."""
        ...

    def get(self, request_id: str) -> RequestRecord | None: ...

    def save(self, record: RequestRecord, event: AuditEvent, *, expected_version: int) -> bool:
        """Write `record` (version + 1) and `event` atomically; False when someone else wrote first."""
        ...

    def note(self, event: AuditEvent) -> None:
        """An audit event that changes nothing (a refused approval): kept beside the transitions."""
        ...

    def events(self, request_id: str) -> list[AuditEvent]:
        """Transitions and notes, in time order."""
        ...

    def by_requester(self, requester: str, *, limit: int = 20) -> list[RequestRecord]: ...

    def by_status(self, status: Status, *, limit: int = 50) -> list[RequestRecord]: ...

    def notify_state(self, request_id: str) -> dict[str, str]: ...

    def set_notify_state(self, request_id: str, notify: dict[str, str]) -> None:
        """Front bookkeeping (Slack's card ts, what was sent): not a transition, so not versioned."""
        ...


@dataclass(frozen=True)
class Provisioned:
    policy_arn: str
    steps: tuple[str, ...]


class Provisioner(Protocol):
    """Creates and removes `accessbot-<id>` in the target account; every step idempotent."""

    def provision(self, record: RequestRecord, account: Account, *, boundary_arn: str | None) -> Provisioned: ...

    def update(self, record: RequestRecord, account: Account) -> None:
        """Replace the policy's document (an extension moves its aws:CurrentTime bound)."""
        ...

    def revoke(self, record: RequestRecord, account: Account) -> None: ...


class Scheduler(Protocol):
    """One-time schedules that call the `expiry` entry point with `payload` at `at`."""

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None: ...

    def cancel(self, name: str) -> None: ...


@dataclass(frozen=True)
class Change:
    """Something that happened to a request, for the fronts to tell people (the Slack card, thread, DM)."""

    kind: str
    record: RequestRecord
    event_id: str
    who: str | None = None
    reason: str | None = None
    missing: int = 0


class Notifier(Protocol):
    """Tells people; returns the new front bookkeeping. Raises RetryLater (with `.notify`) when it could not."""

    def send(self, change: Change, notify: dict[str, str]) -> dict[str, str]: ...


class Jobs(Protocol):
    """Slow work (provisioning, revocation) run by the worker: inline locally, an async Lambda in AWS."""

    def start(self, job: str, request_id: str, **extra: Any) -> None: ...
