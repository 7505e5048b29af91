"""In-process adapters for the ports: a store with DynamoDB's conditional semantics, jobs run inline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from bot.domain.lifecycle import AuditEvent, RequestRecord, Status


class MemoryStore:
    """The Store protocol in memory, with the same version checks as the DynamoDB store (tests, benchmarks)."""

    def __init__(self) -> None:
        self._records: dict[str, RequestRecord] = {}
        self._events: dict[str, list[AuditEvent]] = {}
        self._keys: dict[str, str] = {}
        self._notify: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def create(self, record: RequestRecord, event: AuditEvent, *, idempotency_key: str | None = None) -> str:
        with self._lock:
            if idempotency_key and idempotency_key in self._keys:
                return self._keys[idempotency_key]
            if record.id in self._records:
                raise KeyError(record.id)
            self._records[record.id] = record.model_copy(update={"version": 1})
            self._events[record.id] = [event]
            if idempotency_key:
                self._keys[idempotency_key] = record.id
            return record.id

    def get(self, request_id: str) -> RequestRecord | None:
        with self._lock:
            return self._records.get(request_id)

    def save(self, record: RequestRecord, event: AuditEvent, *, expected_version: int) -> bool:
        with self._lock:
            current = self._records.get(record.id)
            if current is None or current.version != expected_version:
                return False
            self._records[record.id] = record.model_copy(update={"version": expected_version + 1})
            self._events[record.id].append(event)
            return True

    def note(self, event: AuditEvent) -> None:
        with self._lock:
            self._events.setdefault(event.request_id, []).append(event)

    def events(self, request_id: str) -> list[AuditEvent]:
        with self._lock:
            return sorted(self._events.get(request_id, []), key=lambda e: e.at)

    def by_requester(self, requester: str, *, limit: int = 20) -> list[RequestRecord]:
        with self._lock:
            mine = [r for r in self._records.values() if r.requester == requester]
        return sorted(mine, key=lambda r: r.created_at, reverse=True)[:limit]

    def by_status(self, status: Status, *, limit: int = 50) -> list[RequestRecord]:
        with self._lock:
            found = [r for r in self._records.values() if r.status is status]
        return sorted(found, key=lambda r: r.created_at)[:limit]

    def notify_state(self, request_id: str) -> dict[str, str]:
        with self._lock:
            return dict(self._notify.get(request_id, {}))

    def set_notify_state(self, request_id: str, notify: dict[str, str]) -> None:
        with self._lock:
            self._notify[request_id] = dict(notify)


class InlineJobs:
    """Runs a job at once in this process (the embedded world, tests): `run(job, request_id, **extra)`."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self._run = run

    def start(self, job: str, request_id: str, **extra: Any) -> None:
        self._run(job, request_id, **extra)


class NoScheduler:
    """No scheduler configured: expiry relies on the policy's own aws:CurrentTime bound alone."""

    def schedule(self, name: str, at: Any, payload: dict[str, Any]) -> None:
        return None

    def cancel(self, name: str) -> None:
        return None
