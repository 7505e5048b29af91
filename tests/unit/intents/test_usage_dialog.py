"""Usage and trim in the dialog: a whole account, group and policy ARNs, and the Trim button's text."""

from __future__ import annotations

import pytest

from bot.domain.models import Actor, Front
from intents.dialog import Dialog
from intents.sessions import MemorySessionStore
from tests.unit.intents.fakes import FakeBackend

BOB = Actor(id="bob", front=Front.WEB)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def dialog(backend: FakeBackend) -> Dialog:
    return Dialog(backend, MemorySessionStore())


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("usage account sandbox", ("usage", ("account sandbox", 90))),
        ("usage of account prod in the last 30 days", ("usage", ("account prod", 30))),
        (
            "usage arn:aws:iam::123456789012:group/Admins",
            ("usage", ("arn:aws:iam::123456789012:group/Admins", 90)),
        ),
        (
            "what has arn:aws:iam::123456789012:policy/db-admin used in the last 60 days",
            ("usage", ("arn:aws:iam::123456789012:policy/db-admin", 60)),
        ),
        (
            "trim arn:aws:iam::123456789012:role/DBAdminRole 90 days",
            ("trim", ("arn:aws:iam::123456789012:role/DBAdminRole", 90)),
        ),
    ],
)
def test_usage_and_trim_reach_the_backend(dialog: Dialog, backend: FakeBackend, text: str, call: object) -> None:
    dialog.turn(BOB, text, "s1")
    assert backend.calls[-1] == call
