"""A short grant on `accessbot serve` really ends: the local scheduler fires, the worker revokes, moto agrees."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.functional.local.serving import SANDBOX, WHY, Client, serving, texts_of

ASK = "write access to objects in bucket analytics-curated in sandbox for 2 minutes"


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as monkeypatch, serving(monkeypatch) as running:
        yield running


def _ours(serve: Any) -> list[str]:
    policies = serve.world.client("iam", SANDBOX).list_policies(Scope="Local")["Policies"]
    return [p["PolicyName"] for p in policies if p["PolicyName"].startswith("accessbot-AR-")]


def test_a_two_minute_grant_is_revoked_when_its_schedule_fires(serve: Any) -> None:
    alice, sam = Client(serve, "alice"), Client(serve, "sam")
    alice.say(ASK)
    alice.say(WHY)
    request_id = alice.say("submit").body["request_id"]
    approved = sam.call("POST", f"/requests/{request_id}/decision", {"approve": True})
    assert approved.status == 200, approved.body
    assert f"accessbot-{request_id}" in _ours(serve)
    name = f"accessbot-expire-{request_id}"
    due = serve.scheduler.pending()[name]
    assert timedelta(minutes=1) < due - datetime.now(UTC) <= timedelta(minutes=2)
    # The same schedule, moved to now (the worker revokes a grant due within EXPIRY_SKEW, two minutes,
    # so this is the delivery at `due` without waiting for it).
    serve.scheduler.schedule(name, datetime.now(UTC), {"action": "expire", "request_id": request_id})
    deadline = time.monotonic() + 30
    while name not in serve.scheduler.fired and time.monotonic() < deadline:
        time.sleep(0.2)
    assert name in serve.scheduler.fired
    assert f"accessbot-{request_id}" not in _ours(serve)
    status = alice.say(f"status {request_id}")
    assert f"{request_id}: expired" in texts_of(status)
