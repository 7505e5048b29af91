"""Session stores (TTL, isolation) and words -> AccessRequest without a dialog (`accessbot generate`)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.models import AccessLevel, TagScope
from intents import texts
from intents.sessions import FileSessionStore, MemorySessionStore
from intents.understand import request_from_text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_store_expires_and_copies() -> None:
    clock = Clock()
    store = MemorySessionStore(clock)
    state = {"a": [1]}
    store.put("s", state, 60)
    state["a"].append(2)
    assert store.get("s") == {"a": [1]}
    clock.now += 61
    assert store.get("s") is None


def test_file_store_round_trip_and_ttl(tmp_path: Path) -> None:
    clock = Clock()
    store = FileSessionStore(tmp_path / "s.json", clock)
    store.put("s", {"x": 1}, 60)
    assert FileSessionStore(tmp_path / "s.json", clock).get("s") == {"x": 1}
    assert (tmp_path / "s.json").stat().st_mode & 0o077 == 0
    store.delete("s")
    assert store.get("s") is None
    store.put("t", {"x": 1}, 60)
    clock.now += 61
    assert store.get("t") is None


def test_words_to_request() -> None:
    request, why = request_from_text("read objects in the analytics-raw bucket for a day", account="sandbox")
    assert why == ""
    assert request is not None
    [grant] = request.grants
    assert (grant.service, grant.access_levels, grant.resources, grant.resource_type) == (
        "s3",
        (AccessLevel.READ,),
        ("analytics-raw",),
        "object",
    )
    assert request.account == "sandbox"


def test_tags_become_the_scope() -> None:
    request, _ = request_from_text("start/stop the ec2 boxes tagged CostCenter 0735 in dev")
    assert request is not None
    assert request.grants[0].actions == ("StartInstances", "StopInstances")
    assert request.tags == (TagScope(key="CostCenter", value="0735"),)


def test_refusals_say_why() -> None:
    request, why = request_from_text("give me admin access", account="sandbox")
    assert request is None and "least-privilege" in why
    request, why = request_from_text("read the orders table")
    assert request is None and why.startswith(texts.ASK_ACCOUNT)
    request, why = request_from_text("read the orders table", account="staging")
    assert request is None and "I don't know the account 'staging'" in why
    request, why = request_from_text("read arn:aws:s3:::x/${aws:username}/*", account="sandbox")
    assert request is None and why == texts.REFUSE_VARIABLE
