"""Usage questions in the web chat of `accessbot serve`, and the local bot's routes for the CLI, over HTTP.

A name without its account is looked up in every embedded account: DBAdminRole (sandbox only) is
answered with its table; DataScientist (every account) asks which, with one button per account; a name
nobody has is said plainly. The CLI's routes take the same sign-in as the page and refuse in one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.functional.local.serving import SANDBOX, Client, serving, texts_of

DEV = "234567890123"


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as monkeypatch, serving(monkeypatch) as running:
        yield running


def test_a_role_in_one_account_is_answered_with_its_table(serve: Any) -> None:
    bob = Client(serve, "bob")
    answer = bob.say("what has DBAdminRole used in the last 90 days")
    assert answer.status == 200, answer.body
    head = answer.body["replies"][0]
    assert head["text"].startswith("DBAdminRole in sandbox, last 90 days: used 2 of 5 granted service(s).")
    assert head["table"]["columns"] == ["Service", "Last used", "By", "Unused actions", "Granted by"]
    assert head["table"]["rows"][0] == ["Amazon DynamoDB", "3 days ago", "DBAdminRole", "not tracked", ""]
    assert head["buttons"] == [{"label": "Trim", "value": f"trim arn:aws:iam::{SANDBOX}:role/DBAdminRole 90 days",
                                "style": "primary"}]


def test_a_role_in_several_accounts_asks_which_and_a_button_or_a_word_answers(serve: Any) -> None:
    bob = Client(serve, "bob")
    asked = bob.say("what has DataScientist used in the last 30 days")
    (reply,) = asked.body["replies"]
    assert reply["text"] == "DataScientist is in sandbox, dev, test and prod. Which account do you mean?"
    assert [b["label"] for b in reply["buttons"]] == ["sandbox", "dev", "test", "prod"]
    assert [b["value"] for b in reply["buttons"]] == ["sandbox", "dev", "test", "prod"]
    clicked = bob.say(reply["buttons"][1]["value"])  # the page sends a button's value as the next turn
    assert texts_of(clicked).startswith("DataScientist in dev, last 30 days:")
    assert clicked.body["replies"][0]["table"]["rows"]
    bob.say("what has DataScientist used in the last 30 days")
    typed = bob.say("test")
    assert texts_of(typed).startswith("DataScientist in test, last 30 days:")


def test_a_name_nobody_has_is_said_plainly_and_hostile_names_are_text(serve: Any) -> None:
    bob = Client(serve, "bob")
    answer = bob.say("what has GhostRole used")
    assert texts_of(answer) == ("I found no role or user named GhostRole in sandbox, dev, test or prod. "
                                "Check the spelling, or give its ARN.")
    hostile = bob.say("what has <img src=x onerror=alert(1)> used")
    assert hostile.status == 200 and "<img" not in texts_of(hostile)


def test_the_cli_routes_need_the_same_sign_in_and_refuse_in_one_line(serve: Any) -> None:
    anonymous = Client(serve)
    refused = anonymous.call("POST", "/cli/chat", {"text": "help"})
    assert (refused.status, refused.body) == (401, {"error": "Sign in first."})
    sam = Client(serve, "sam")
    assert sam.call("GET", "/cli/requests?status=nope").body == {
        "error": "'NOPE' is not a status: PENDING_APPROVAL, APPROVED, PROVISIONING, ACTIVE, DENIED, CANCELLED, "
                 "TIMED_OUT, FAILED, EXPIRED, REVOKED"}
    assert sam.call("POST", "/cli/requests/AR-7F3K2/delete", {}).status == 404
    assert sam.call("POST", "/cli/requests/AR-7F3K2/approve", {}).body == {"error": "There is no request AR-7F3K2."}
    assert sam.call("POST", "/cli/usage", {"principal": "DBAdminRole", "wait": 999}).body == {
        "error": "Say how long to wait for access advisor: more than 0 and at most 120 seconds."}
    assert sam.call("POST", "/cli/usage", {"principal": "DBAdminRole", "days": "ninety"}).body == {
        "error": "The number of days must be a whole number from 1 to 400 (access advisor keeps 400 days)."}
    assert sam.call("POST", "/cli/usage", {}).body == {
        "error": "Name a role or user (like DBAdminRole), a role, user, group or policy ARN, or 'account <alias>' "
                 "for every role of an account."}
    assert sam.call("POST", "/cli/usage", {"principal": "DBAdminRole", "extra": 1}).body == {
        "error": "Unknown field 'extra'."}


def test_the_cli_routes_answer_as_the_cli_renders(serve: Any) -> None:
    alice = Client(serve, "alice")
    usage = alice.call("POST", "/cli/usage", {"principal": "account dev", "days": 90, "wait": 20})
    assert usage.status == 200 and usage.body["running"] is False
    assert usage.body["report"]["account"] == "dev" and usage.body["done"] == usage.body["total"] == 3
    turn = alice.call("POST", "/cli/chat", {"text": "what has DBAdminRole in sandbox used", "session_id": "cli"})
    assert turn.body["intent"] == "UsageReport" and turn.body["slots"]["principal"] == "DBAdminRole"
    assert turn.body["replies"][0]["table"]["rows"][0][0] == "Amazon DynamoDB"
    dev_arn = f"arn:aws:iam::{DEV}:role/DataScientist"
    assert alice.call("POST", "/cli/usage", {"principal": dev_arn}).body["report"]["principal"] == dev_arn
