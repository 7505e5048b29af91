"""`accessbot usage`: what a person sees for unusable arguments (no AWS call is made for any of them)."""

from __future__ import annotations

import pytest

from bot.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["usage", "DBAdminRole"],
            "accessbot: 'DBAdminRole' is not a role, user, group or policy ARN I can report on "
            "(e.g. arn:aws:iam::123456789012:role/DBAdminRole, or 'account sandbox').\n",
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
        (["usage", "x", "--wait", "0"], "accessbot: --wait must be a positive number of seconds\n"),
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
