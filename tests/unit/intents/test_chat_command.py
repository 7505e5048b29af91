"""`accessbot chat`: one-shot turns continue through the session file; --json has the stable keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import chat
from intents import texts


@pytest.fixture(autouse=True)
def session_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sessions.json"
    monkeypatch.setattr(chat, "SESSIONS_FILE", path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["chat", *args, "--as", "bob", "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_one_shot_turns_continue(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "read the orders table")
    assert (first["intent"], first["reply"]) == ("RequestAccess", texts.ASK_ACCOUNT)
    assert first["slots"]["resource"] == ["orders"]
    second = run(capsys, "sandbox")
    assert second["slots"]["account"] == ["sandbox"]
    assert "For how long?" in second["reply"]


def test_lifecycle_needs_the_running_bot(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "status of AR-7F3K2")
    assert out["intent"] == "CheckStatus"
    assert out["reply"] == chat.OFFLINE


def test_refusal_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "give me admin access")
    assert "least-privilege" in out["reply"] and out["status"] == "refused"


def test_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "help", "--as", "bob"]) == 0
    assert capsys.readouterr().out.strip() == texts.HELP


def test_a_formed_request_prints_request_policy_findings_and_decision(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "read the orders table in sandbox for 2h because INC-42")
    assert out["intent"] == "RequestAccess"
    assert {"request", "policy", "findings", "decision"} <= set(out)
    assert (out["request"]["account"], out["decision"]) == ("sandbox", "allow")
    assert out["policy"]["Statement"][0]["Sid"] == "DynamodbReadOrdersTable"
    assert out["reply"].startswith("Here is what I'll ask for.")
