"""Amazon Lex V2 code hook: the Lambda event and response as pydantic models, over the same Dialog.

Event: https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html
Response: https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html
Lex may add fields without a version change and sends unfilled slots as null: every model ignores
unknown fields and every slot is optional.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.accounts import AccountRegistry
from bot.domain.models import Actor, Front
from bot.domain.replies import Reply
from intents import extract, texts
from intents.catalog import FALLBACK, SLOT_BY_KEY, SLOTS
from intents.dialog import Dialog, TurnResult

MAX_MESSAGES = 10  # PutSession `messages` max (lexv2-runtime model)
MAX_CONTENT = 1024
MAX_TITLE = 250
MAX_BUTTONS = 5
MAX_BUTTON_TEXT = 50
_REQUEST_ID = re.compile(r"^(AR)?[A-Z0-9]{5}$", re.IGNORECASE)
ACTOR_ATTRIBUTE = "accessbot_actor"  # set by the web API Lambda (bot.web.chat.actor_attributes)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class SlotValue(_Lenient):
    originalValue: str | None = None
    interpretedValue: str | None = None
    resolvedValues: list[str] = Field(default_factory=list)


class Slot(_Lenient):
    shape: str | None = None
    value: SlotValue | None = None
    values: list[Slot] | None = None


class Intent(_Lenient):
    name: str
    slots: dict[str, Slot | None] | None = None
    state: str | None = None
    confirmationState: str | None = None


class DialogAction(_Lenient):
    type: str
    slotToElicit: str | None = None


class SessionState(_Lenient):
    sessionAttributes: dict[str, str] | None = None
    intent: Intent | None = None
    dialogAction: DialogAction | None = None
    activeContexts: list[dict[str, Any]] | None = None
    originatingRequestId: str | None = None


class LexEvent(_Lenient):
    messageVersion: str = "1.0"
    invocationSource: Literal["DialogCodeHook", "FulfillmentCodeHook"] | str
    inputMode: str | None = None
    sessionId: str
    inputTranscript: str = ""
    requestAttributes: dict[str, str] | None = None
    sessionState: SessionState = Field(default_factory=SessionState)


class Button(_Lenient):
    text: str
    value: str


class ImageResponseCard(_Lenient):
    title: str
    subtitle: str | None = None
    buttons: list[Button] = Field(default_factory=list)


class Message(_Lenient):
    contentType: Literal["PlainText", "ImageResponseCard", "CustomPayload"]
    content: str | None = None
    imageResponseCard: ImageResponseCard | None = None


class OutIntent(_Lenient):
    name: str
    slots: dict[str, Slot | None] = Field(default_factory=dict)
    state: Literal["Failed", "Fulfilled", "InProgress", "ReadyForFulfillment"]
    confirmationState: str | None = None


class OutSessionState(_Lenient):
    sessionAttributes: dict[str, str] = Field(default_factory=dict)
    dialogAction: DialogAction
    intent: OutIntent | None = None


class LexResponse(_Lenient):
    sessionState: OutSessionState
    messages: list[Message] = Field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def _actor(event: LexEvent) -> Actor:
    raw = (event.requestAttributes or {}).get(ACTOR_ATTRIBUTE)
    if raw:
        try:
            return Actor.model_validate_json(raw)
        except ValidationError:
            pass
    return Actor(id=f"lex:{event.sessionId[:200]}", front=Front.LEX)


def _messages(replies: list[Reply], *, custom: bool) -> list[Message]:
    """Replies as Lex messages: CustomPayload for the web chat (it renders Replies), else text and cards."""
    out: list[Message] = []
    for reply in replies:
        if custom:
            out.append(Message(contentType="CustomPayload", content=json.dumps(reply.as_json())[:MAX_CONTENT]))
            continue
        text = reply.text.strip() or " "
        out += [
            Message(contentType="PlainText", content=text[i : i + MAX_CONTENT])
            for i in range(0, min(len(text), MAX_CONTENT * 3), MAX_CONTENT)
        ]
        if reply.buttons:
            card = ImageResponseCard(
                title=(reply.text.splitlines()[0] if reply.text else "Choose")[:MAX_TITLE],
                buttons=[
                    Button(text=b.label[:MAX_BUTTON_TEXT], value=b.value[:MAX_BUTTON_TEXT])
                    for b in reply.buttons[:MAX_BUTTONS]
                ],
            )
            out.append(Message(contentType="ImageResponseCard", imageResponseCard=card))
    if custom and out and len(out[-1].content or "") >= MAX_CONTENT:
        # Too big for one payload (a long policy): fall back to the text for that reply.
        out[-1] = Message(contentType="PlainText", content=replies[-1].text[:MAX_CONTENT] or " ")
    return out[-MAX_MESSAGES:]


def slot_problem(intent: Intent, registry: AccountRegistry) -> tuple[str, str] | None:
    """(slot name, why) for a slot Lex filled with a value we can't use."""
    for name, slot in (intent.slots or {}).items():
        if slot is None or slot.value is None:
            continue
        said = slot.value.interpretedValue or slot.value.originalValue or ""
        if name == "Account" and registry.find(said) is None:
            return name, texts.UNKNOWN_ACCOUNT.format(word=said[:64], known=registry.describe())
        if name == "Region" and not extract.regions(said):
            return name, f"'{said[:40]}' is not a region I know. {texts.ASK_REGION}"
        if name == "RequestId" and not _REQUEST_ID.match(re.sub(r"[^A-Za-z0-9]", "", said)):
            return name, f"'{said[:40]}' is not a request id. {texts.ASK_REQUEST_ID}"
    return None


def respond(event: LexEvent, dialog: Dialog) -> LexResponse:
    """One code-hook invocation: validate Lex's slots, run the dialog on the transcript, map the result."""
    intent = event.sessionState.intent or Intent(name="FallbackIntent")
    attributes = dict(event.sessionState.sessionAttributes or {})
    custom = bool((event.requestAttributes or {}).get(ACTOR_ATTRIBUTE))
    if event.invocationSource == "DialogCodeHook":
        problem = slot_problem(intent, dialog.registry)
        if problem is not None:
            slots = {**(intent.slots or {}), problem[0]: None}
            return LexResponse(
                sessionState=OutSessionState(
                    sessionAttributes=attributes,
                    dialogAction=DialogAction(type="ElicitSlot", slotToElicit=problem[0]),
                    intent=OutIntent(name=intent.name, slots=slots, state="InProgress"),
                ),
                messages=_messages([Reply(text=problem[1])], custom=custom),
            )
    text = event.inputTranscript
    if intent.confirmationState == "Confirmed" and event.invocationSource == "FulfillmentCodeHook":
        text = "submit"
    elif intent.confirmationState == "Denied":
        text = "cancel"
    result = dialog.turn(_actor(event), text, f"lex-{event.sessionId[:200]}")
    return _to_lex(result, intent, attributes, custom)


def _to_lex(result: TurnResult, intent: Intent, attributes: dict[str, str], custom: bool) -> LexResponse:
    for key, value in (("request_id", result.request_id), ("status", result.status)):
        if value:
            attributes[key] = str(value)
    messages = _messages(result.replies, custom=custom)
    slot = SLOT_BY_KEY.get(result.awaiting or "")
    if result.awaiting == "confirm" and intent.name != FALLBACK:
        action = DialogAction(type="ConfirmIntent")
        state: Literal["InProgress", "Fulfilled"] = "InProgress"
    elif slot is not None and slot in (intent.slots or {}) and slot in SLOTS:
        action, state = DialogAction(type="ElicitSlot", slotToElicit=slot), "InProgress"
    elif result.awaiting:
        action, state = DialogAction(type="ElicitIntent"), "InProgress"
    else:
        action, state = DialogAction(type="Close"), "Fulfilled"
    out_intent = (
        None if action.type == "ElicitIntent" else OutIntent(name=intent.name, slots=intent.slots or {}, state=state)
    )
    return LexResponse(
        sessionState=OutSessionState(sessionAttributes=attributes, dialogAction=action, intent=out_intent),
        messages=messages,
    )


_dialog_factory: list[Callable[[], Dialog]] = []


def use_dialog(factory: Callable[[], Dialog] | None) -> None:
    """Set how the Lambda builds its Dialog (the composition root, or tests); None: the default."""
    _dialog_factory.clear()
    if factory is not None:
        _dialog_factory.append(factory)


def _default_dialog() -> Dialog:
    from importlib import import_module

    dialog: Dialog = import_module("bot.wiring").dialog()
    return dialog


def handle(event: dict[str, Any], context: Any, *, dialog: Dialog | None = None) -> dict[str, Any]:
    """The `lex` Lambda: a Lex V2 code-hook event in, a response Lex accepts out (never a traceback)."""
    try:
        parsed = LexEvent.model_validate(event)
    except ValidationError:
        reply = LexResponse(
            sessionState=OutSessionState(dialogAction=DialogAction(type="ElicitIntent")),
            messages=[Message(contentType="PlainText", content=texts.NOT_UNDERSTOOD)],
        )
        return reply.dump()
    chosen = dialog or (_dialog_factory[0]() if _dialog_factory else _default_dialog())
    return respond(parsed, chosen).dump()
