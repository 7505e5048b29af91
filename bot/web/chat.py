"""One web chat turn: through Amazon Lex V2 RecognizeText in AWS, through the embedded dialog locally."""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import import_module
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.models import Actor
from bot.domain.replies import Button, Outcome, Reply, outcome_body
from bot.web import texts
from bot.web.identity import WebSettings, web_settings

MAX_TEXT = 4000


class ChatIn(BaseModel):
    """The `POST /chat` body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    session_id: str = Field(default="default", pattern=r"^[A-Za-z0-9_-]{1,64}$")


class ChatResult(BaseModel):
    """The `POST /chat` answer: replies, and the request's id and status once one exists."""

    model_config = ConfigDict(frozen=True)

    replies: tuple[Reply, ...]
    request_id: str | None = None
    status: str | None = None

    def as_json(self) -> dict[str, Any]:
        return outcome_body(self.replies, self.request_id, self.status)

    @classmethod
    def of(cls, outcome: Outcome) -> ChatResult:
        return cls(replies=outcome.replies, request_id=outcome.request_id, status=outcome.status)


class ChatEngine(Protocol):
    def turn(self, actor: Actor, text: str, session_id: str) -> ChatResult: ...


def scoped_session(actor: Actor, session_id: str) -> str:
    """A session id bound to the signed-in user: nobody can continue someone else's conversation."""
    owner = hashlib.sha256(actor.id.encode()).hexdigest()[:16]
    return f"web-{owner}-{session_id}"


class EmbeddedEngine:
    """The embedded parser and dialog (intents.dialog), over the bot's backend (bot.wiring)."""

    def __init__(self, dialog: Any = None) -> None:
        self._dialog = dialog
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._dialog is None:
                self._dialog = import_module("bot.wiring").dialog()
            return self._dialog

    def turn(self, actor: Actor, text: str, session_id: str) -> ChatResult:
        result = self._get().turn(actor, text, scoped_session(actor, session_id))
        return ChatResult(
            replies=tuple(result.replies),
            request_id=getattr(result, "request_id", None),
            status=_text(getattr(result, "status", None)),
        )


class LexEngine:
    """Amazon Lex V2 RecognizeText; the bot's code hook (the `lex` Lambda) runs the same dialog.

    https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_RecognizeText.html
    The signed-in user travels in requestAttributes (set only by this trusted API Lambda, never by
    the browser); the code hook reads it from the event's `requestAttributes`.
    """

    def __init__(self, settings: WebSettings, client: Any = None) -> None:
        self._settings = settings
        self._client = client

    def _lex(self) -> Any:
        if self._client is None:
            from bot.aws.sessions import bot_session, client_config

            session = bot_session(self._settings.region)
            self._client = session.client("lexv2-runtime", config=client_config())
        return self._client

    def turn(self, actor: Actor, text: str, session_id: str) -> ChatResult:
        response = self._lex().recognize_text(
            botId=self._settings.lex_bot_id,
            botAliasId=self._settings.lex_bot_alias_id,
            localeId=self._settings.lex_locale,
            sessionId=scoped_session(actor, session_id),
            text=text,
            requestAttributes=actor_attributes(actor),
        )
        return from_lex(response)


def actor_attributes(actor: Actor) -> dict[str, str]:
    return {
        "accessbot_actor": actor.model_dump_json(include={"id", "front", "display", "groups"}),
    }


def from_lex(response: dict[str, Any]) -> ChatResult:
    """Lex's messages back into the web reply JSON (the code hook sends Replies as CustomPayload)."""
    replies: list[Reply] = []
    for message in response.get("messages") or []:
        kind, content = message.get("contentType"), message.get("content") or ""
        if kind == "CustomPayload":
            try:
                replies.append(Reply.model_validate(json.loads(content)))
                continue
            except (ValueError, ValidationError):
                pass
        if kind == "ImageResponseCard":
            card = message.get("imageResponseCard") or {}
            buttons = tuple(
                Button(label=str(b.get("text", ""))[:75], value=str(b.get("value", ""))[:2000])
                for b in card.get("buttons") or []
            )
            replies.append(Reply(text=str(card.get("title", "")), buttons=buttons))
        elif content:
            replies.append(Reply(text=content))
    attributes = (response.get("sessionState") or {}).get("sessionAttributes") or {}
    return ChatResult(
        replies=tuple(replies) or (Reply(text=texts.LEX_EMPTY),),
        request_id=attributes.get("request_id") or None,
        status=attributes.get("status") or None,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


_engine: list[ChatEngine] = []
_engine_lock = threading.Lock()


def engine(settings: WebSettings | None = None) -> ChatEngine:
    """Lex when a bot is configured, else the embedded dialog; built once per process."""
    settings = settings or web_settings()
    with _engine_lock:
        if not _engine:
            if settings.lex_bot_id and settings.lex_bot_alias_id:
                _engine.append(LexEngine(settings))
            else:
                _engine.append(EmbeddedEngine())
        return _engine[0]


def use_engine(chat_engine: ChatEngine | None) -> None:
    """Replace the process's engine (the local world and tests); None: back to the default."""
    with _engine_lock:
        _engine.clear()
        if chat_engine is not None:
            _engine.append(chat_engine)
