"""`accessbot usage`: what a person sees for unusable arguments; none of them reaches a bot or AWS."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import daemon, localbot
from tests.cli_home import fresh_home


@pytest.fixture(autouse=True)
def no_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_home(monkeypatch, tmp_path / "home")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no bot may be started or asked for unusable arguments")

    monkeypatch.setattr(daemon, "start", refuse)
    monkeypatch.setattr(localbot, "DEFAULT_URL", "http://127.0.0.1:9")  # nothing listens on discard


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["usage", "role", "DBAdminRole", "please"],
            "accessbot: 'role DBAdminRole please' is not a role, user, group or policy ARN I can report on "
            "(e.g. arn:aws:iam::123456789012:role/DBAdminRole, a name like DBAdminRole, or 'account sandbox').\n",
        ),
        (
            ["usage", "arn:aws:iam::123456789012:role/DBAdminRole", "--days", "0"],
            "accessbot: The number of days must be a whole number from 1 to 400 (access advisor keeps 400 days).\n",
        ),
        (
            ["usage", "arn:aws:iam::999999999999:role/DBAdminRole"],
            "accessbot: Account 999999999999 is not registered with AccessBot, so I can't read its access advisor "
            "data.\n",
        ),
        (["usage", "account", "nowhere"], "accessbot: I don't know the account 'nowhere'. Known accounts: "
         "sandbox (123456789012), dev (234567890123), test (345678901234), prod (456789012345).\n"),
        (["usage", "DBAdminRole", "in", "nowhere"], "accessbot: I don't know the account 'nowhere'. Known accounts: "
         "sandbox (123456789012), dev (234567890123), test (345678901234), prod (456789012345).\n"),
        (["usage", "x", "--wait", "0"], "accessbot: --wait must be a positive number of seconds\n"),
        (["usage", "DBAdminRole", "--url", "ftp://example.com"],
         "accessbot: --url must be like http://127.0.0.1:8080 (got 'ftp://example.com')\n"),
        (["usage", "DBAdminRole", "--url", "http://127.0.0.1:9", "--aws", "real"],
         "accessbot: --url talks to a local bot; it does not go with --aws real\n"),
        (["usage", "DBAdminRole", "--url", "http://127.0.0.1:9"],
         "accessbot: Nothing answers at http://127.0.0.1:9 (no AccessBot health answer): start `accessbot serve`, "
         "or leave out --url to use a local bot in the background.\n"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == message and captured.out == ""


def test_days_must_be_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["usage", "arn:aws:iam::123456789012:role/DBAdminRole", "--days", "ninety"])
    assert raised.value.code == 2
    assert "argument --days: invalid int value: 'ninety'" in capsys.readouterr().err
