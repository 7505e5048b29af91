"""The worker and expiry Lambdas with recorded events, and `accessbot requests --aws real` on the same wiring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import handlers, wiring
from bot.cli import main
from bot.domain.replies import Outcome, Reply
from bot.errors import NotFound
from bot.lifecycle.memory import MemoryStore
from tests.unit.lifecycle.fakes import ADVISORY, ALICE, FakeProvisioner, FakeScheduler, write_request

EVENTS = Path(__file__).parents[1] / "events" / "worker"


def event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return loaded


class RecordingUsage:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, str]] = []

    def usage(self, principal_arn: str, days: int, *, actor: Any) -> Outcome:
        self.calls.append((principal_arn, days, actor.id))
        if "nobody" in principal_arn:
            raise NotFound("There is no role nobody in sandbox.")
        return Outcome(replies=(Reply(text="DynamoDB: used 3 days ago"),))

    trim = usage


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MemoryStore, FakeProvisioner, RecordingUsage]]:
    monkeypatch.setenv("ACCESSBOT_APPROVERS", "sam,jo")
    store, provisioner, usage = MemoryStore(), FakeProvisioner(), RecordingUsage()
    wiring.use(store=store, provisioner=provisioner, usage=usage, scheduler=FakeScheduler(), notifier=None)
    yield store, provisioner, usage
    wiring.reset()


def _pending(store: MemoryStore, request_id: str = "AR-7F3K2") -> str:
    outcome = wiring.service().submit(write_request(), ADVISORY, actor=ALICE)
    record = store.get(str(outcome.request_id))
    assert record is not None
    # Give it the id of the recorded events.
    store._records[request_id] = record.model_copy(update={"id": request_id})
    store._events[request_id] = store.events(record.id)
    return request_id


def test_a_provision_event_runs_the_job_once(wired: tuple[MemoryStore, FakeProvisioner, RecordingUsage]) -> None:
    store, provisioner, _ = wired
    request_id = _pending(store)
    assert handlers.worker(event("provision"), None) == {"request_id": request_id, "status": "PENDING_APPROVAL"}
    assert provisioner.calls == []  # not approved: nothing is created
    assert main(["requests", "--aws", "real", "--as", "sam", "approve", request_id]) == 0
    assert provisioner.calls == [("provision", request_id)]
    assert handlers.worker(event("provision"), None)["status"] == "ACTIVE"
    assert provisioner.calls == [("provision", request_id)]  # a duplicate delivery does nothing


def test_an_unknown_job_is_refused_not_raised(wired: tuple[MemoryStore, FakeProvisioner, RecordingUsage]) -> None:
    answer = handlers.worker({"job": "rm -rf", "request_id": "AR-7F3K2"}, None)
    assert answer["error"] == "NotFound" and "There is no job 'rm -rf'." in answer["message"]


def test_expiry_of_a_request_that_is_gone_is_skipped(
    wired: tuple[MemoryStore, FakeProvisioner, RecordingUsage],
) -> None:
    assert handlers.expiry(event("expire"), None) == {"request_id": "AR-7F3K2",
                                                      "skipped": "There is no request AR-7F3K2."}


def test_usage_jobs_answer_with_the_outcome_or_the_error(
    wired: tuple[MemoryStore, FakeProvisioner, RecordingUsage],
) -> None:
    _, _, usage = wired
    answer = handlers.worker(event("usage"), None)
    assert answer["outcome"]["replies"][0]["text"] == "DynamoDB: used 3 days ago"
    assert usage.calls == [("arn:aws:iam::123456789012:role/DBAdminRole", 90, "U0ALICE1")]
    missing = handlers.worker({**event("usage"), "principal_arn": "arn:aws:iam::123456789012:role/nobody"}, None)
    assert missing == {"error": "NotFound", "message": "There is no role nobody in sandbox."}
    assert handlers.worker({**event("usage"), "actor": "root"}, None)["message"] == "The usage job was malformed."


def test_requests_cli_lists_shows_and_refuses(
    wired: tuple[MemoryStore, FakeProvisioner, RecordingUsage], capsys: pytest.CaptureFixture[str],
) -> None:
    store, _, _ = wired
    request_id = _pending(store)
    assert main(["requests", "--aws", "real", "--as", "sam", "list", "--status", "pending_approval"]) == 0
    out = capsys.readouterr().out
    assert "Request" in out.splitlines()[0] and request_id in out
    assert main(["requests", "--aws", "real", "--as", "mallory", "approve", request_id]) == 2
    assert "Only the security team can approve or deny requests." in capsys.readouterr().err
    assert main(["requests", "--aws", "real", "--as", "sam", "deny", request_id, "--reason", "too broad"]) == 0
    assert f"Denied {request_id}: too broad" in capsys.readouterr().out
    assert main(["requests", "--aws", "real", "--as", "sam", "show", request_id]) == 0
    shown = capsys.readouterr().out
    assert "History:" in shown and "denied" in shown and "too broad" in shown
    assert main(["requests", "--aws", "real", "--as", "alice", "show", request_id, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in data["events"]] == ["submitted", "refused", "denied"]  # mallory tried
    assert main(["requests", "--aws", "real", "--as", "mallory", "show", request_id]) == 2
    assert f"{request_id} is not your request." in capsys.readouterr().err
    assert main(["requests", "--aws", "real", "--as", "sam", "show", "AR-NOPE2"]) == 2
    assert "There is no request AR-NOPE2." in capsys.readouterr().err
