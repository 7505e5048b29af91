"""Fakes for the lifecycle's ports: a provisioner, scheduler and notifier that record what they were asked."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.accounts import Account, embedded_registry
from bot.domain.lifecycle import RequestRecord
from bot.domain.models import AccessRequest, Actor, Decision, Front, Grant, ValidationResult
from bot.domain.rules import load_rules
from bot.errors import RetryLater
from bot.lifecycle.memory import InlineJobs, MemoryStore
from bot.lifecycle.ports import Change, Provisioned
from bot.lifecycle.service import RequestService
from bot.lifecycle.worker import LifecycleWorker

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ALICE = Actor(id="alice", front=Front.WEB)
SAM = Actor(id="sam", front=Front.WEB, groups=frozenset({"accessbot-approvers"}))
JO = Actor(id="jo", front=Front.SLACK, groups=frozenset({"accessbot-approvers"}))
MALLORY = Actor(id="mallory", front=Front.WEB)
ADVISORY = ValidationResult(decision=Decision.ALLOW, findings=())


def write_request(account: str = "sandbox", hours: int | None = 4, *, levels: tuple[str, ...] = ("Write",),
                  bucket: str = "reports") -> AccessRequest:
    grant = Grant(service="s3", access_levels=levels, resources=(bucket,), resource_type="object")  # type: ignore[arg-type]
    return AccessRequest(account=account, grants=(grant,), duration=timedelta(hours=hours) if hours else None,
                         justification="monthly report", regions=("us-east-1",))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class FakeProvisioner:
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail: Exception | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def provision(self, record: RequestRecord, account: Account, *, boundary_arn: str | None) -> Provisioned:
        with self.lock:
            self.calls.append(("provision", record.id))
        if self.fail is not None:
            raise self.fail
        return Provisioned(f"arn:aws:iam::{account.id}:policy/accessbot-{record.id}", ("created", "attached"))

    def update(self, record: RequestRecord, account: Account) -> None:
        self.calls.append(("update", record.id))

    def revoke(self, record: RequestRecord, account: Account) -> None:
        self.calls.append(("revoke", record.id))


@dataclass
class FakeScheduler:
    schedules: dict[str, tuple[datetime, dict[str, Any]]] = field(default_factory=dict)

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        self.schedules[name] = (at, payload)

    def cancel(self, name: str) -> None:
        self.schedules.pop(name, None)


@dataclass
class FakeNotifier:
    sent: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False

    def send(self, change: Change, notify: dict[str, str]) -> dict[str, str]:
        if self.down:
            error = RetryLater("Slack is unavailable")
            error.notify = {**notify, "seen": "1"}  # type: ignore[attr-defined]
            raise error
        self.sent.append((change.kind, change.record.id))
        return {**notify, change.event_id: "sent"}


@dataclass
class Harness:
    service: RequestService
    worker: LifecycleWorker
    store: MemoryStore
    provisioner: FakeProvisioner
    scheduler: FakeScheduler
    notifier: FakeNotifier
    clock: Clock


def harness() -> Harness:
    store, provisioner, scheduler, notifier, clock = (MemoryStore(), FakeProvisioner(), FakeScheduler(),
                                                      FakeNotifier(), Clock())
    holder: list[LifecycleWorker] = []
    service = RequestService(store, registry=embedded_registry(), rules=load_rules(), scheduler=scheduler,
                             jobs=InlineJobs(lambda *a, **k: holder[0].run(*a, **k)),  # noqa: PLW0108 (bound below)
                             notifier=notifier, now=clock)
    holder.append(LifecycleWorker(service, provisioner))
    return Harness(service, holder[0], store, provisioner, scheduler, notifier, clock)
