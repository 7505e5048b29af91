"""The `worker` and `expiry` Lambdas: they translate events into lifecycle jobs and usage reports, nothing more.

Worker events: `{"job": "provision"|"extend"|"revoke"|"cleanup", "request_id": ...}` (asynchronous; a
RetryLater is raised so Lambda retries the event) and `{"job": "usage"|"trim", "principal_arn", "days",
"actor"}` (synchronous; the answer is the Outcome, or `{"error", "message"}`). Expiry events are the
schedule payloads of bot.lifecycle.worker.LifecycleWorker.scheduled.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from bot import errors

logger = logging.getLogger(__name__)

USAGE_JOBS = frozenset({"usage", "trim"})


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from bot import wiring

    job = str(event.get("job", ""))
    if job in USAGE_JOBS:
        return _usage(job, event)
    request_id = str(event.get("request_id", ""))[:32]
    extra = {k: str(v)[:256] for k, v in event.items() if k in {"actor", "front"}}
    try:
        return wiring.worker().run(job, request_id, **extra)
    except errors.RetryLater:
        logger.warning("job will be retried", extra={"job": job, "request": request_id})
        raise
    except errors.AccessBotError as error:
        logger.warning("job refused", extra={"job": job, "request": request_id, "error": type(error).__name__})
        return {"request_id": request_id, "error": type(error).__name__, "message": str(error)}


def _usage(job: str, event: dict[str, Any]) -> dict[str, Any]:
    from bot import wiring
    from bot.domain.models import Actor

    try:
        actor = Actor.model_validate(event.get("actor"))
        days = int(event.get("days", 90))
        service = wiring.usage_service()
        run = service.trim if job == "trim" else service.usage
        outcome = run(str(event.get("principal_arn", ""))[:2048], days, actor=actor)
    except (ValidationError, TypeError, ValueError):
        return {"error": "InvalidInput", "message": "The usage job was malformed."}
    except errors.AccessBotError as error:
        return {"error": type(error).__name__, "message": str(error)}
    return {"outcome": outcome.model_dump(mode="json")}


def handle_expiry(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from bot import wiring

    try:
        return wiring.worker().scheduled(event if isinstance(event, dict) else {})
    except (errors.RetryLater, errors.ProvisioningFailed):
        raise  # EventBridge Scheduler's retry policy delivers it again (the policy's own time bound holds)
    except errors.AccessBotError as error:
        logger.warning("scheduled action refused", extra={"error": type(error).__name__})
        return {"error": type(error).__name__, "message": str(error)}
