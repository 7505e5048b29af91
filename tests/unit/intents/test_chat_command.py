"""`accessbot chat --aws real` in this process: one-shot turns continue through the state directory's session
file, --json has the stable keys, lifecycle answers come from the bot's own wiring (no "needs the running bot")."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import wiring
from bot.cli import main
from bot.commands import statedir
from bot.commands.requests import actor
from intents import texts
from tests.cli_home import fresh_home
from tests.unit.lifecycle.fakes import FakeProvisioner, FakeScheduler


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    fresh_home(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("ACCESSBOT_STORE", "memory")
    wiring.reset()
    wiring.use(provisioner=FakeProvisioner(), scheduler=FakeScheduler(), notifier=None)
    yield tmp_path / "home"
    wiring.reset()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["chat", *args, "--as", "bob", "--json", "--aws", "real"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_one_shot_turns_continue_through_the_state_directory(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    first = run(capsys, "read the orders table")
    assert (first["intent"], first["reply"]) == ("RequestAccess", texts.ASK_ACCOUNT)
    assert first["slots"]["resource"] == ["orders"]
    second = run(capsys, "sandbox")
    assert second["slots"]["account"] == ["sandbox"]
    assert "For how long?" in second["reply"]
    sessions = home / ".local" / "state" / "accessbot" / statedir.SESSIONS
    assert sessions.stat().st_mode & 0o777 == 0o600 and "cli-bob" in sessions.read_text()


def test_lifecycle_answers_come_from_the_bot_not_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "status of AR-7F3K2")
    assert out["intent"] == "CheckStatus"
    assert out["reply"] == "There is no request AR-7F3K2."


def test_refusal_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "give me admin access")
    assert "least-privilege" in out["reply"] and out["status"] == "refused"


def test_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "help", "--as", "bob", "--aws", "real"]) == 0
    assert capsys.readouterr().out.strip() == texts.HELP


def test_a_formed_request_prints_request_policy_findings_and_decision(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "read the orders table in sandbox for 2h because INC-42")
    assert out["intent"] == "RequestAccess"
    assert {"request", "policy", "findings", "decision"} <= set(out)
    assert (out["request"]["account"], out["decision"]) == ("sandbox", "allow")
    assert out["policy"]["Statement"][0]["Sid"] == "DynamodbReadOrdersTable"
    assert out["reply"].startswith("Here is what I'll ask for.")
    assert main(["chat", "submit", "--as", "bob", "--aws", "real"]) == 0
    assert "AR-" in capsys.readouterr().out
    assert [r.requester for r in wiring.service().listing(None, actor=actor("bob"))] == ["bob"]


def test_an_interactive_session_reads_until_end_of_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("help\n\nstatus of AR-NOPE2\n"))
    assert main(["chat", "--as", "bob", "--aws", "real"]) == 0
    out = capsys.readouterr().out
    assert texts.HELP in out and "There is no request AR-NOPE2." in out
