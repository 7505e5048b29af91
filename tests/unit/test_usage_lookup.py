"""Usage asks by name: the words read, the choice between accounts (buttons, the CLI's line), the account list."""

from __future__ import annotations

import pytest

from bot.domain import usage_texts as texts
from bot.domain.usage import Kind
from bot.domain.usage_lookup import CHOOSE_ACCOUNT, Choice, Lookup, Match, lookup_words, spec
from bot.domain.usage_render import choice_cli_text, choice_outcome, listed

BOTH = (Kind.ROLE, Kind.USER)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("DBAdminRole", Lookup(name="DBAdminRole", kinds=BOTH)),
        ("  role DBAdminRole ", Lookup(name="DBAdminRole", kinds=(Kind.ROLE,))),
        ("user deploy-bot in dev", Lookup(name="deploy-bot", kinds=(Kind.USER,), account="dev")),
        ("DataScientist in account prod", Lookup(name="DataScientist", kinds=BOTH, account="prod")),
        ("arn:aws:iam::123456789012:role/DBAdminRole", None),
        ("account sandbox", None),
        ("role DBAdminRole please", None),
        ("a" * 65, None),
        ("<script>", None),
        ("Rôle", None),
        ("role", None),
        ("", None),
    ],
)
def test_names_are_read_whole_and_strictly(text: str, read: Lookup | None) -> None:
    assert lookup_words(text) == read


def test_spec_is_read_back() -> None:
    read = lookup_words(spec("deploy-bot", "user", "dev"))
    assert read == Lookup(name="deploy-bot", kinds=(Kind.USER,), account="dev")
    assert spec("DBAdminRole", None) == "DBAdminRole"


def _choice(*aliases: str, unchecked: tuple[tuple[str, str], ...] = ()) -> Choice:
    matches = tuple(
        Match(account=a, account_id=f"{i:012d}", arn=f"arn:aws:iam::{i:012d}:role/DataScientist", kind=Kind.ROLE)
        for i, a in enumerate(aliases, start=1)
    )
    return Choice(name="DataScientist", days=30, matches=matches, unchecked=unchecked)


def test_several_accounts_ask_with_one_button_each() -> None:
    outcome = choice_outcome(_choice("sandbox", "dev"))
    (reply,) = outcome.replies
    assert outcome.status == CHOOSE_ACCOUNT
    assert reply.text == "DataScientist is in sandbox and dev. Which account do you mean?"
    assert [(b.label, b.value) for b in reply.buttons] == [("sandbox", "sandbox"), ("dev", "dev")]


def test_an_account_that_could_not_be_checked_is_named() -> None:
    choice = _choice("sandbox", unchecked=(("prod", "I can't assume the spoke role in prod"),))
    text = choice_outcome(choice).replies[0].text
    assert text == ("DataScientist is in sandbox. I couldn't check prod: I can't assume the spoke role in prod. "
                    "Which account do you mean?")


def test_many_accounts_get_ten_buttons_and_a_count() -> None:
    reply = choice_outcome(_choice(*(f"acct{i}" for i in range(13)))).replies[0]
    assert len(reply.buttons) == 10
    assert reply.text.endswith("acct9 (and 3 more: type the account's name). Which account do you mean?")


def test_the_terminal_says_how_to_name_the_account() -> None:
    assert choice_cli_text(_choice("sandbox", "dev", "prod")) == (
        "DataScientist is in sandbox, dev and prod. Name the account, like: accessbot usage DataScientist in sandbox"
    )


def test_lists_read_as_sentences() -> None:
    assert listed(["sandbox"]) == "sandbox"
    assert listed(["sandbox", "dev", "prod"], texts.OR) == "sandbox, dev or prod"


def test_the_json_names_every_match() -> None:
    data = _choice("sandbox", "dev").as_json()
    assert data["status"] == "choose_account" and [m["account"] for m in data["matches"]] == ["sandbox", "dev"]
