"""In AWS a web turn goes through Lex V2 RecognizeText (checked against the real API model with Stubber)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from bot.domain.models import Actor, Front
from bot.web.chat import LexEngine, from_lex, scoped_session
from bot.web.identity import WebSettings
from tests.functional.web.conftest import body_of, rest_event

ALICE = Actor(id="alice", front=Front.WEB, display="Alice Martin")
SETTINGS = WebSettings(lex_bot_id="BOTID12345", lex_bot_alias_id="ALIAS12345", lex_locale="en_US", stage="prod")


@pytest.fixture
def lex() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("lexv2-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def lex_answer(messages: list[dict[str, Any]], attributes: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "messages": messages,
        "sessionState": {
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": "duration"},
            "sessionAttributes": attributes or {},
        },
        "sessionId": "web-x-s1",
    }


def test_a_turn_calls_recognize_text_with_the_signed_in_user(lex: tuple[Any, Stubber]) -> None:
    client, stubber = lex
    reply = {"text": "For how long?", "buttons": [{"label": "2 hours", "value": "2 hours"}]}
    stubber.add_response(
        "recognize_text",
        lex_answer([{"contentType": "CustomPayload", "content": json.dumps(reply)}], {"request_id": "AR-7F3K2"}),
        {
            "botId": "BOTID12345",
            "botAliasId": "ALIAS12345",
            "localeId": "en_US",
            "sessionId": scoped_session(ALICE, "s1"),
            "text": "read the analytics-raw bucket in sandbox",
            "requestAttributes": ANY,
        },
    )
    result = LexEngine(SETTINGS, client=client).turn(ALICE, "read the analytics-raw bucket in sandbox", "s1")
    assert result.as_json() == {"replies": [reply], "request_id": "AR-7F3K2"}


def test_sessions_are_bound_to_the_user() -> None:
    bob = Actor(id="bob", front=Front.WEB)
    assert scoped_session(ALICE, "s1") != scoped_session(bob, "s1")
    assert scoped_session(ALICE, "s1") == scoped_session(ALICE, "s1")


def test_plain_text_cards_and_bad_payloads_still_read_well() -> None:
    card = {"title": "Confirm?", "buttons": [{"text": "Yes", "value": "yes"}, {"text": "No", "value": "no"}]}
    result = from_lex(
        lex_answer(
            [
                {"contentType": "PlainText", "content": "<b>hi</b>"},
                {"contentType": "ImageResponseCard", "imageResponseCard": card},
                {"contentType": "CustomPayload", "content": "{not json"},
            ],
            {"request_id": "AR-7F3K2", "status": "PENDING_APPROVAL"},
        )
    )
    assert result.as_json() == {
        "replies": [
            {"text": "<b>hi</b>"},
            {"text": "Confirm?", "buttons": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]},
            {"text": "{not json"},
        ],
        "request_id": "AR-7F3K2",
        "status": "PENDING_APPROVAL",
    }


def test_an_empty_lex_answer_says_so() -> None:
    assert from_lex({"messages": []}).as_json() == {"replies": [{"text": "I didn't catch that; try rephrasing."}]}


def test_the_chat_route_uses_lex_when_a_bot_is_configured(
    lex: tuple[Any, Stubber], local_stage: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handlers import api as handler
    from bot.web import chat, identity, routes
    from bot.web.devidp import issue

    token = issue("alice")  # signed while the stage is still local
    client, stubber = lex
    stubber.add_response("recognize_text", lex_answer([{"contentType": "PlainText", "content": "Which account?"}]))
    monkeypatch.setenv("ACCESSBOT_LEX_BOT_ID", "BOTID12345")
    monkeypatch.setenv("ACCESSBOT_LEX_BOT_ALIAS_ID", "ALIAS12345")
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()
    chat.use_engine(None)
    engine = chat.engine()
    assert isinstance(engine, LexEngine)
    chat.use_engine(LexEngine(identity.web_settings(), client=client))
    try:
        response = handler(
            rest_event("POST", "/chat", {"text": "read a bucket"}, {"Authorization": f"Bearer {token}"}), None
        )
    finally:
        chat.use_engine(None)
    assert body_of(response) == {"replies": [{"text": "Which account?"}]}
