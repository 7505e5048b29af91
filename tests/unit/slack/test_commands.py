"""Parsing `/access` sub-commands: everything else is words for the dialog."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput
from bot.slack import commands, messages
from bot.slack.approvals import parse_thread_reply


@pytest.mark.parametrize(
    ("text", "verb", "extra"),
    [
        ("help", "help", {}),
        ("mine", "mine", {}),
        ("STATUS ar-7f3k2", "status", {"request_id": "AR-7F3K2"}),
        ("extend AR-7F3K2 90m", "extend", {"duration": timedelta(minutes=90)}),
        ("extend AR-7F3K2 2 days", "extend", {"duration": timedelta(days=2)}),
        ("extend AR-7F3K2 by 4 hours", "extend", {"duration": timedelta(hours=4)}),  # the lifecycle's button
        ("extend AR-7F3K2 for 30m", "extend", {"duration": timedelta(minutes=30)}),
        ("cancel", "words", {"text": "cancel"}),  # the dialog's Cancel button: drops the draft in progress
        ("usage arn:aws:iam::123456789012:role/R", "usage", {"days": 90}),
        ("trim arn:aws:iam::123456789012:role/R 30", "trim", {"days": 30}),
        ("cancel my request for the reports bucket", "words", {}),
        ("read the reports bucket in sandbox", "words", {"text": "read the reports bucket in sandbox"}),
    ],
)
def test_parse(text: str, verb: str, extra: dict[str, object]) -> None:
    command = commands.parse(text)
    assert command.verb == verb
    for key, value in extra.items():
        assert getattr(command, key) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status nope!", messages.USAGE_STATUS),
        ("cancel nope!", messages.USAGE_CANCEL),
        ("extend AR-7F3K2 by", messages.BAD_DURATION),
        ("extend AR-7F3K2 by 4 long hours", messages.USAGE_EXTEND),
        ("extend X-123 0h", messages.BAD_DURATION),
    ],
)
def test_parse_refuses_with_the_message_the_user_sees(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        commands.parse(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("approve", (True, None)),
        ("Approved.", (True, None)),
        ("deny: not on prod", (False, "not on prod")),
        ("Deny - use a role", (False, "use a role")),
        ("deny", (False, None)),
        ("I approve of this idea", None),
        ("denying is harsh", None),
        ("approve" + " " * 2000, None),
    ],
)
def test_thread_replies(text: str, decision: tuple[bool, str | None] | None) -> None:
    assert parse_thread_reply(text) == decision
