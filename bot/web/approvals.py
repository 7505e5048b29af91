"""The web's view of requests: status, my requests, the pending list, approve/deny (through the lifecycle)."""

from __future__ import annotations

import re
import threading
from importlib import import_module
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.models import Actor
from bot.errors import InvalidInput
from bot.web import texts
from bot.web.chat import ChatResult

REQUEST_ID = re.compile(r"^AR-[A-Z0-9]{3,16}$")
MAX_REASON = 1000


class DecisionIn(BaseModel):
    """The `POST /requests/<id>/decision` body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    approve: bool
    reason: str | None = Field(default=None, max_length=MAX_REASON)

    @model_validator(mode="after")
    def _deny_has_reason(self) -> DecisionIn:
        if not self.approve and not self.reason:
            raise ValueError(texts.DENY_NEEDS_REASON)
        return self


_backend: list[Any] = []
_lock = threading.Lock()


def backend() -> Any:
    """The lifecycle backend (intents.backend.Backend) from the composition root, built once."""
    with _lock:
        if not _backend:
            _backend.append(import_module("bot.wiring").backend())
        return _backend[0]


def use_backend(value: Any) -> None:
    """Replace the process's backend (tests); None: back to the composition root's."""
    with _lock:
        _backend.clear()
        if value is not None:
            _backend.append(value)


def checked_id(request_id: str) -> str:
    request_id = request_id.strip().upper()
    if not REQUEST_ID.match(request_id):
        raise InvalidInput(texts.BAD_REQUEST_ID)
    return request_id


def status(actor: Actor, request_id: str) -> ChatResult:
    return ChatResult.of(backend().status(checked_id(request_id), actor=actor))


def mine(actor: Actor) -> ChatResult:
    """The signed-in user's own requests, newest first."""
    return ChatResult.of(backend().mine(actor=actor))


def pending(actor: Actor) -> ChatResult:
    return ChatResult.of(backend().pending(actor=actor))


def decide(actor: Actor, request_id: str, decision: DecisionIn) -> ChatResult:
    outcome = backend().decide(checked_id(request_id), approve=decision.approve, reason=decision.reason, actor=actor)
    return ChatResult.of(outcome)
