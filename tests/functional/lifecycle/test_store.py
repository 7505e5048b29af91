"""The DynamoDB store against moto: conditional transitions with their audit events, keys, indexes, sessions."""

from __future__ import annotations

import threading
import time
from typing import Any

from bot.aws.store import DynamoSessionStore
from bot.domain import lifecycle as sm
from bot.domain.lifecycle import Status
from bot.errors import Conflict
from tests.functional.lifecycle.conftest import Live
from tests.unit.lifecycle.fakes import ADVISORY, ALICE, SAM, write_request


def test_a_lost_race_writes_nothing(live: Live) -> None:
    request_id = str(live.service.submit(write_request(bucket="race"), ADVISORY, actor=ALICE).request_id)
    record = live.store.get(request_id)
    assert record is not None and record.version == 1
    now = live.service.now()
    first, event = sm.approve(record, SAM, now)
    assert live.store.save(first, event, expected_version=1)
    second, late = sm.deny(record, SAM.model_copy(update={"id": "jo"}), "no", now)
    assert not live.store.save(second, late, expected_version=1)  # written against a stale version
    stored = live.store.get(request_id)
    assert stored is not None and stored.status is Status.APPROVED and stored.version == 2
    assert [e.action for e in live.store.events(request_id)] == ["submitted", "approved"]


def test_indexes_by_requester_and_status(live: Live) -> None:
    request_id = str(live.service.submit(write_request(bucket="indexed"), ADVISORY, actor=ALICE).request_id)
    assert request_id in [r.id for r in live.store.by_requester("alice")]
    assert request_id in [r.id for r in live.store.by_status(Status.PENDING_APPROVAL)]
    live.service.cancel(request_id, actor=ALICE)
    assert request_id not in [r.id for r in live.store.by_status(Status.PENDING_APPROVAL)]
    assert request_id in [r.id for r in live.store.by_status(Status.CANCELLED)]


def test_the_same_submission_twice_is_one_request(live: Live) -> None:
    first = live.service.submit(write_request(bucket="twice"), ADVISORY, actor=ALICE)
    again = live.service.submit(write_request(bucket="twice"), ADVISORY, actor=ALICE)
    assert again.request_id == first.request_id
    assert [r.id for r in live.store.by_requester("alice")].count(str(first.request_id)) == 1


def test_notify_state_is_kept_apart_from_the_versioned_record(live: Live) -> None:
    request_id = str(live.service.submit(write_request(bucket="notify"), ADVISORY, actor=ALICE).request_id)
    live.store.set_notify_state(request_id, {"channel": "C1", "ts": "1.2"})
    assert live.store.notify_state(request_id)["ts"] == "1.2"
    record = live.store.get(request_id)
    assert record is not None and record.version == 1


def test_dialog_sessions_expire(live: Live) -> None:
    sessions = DynamoSessionStore(live.store)
    sessions.put("web-alice", {"owner": "alice", "intent": "RequestAccess"}, ttl_seconds=60)
    assert sessions.get("web-alice") == {"owner": "alice", "intent": "RequestAccess"}
    sessions.put("web-old", {"owner": "alice"}, ttl_seconds=-1)
    assert sessions.get("web-old") is None
    sessions.delete("web-alice")
    assert sessions.get("web-alice") is None


def test_fifty_approvers_racing_on_dynamodb_grant_once(live: Live) -> None:
    request_id = str(live.service.submit(write_request(bucket="race50"), ADVISORY, actor=ALICE).request_id)
    calls: list[str] = []
    provision = live.worker.provisioner.provision

    def counted(record: Any, account: Any, *, boundary_arn: str | None) -> Any:
        calls.append(record.id)
        return provision(record, account, boundary_arn=boundary_arn)

    live.worker.provisioner.provision = counted  # type: ignore[method-assign]
    barrier = threading.Barrier(50)
    results: list[str] = []

    def approve(index: int) -> None:
        approver = SAM.model_copy(update={"id": f"approver{index}"})
        barrier.wait()
        try:
            results.append(str(live.service.decide(request_id, approve=True, reason=None, actor=approver).status))
        except Conflict as refused:
            results.append(str(refused))

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [request_id]
    assert results.count("ACTIVE") == 1
    assert sum(f"{request_id} was already approved by approver" in r for r in results) == 49
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.ACTIVE and len(record.approvals) == 1
    assert [e.action for e in live.store.events(request_id)] == ["submitted", "approved", "provisioning", "activated"]
    live.worker.revoke(request_id)


def test_threads_racing_to_the_first_call_share_one_client(monkeypatch: Any) -> None:
    from bot.aws import sessions
    from bot.aws.store import DynamoStore

    built: list[object] = []
    gate = threading.Barrier(8)

    def make_client(session: Any, service: str, **kwargs: Any) -> object:
        built.append(service)
        time.sleep(0.05)  # as botocore reading its models: long enough for every racer to arrive
        return object()

    monkeypatch.setattr(sessions, "make_client", make_client)
    monkeypatch.setattr(sessions, "bot_session", lambda region=None: None)
    store = DynamoStore("accessbot", region="us-east-1")
    seen: list[object] = []

    def first_call() -> None:
        gate.wait()
        seen.append(store.client)

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["dynamodb"] and len({id(c) for c in seen}) == 1
