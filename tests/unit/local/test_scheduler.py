"""The local scheduler fires due schedules on time, once, and forgets cancelled ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.local import scheduler as scheduler_module
from bot.local.scheduler import LocalScheduler


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.payloads: list[tuple[float, dict[str, Any]]] = []
        self.failures = failures
        self.event = threading.Event()

    def __call__(self, payload: dict[str, Any]) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("expiry handler down")
        self.payloads.append((time.monotonic(), payload))
        self.event.set()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def scheduler(recorder: Recorder) -> Iterator[LocalScheduler]:
    running = LocalScheduler(recorder).start()
    yield running
    running.stop()


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_a_schedule_fires_at_its_time_not_before(scheduler: LocalScheduler, recorder: Recorder) -> None:
    started = time.monotonic()
    scheduler.schedule("expire-AR-1", soon(0.4), {"request_id": "AR-1", "kind": "expire"})
    assert recorder.event.wait(3)
    fired_at, payload = recorder.payloads[0]
    assert payload == {"request_id": "AR-1", "kind": "expire"}
    assert fired_at - started >= 0.35
    assert scheduler.fired == ["expire-AR-1"] and scheduler.pending() == {}


def test_a_cancelled_schedule_never_fires(scheduler: LocalScheduler, recorder: Recorder) -> None:
    scheduler.schedule("expire-AR-2", soon(0.3), {"request_id": "AR-2"})
    scheduler.cancel("expire-AR-2")
    scheduler.cancel("never-existed")
    time.sleep(0.6)
    assert recorder.payloads == []


def test_the_same_name_replaces_the_schedule(scheduler: LocalScheduler, recorder: Recorder) -> None:
    scheduler.schedule("expire-AR-3", soon(5), {"request_id": "AR-3", "v": 1})
    scheduler.schedule("expire-AR-3", soon(0.2), {"request_id": "AR-3", "v": 2})
    assert recorder.event.wait(3)
    time.sleep(0.2)
    assert [p for _, p in recorder.payloads] == [{"request_id": "AR-3", "v": 2}]


def test_schedules_fire_in_time_order(scheduler: LocalScheduler, recorder: Recorder) -> None:
    scheduler.schedule("b", soon(0.5), {"n": "b"})
    scheduler.schedule("a", soon(0.2), {"n": "a"})
    deadline = time.monotonic() + 3
    while len(recorder.payloads) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p["n"] for _, p in recorder.payloads] == ["a", "b"]


def test_past_times_fire_at_once_and_naive_times_are_utc(scheduler: LocalScheduler, recorder: Recorder) -> None:
    scheduler.schedule("late", datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1), {"n": 1})
    assert recorder.event.wait(2)


def test_a_failed_delivery_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler_module, "RETRY_SECONDS", 0.1)
    flaky = Recorder(failures=1)
    running = LocalScheduler(flaky).start()
    try:
        running.schedule("expire-AR-4", soon(0), {"request_id": "AR-4"})
        assert flaky.event.wait(3)
        assert [p for _, p in flaky.payloads] == [{"request_id": "AR-4"}]
    finally:
        running.stop()


def test_stop_joins_the_thread(recorder: Recorder) -> None:
    running = LocalScheduler(recorder).start()
    running.schedule("far", soon(3600), {})
    running.stop(timeout=2)
    assert not any(t.name == "accessbot-scheduler" and t.is_alive() for t in threading.enumerate())
