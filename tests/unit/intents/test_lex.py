"""The Lex V2 code hook: recorded events in, responses checked against botocore's lexv2-runtime PutSession shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from botocore.validate import ParamValidator

from bot.domain.models import Actor
from intents import texts
from intents.dialog import Dialog
from intents.lex import handle
from intents.sessions import MemorySessionStore
from tests.unit.intents.fakes import FakeBackend

EVENTS = Path(__file__).parents[2] / "events" / "lex"


def _limits(value: Any, shape: Shape, path: str) -> list[str]:
    """Max lengths, which ParamValidator does not check (the service would reject them)."""
    problems = []
    limit = shape.metadata.get("max")
    if limit is not None and isinstance(value, str | list) and len(value) > limit:
        problems.append(f"{path}: {len(value)} > {limit}")
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key in shape.members:
                problems += _limits(item, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        problems += [p for i, item in enumerate(value) for p in _limits(item, shape.member, f"{path}[{i}]")]
    elif shape.type_name == "map" and isinstance(value, dict):
        problems += [
            p for k, item in value.items() if item is not None for p in _limits(item, shape.value, f"{path}[{k}]")
        ]
    return problems


def assert_valid_for_lex(response: dict[str, Any]) -> None:
    model = botocore.session.get_session().get_service_model("lexv2-runtime")
    shape = model.operation_model("PutSession").input_shape
    params = {
        "botId": "BOTID12345",
        "botAliasId": "TSTALIASID",
        "localeId": "en_US",
        "sessionId": "session-1",
        "sessionState": response["sessionState"],
        "messages": response.get("messages", []),
    }
    # Lex sends null for unfilled slots and accepts them back; the runtime API model has no null.
    intent = params["sessionState"].get("intent") or {}
    if intent.get("slots"):
        intent["slots"] = {k: v for k, v in intent["slots"].items() if v is not None}
    report = ParamValidator().validate(params, shape)
    assert not report.has_errors(), report.generate_report()
    assert _limits(params, shape, "") == []


@pytest.fixture
def dialog() -> Dialog:
    return Dialog(FakeBackend(), MemorySessionStore())


def event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return loaded


@pytest.mark.parametrize("name", sorted(p.name for p in EVENTS.glob("*.json")))
def test_every_recorded_event_gets_a_valid_response(dialog: Dialog, name: str) -> None:
    assert_valid_for_lex(handle(event(name), None, dialog=dialog))


def test_missing_account_elicits_the_slot_with_buttons(dialog: Dialog) -> None:
    response = handle(event("dialog_request_access.json"), None, dialog=dialog)
    assert response["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Account"}
    assert response["messages"][0] == {"contentType": "PlainText", "content": texts.ASK_ACCOUNT}
    card = response["messages"][1]["imageResponseCard"]
    assert [b["value"] for b in card["buttons"]] == ["sandbox", "dev", "test", "prod"]


def test_a_bad_slot_value_is_elicited_again_with_why(dialog: Dialog) -> None:
    response = handle(event("dialog_bad_account.json"), None, dialog=dialog)
    assert response["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Account"}
    assert "I don't know the account 'staging'" in response["messages"][0]["content"]
    assert response["sessionState"]["intent"]["slots"]["Account"] is None


def test_admin_is_refused_and_closed(dialog: Dialog) -> None:
    response = handle(event("dialog_admin.json"), None, dialog=dialog)
    assert response["sessionState"]["dialogAction"]["type"] == "Close"
    assert "least-privilege" in response["messages"][0]["content"]


def test_status_closes_with_the_backend_reply(dialog: Dialog) -> None:
    response = handle(event("dialog_check_status.json"), None, dialog=dialog)
    assert response["sessionState"]["intent"]["state"] == "Fulfilled"
    assert response["messages"] == [{"contentType": "PlainText", "content": "status done"}]
    assert response["sessionState"]["sessionAttributes"]["request_id"] == "AR-7F3K2"


def test_web_actor_gets_custom_payload_replies(dialog: Dialog) -> None:
    response = handle(event("web_actor_help.json"), None, dialog=dialog)
    [message] = response["messages"]
    assert message["contentType"] == "CustomPayload"
    assert json.loads(message["content"])["text"] == texts.HELP


def test_fulfillment_without_a_draft_says_so(dialog: Dialog) -> None:
    response = handle(event("fulfillment_confirmed.json"), None, dialog=dialog)
    assert response["messages"][0]["content"] == texts.NOTHING_TO_SUBMIT


def test_unknown_fields_and_null_slots_are_tolerated(dialog: Dialog) -> None:
    response = handle(event("unknown_fields.json"), None, dialog=dialog)
    assert response["messages"][0]["content"] == "pending done"


def test_garbage_event_is_answered_not_raised(dialog: Dialog) -> None:
    response = handle({"hello": "world"}, None, dialog=dialog)
    assert response["messages"][0]["content"] == texts.NOT_UNDERSTOOD
    assert_valid_for_lex(response)


def test_actor_comes_from_the_web_attribute(dialog: Dialog) -> None:
    seen: list[Actor] = []
    original = dialog.turn

    def spy(actor: Actor, text: str, session_id: str):  # type: ignore[no-untyped-def]
        seen.append(actor)
        return original(actor, text, session_id)

    dialog.turn = spy  # type: ignore[method-assign]
    handle(event("web_actor_help.json"), None, dialog=dialog)
    assert (seen[0].id, seen[0].front.value) == ("alice", "web")


def test_confirmation_then_lex_yes_submits(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tests.unit.intents.test_dialog import _writer

    try:
        import bot.domain.writer  # noqa: F401
    except ImportError:
        monkeypatch.setitem(sys.modules, "bot.domain.writer", _writer())
    backend = FakeBackend()
    dialog = Dialog(backend, MemorySessionStore())
    first = event("dialog_request_access.json")
    first["inputTranscript"] = "read the orders table in sandbox for 2h because INC-1"
    response = handle(first, None, dialog=dialog)
    assert response["sessionState"]["dialogAction"] == {"type": "ConfirmIntent"}
    card = response["messages"][-1]["imageResponseCard"]
    assert [b["text"] for b in card["buttons"]] == ["Submit", "Cancel"]
    assert_valid_for_lex(response)
    done = handle(event("fulfillment_confirmed.json"), None, dialog=dialog)
    assert backend.calls[0][0] == "submit"
    assert done["sessionState"]["sessionAttributes"]["request_id"] == "AR-7F3K2"
    assert done["sessionState"]["dialogAction"]["type"] == "Close"
    assert_valid_for_lex(done)
