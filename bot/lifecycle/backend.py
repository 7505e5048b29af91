"""intents.backend.Backend for the whole bot: requests from the RequestService, usage from access advisor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from bot.domain.models import AccessRequest, Actor, ValidationResult
from bot.domain.replies import Outcome
from bot.lifecycle.service import RequestService


class Usage(Protocol):
    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome: ...

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome: ...


class BotBackend:
    """What every front calls; each method forwards to the service that owns it."""

    def __init__(self, requests: RequestService, usage: Usage) -> None:
        self.requests, self._usage = requests, usage

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        return self.requests.submit(request, validation, actor=actor)

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        return self.requests.status(request_id, actor=actor)

    def mine(self, *, actor: Actor) -> Outcome:
        return self.requests.mine(actor=actor)

    def pending(self, *, actor: Actor) -> Outcome:
        return self.requests.pending(actor=actor)

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome:
        return self.requests.cancel(request_id, actor=actor)

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        return self.requests.extend(request_id, duration, actor=actor)

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        return self.requests.decide(request_id, approve=approve, reason=reason, actor=actor)

    def retry(self, request_id: str, *, actor: Actor) -> Outcome:
        return self.requests.retry(request_id, actor=actor)

    def revoke(self, request_id: str, *, actor: Actor) -> Outcome:
        return self.requests.revoke(request_id, actor=actor)

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._usage.usage(principal_arn, days, actor=actor)

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._usage.trim(principal_arn, days, actor=actor)


class RemoteUsage:
    """Usage reports from the worker Lambda: only the worker's role may assume the spoke roles."""

    def __init__(self, invoke: Any) -> None:
        self._invoke = invoke  # LambdaJobs.invoke

    def _call(self, job: str, principal_arn: str, days: int, actor: Actor) -> Outcome:
        from bot import errors

        answer = self._invoke({"job": job, "principal_arn": principal_arn[:2048], "days": days,
                               "actor": actor.model_dump(mode="json")}, wait=True)
        if "error" in answer:
            kind = getattr(errors, str(answer.get("error")), errors.RetryLater)
            if not (isinstance(kind, type) and issubclass(kind, errors.AccessBotError)):
                kind = errors.RetryLater
            raise kind(str(answer.get("message", "The usage report failed; try again in a moment.")))
        return Outcome.model_validate(answer.get("outcome", answer))

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._call("usage", principal_arn, days, actor)

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._call("trim", principal_arn, days, actor)
