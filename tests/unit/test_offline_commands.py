"""`generate` and `validate` need no AWS and no bot: a fresh HOME stays untouched, nothing is started."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import daemon, localbot
from tests.cli_home import fresh_home


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("generate and validate never start or ask a bot")

    monkeypatch.setattr(daemon, "start", refuse)
    monkeypatch.setattr(localbot, "connect", refuse)
    return fresh_home(monkeypatch, tmp_path / "home")


def test_generate_and_validate_work_offline(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "read the orders table in sandbox for 2h", "--json"]) == 0
    policy = json.loads(capsys.readouterr().out)["policy"]
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    assert main(["validate", str(path), "--account-type", "prod"]) == 0
    assert capsys.readouterr().out.startswith("ALLOWED for prod accounts")
    assert list(home.iterdir()) == []  # no state directory, no cache: nothing was started or kept
