"""The local scheduler: one-time schedules that really fire, like EventBridge Scheduler's `at()` schedules.

A single thread sleeps until the next due time (or until a schedule is added or cancelled), then
calls the expiry handler with the schedule's payload, as EventBridge Scheduler invokes the
`expiry` Lambda. Failed deliveries are retried a few times, like the target's retry policy.
https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-retry-policy.html
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)

Fire = Callable[[dict[str, Any]], Any]
RETRIES = 3
RETRY_SECONDS = 10.0


def fire_expiry(payload: dict[str, Any]) -> Any:
    """Deliver a due schedule to the `expiry` Lambda entry point, in-process."""
    from bot.handlers import expiry

    return expiry(dict(payload), None)


@dataclass(order=True)
class _Job:
    due: float
    name: str = field(compare=False)
    payload: dict[str, Any] = field(compare=False)
    attempt: int = field(default=0, compare=False)


class LocalScheduler:
    """schedule(name, at, payload) / cancel(name), fired by one background thread."""

    def __init__(self, fire: Fire | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._fire = fire or fire_expiry
        self._clock = clock
        self._jobs: dict[str, _Job] = {}
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.fired: list[str] = []  # names delivered, in order (for `serve`'s log and tests)

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        """Fire `payload` at `at` (naive datetimes are UTC); the same name replaces its schedule."""
        when = at if at.tzinfo else at.replace(tzinfo=UTC)
        with self._wake:
            self._jobs[name] = _Job(when.timestamp(), name, dict(payload))
            self._wake.notify()

    def cancel(self, name: str) -> None:
        """Forget a schedule; cancelling an unknown or already fired one is not an error."""
        with self._wake:
            self._jobs.pop(name, None)
            self._wake.notify()

    def pending(self) -> dict[str, datetime]:
        with self._wake:
            return {job.name: datetime.fromtimestamp(job.due, UTC) for job in self._jobs.values()}

    def start(self) -> LocalScheduler:
        with self._wake:
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="accessbot-scheduler", daemon=True)
                self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def _due(self) -> list[_Job]:
        """Pop the due jobs, or wait (lock held) until the next one is due or something changes."""
        now = self._clock()
        due = sorted(job for job in self._jobs.values() if job.due <= now)
        if due:
            for job in due:
                del self._jobs[job.name]
            return due
        upcoming = min((job.due for job in self._jobs.values()), default=None)
        self._wake.wait(None if upcoming is None else max(0.0, upcoming - now))
        return []

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                due = self._due()
            for job in due:
                self._deliver(job)

    def _deliver(self, job: _Job) -> None:
        try:
            self._fire(job.payload)
            self.fired.append(job.name)
            log.info("schedule %s fired", job.name)
        except Exception:
            log.exception("schedule %s failed (attempt %d)", job.name, job.attempt + 1)
            if job.attempt + 1 < RETRIES:
                with self._wake:
                    # A newer schedule under the same name wins over the retry.
                    self._jobs.setdefault(
                        job.name, _Job(self._clock() + RETRY_SECONDS, job.name, job.payload, job.attempt + 1)
                    )
                    self._wake.notify()
