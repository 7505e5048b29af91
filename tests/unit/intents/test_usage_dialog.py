"""Usage and trim in the dialog: a whole account, group and policy ARNs, and the Trim button's text."""

from __future__ import annotations

import pytest

from bot.domain.models import Actor, Front
from bot.domain.replies import Outcome
from bot.domain.usage import Kind
from bot.domain.usage_lookup import Choice, Match
from bot.domain.usage_render import choice_outcome
from bot.errors import NotFound
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


class LookupBackend(FakeBackend):
    """A name is in sandbox and dev: the usage service answers with a choice, an ARN with the report."""

    def _choose(self, name: str, days: int) -> Outcome:
        self.calls.append(("lookup", (name, days)))
        return choice_outcome(Choice(name=name, days=days, matches=(
            Match(account="sandbox", account_id=SANDBOX, arn=f"arn:aws:iam::{SANDBOX}:role/{name}", kind=Kind.ROLE),
            Match(account="dev", account_id=DEV, arn=f"arn:aws:iam::{DEV}:role/{name}", kind=Kind.ROLE),
        )))

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        if principal_arn.startswith("arn:") or " in " in principal_arn:  # an ARN, or a name in one account
            return super().usage(principal_arn, days, actor=actor)
        return self._choose(principal_arn, days)

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        if principal_arn.startswith("arn:") or " in " in principal_arn:
            return super().trim(principal_arn, days, actor=actor)
        return self._choose(principal_arn, days)


SANDBOX, DEV = "123456789012", "234567890123"


def test_a_name_without_an_account_goes_to_the_usage_service_to_be_found(dialog: Dialog, backend: FakeBackend) -> None:
    result = dialog.turn(BOB, "what has DBAdminRole used in the last 30 days", "s1")
    assert backend.calls == [("usage", ("DBAdminRole", 30))]
    assert result.awaiting is None and result.text == "usage done"


def test_several_accounts_ask_which_one_and_the_answer_or_a_button_names_it() -> None:
    backend = LookupBackend()
    dialog = Dialog(backend, MemorySessionStore())
    asked = dialog.turn(BOB, "what has DataScientist used in the last 30 days", "s1")
    assert asked.awaiting == "account"
    assert asked.text == "DataScientist is in sandbox and dev. Which account do you mean?"
    assert [(b.label, b.value) for b in asked.replies[0].buttons] == [("sandbox", "sandbox"), ("dev", "dev")]
    dialog.turn(BOB, "dev", "s1")
    assert backend.calls[-1] == ("usage", ("DataScientist in dev", 30))  # the service finds it there
    dialog.turn(BOB, "what has user DataScientist used", "s2")
    dialog.turn(BOB, "the sandbox one", "s2")
    assert backend.calls[-1] == ("usage", ("user DataScientist in sandbox", 90))  # "user X": an IAM user


def test_trim_by_name_asks_the_same_way() -> None:
    backend = LookupBackend()
    dialog = Dialog(backend, MemorySessionStore())
    asked = dialog.turn(BOB, "trim DataScientist", "s1")
    assert asked.awaiting == "account" and asked.replies[0].buttons[1].value == "dev"
    dialog.turn(BOB, "dev", "s1")
    assert backend.calls[-1] == ("trim", ("DataScientist in dev", 90))


def test_a_name_nobody_has_is_said_plainly(
    dialog: Dialog, backend: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = "I found no role or user named GhostRole in sandbox, dev, test or prod. Check the spelling."

    def missing(principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        raise NotFound(message)

    monkeypatch.setattr(backend, "usage", missing)
    result = dialog.turn(BOB, "what has GhostRole used", "s1")
    assert result.text == message and result.awaiting is None
