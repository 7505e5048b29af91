"""A fake Backend that records calls (the dialog is tested against the protocol, not the lifecycle)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.domain.models import AccessRequest, Actor, ValidationResult
from bot.domain.replies import Outcome, Reply
from bot.errors import Forbidden


class FakeBackend:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def _done(self, name: str, *args: Any, request_id: str | None = None, status: str | None = None) -> Outcome:
        self.calls.append((name, args))
        return Outcome(replies=(Reply(text=f"{name} done"),), request_id=request_id, status=status)

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        return self._done("submit", request, validation, request_id="AR-7F3K2", status="PENDING_APPROVAL")

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        return self._done("status", request_id, request_id=request_id, status="PENDING_APPROVAL")

    def mine(self, *, actor: Actor) -> Outcome:
        return self._done("mine", actor.id)

    def pending(self, *, actor: Actor) -> Outcome:
        return self._done("pending", actor.id)

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome:
        return self._done("cancel", request_id)

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        return self._done("extend", request_id, duration)

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        if actor.id == "alice":
            raise Forbidden("You can't approve your own request.")
        return self._done("decide", request_id, approve, reason)

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._done("usage", principal_arn, days)

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._done("trim", principal_arn, days)
