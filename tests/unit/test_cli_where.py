"""Where a CLI command runs: real AWS when credentials are configured, else the local bot; the state directory."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pytest

from bot.commands import statedir, where
from bot.errors import InvalidInput
from tests.cli_home import fresh_home


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return fresh_home(monkeypatch, tmp_path / "home")


def args(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**({"url": None, "aws": "auto"} | given))


def test_a_fresh_home_has_no_aws(home: Path) -> None:
    assert not where.aws_configured()
    assert where.choose(args()) == "local"


@pytest.mark.parametrize("name", ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"])
def test_credentials_in_the_environment_mean_real_aws(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "x")
    assert where.choose(args()) == "real"


def test_shared_files_count_only_with_credentials_in_them(home: Path) -> None:
    config = home / ".aws" / "config"
    config.parent.mkdir()
    config.write_text("[default]\nregion = eu-west-1\n")
    assert not where.aws_configured()  # a region is not a credential
    config.write_text("[profile ops]\nsso_session = corp\n")
    assert where.aws_configured()
    config.write_text("[broken")
    assert not where.aws_configured()


def test_the_flags_win(monkeypatch: pytest.MonkeyPatch) -> None:
    assert where.choose(args(aws="real")) == "real"
    monkeypatch.setenv("AWS_PROFILE", "ops")
    assert where.choose(args(aws="embedded")) == "local"
    assert where.choose(args(url="http://127.0.0.1:8080")) == "local"
    monkeypatch.setenv("ACCESSBOT_URL", "http://127.0.0.1:8080")
    assert where.choose(args()) == "local"
    with pytest.raises(InvalidInput) as raised:
        where.choose(args(url="http://127.0.0.1:8080", aws="real"))
    assert str(raised.value) == "--url talks to a local bot; it does not go with --aws real"


def test_the_state_directory_follows_xdg_and_the_override(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    assert statedir.state_dir() == home / ".local" / "state" / "accessbot"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert statedir.state_dir() == tmp_path / "xdg" / "accessbot"
    monkeypatch.setenv("ACCESSBOT_STATE_DIR", str(tmp_path / "mine"))
    assert statedir.state_dir() == tmp_path / "mine"
    assert oct((tmp_path / "mine").stat().st_mode & 0o777) == "0o700"


def test_records_of_bots_that_are_gone_or_not_bots_are_dropped(home: Path) -> None:
    ours = statedir.BotRecord(pid=os.getpid(), url="http://127.0.0.1:1", aws_endpoint="x", started_at=1.0)
    path = statedir.write_record(ours)
    assert oct(path.stat().st_mode & 0o777) == "0o600" and json.loads(path.read_text())["pid"] == os.getpid()
    (path.parent / "12.json").write_text("not json")
    assert statedir.records() == []  # this test process is no `accessbot serve`: a recycled pid, not a bot
    assert list(path.parent.glob("*.json")) == []
