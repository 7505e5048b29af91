"""Lambda entry points: each only forwards to the module that owns the work (imported on first use).

bot.observability adds the Powertools logger (and X-Ray, where tracing is on) to each; the api
Lambda's router does that itself, with its metrics.
"""

from __future__ import annotations

from typing import Any


def api(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """API Gateway: /slack/events straight to the Slack front, /chat, /, /healthz, ... through the router (bot.api)."""
    from bot.api import handle

    return handle(event, context)


def lex(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Amazon Lex V2 code hook (dialog and fulfillment)."""
    from bot.observability import entry
    from intents.lex import handle

    return entry("accessbot-lex", handle)(event, context)


def worker(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Slow work: provisioning, access-advisor jobs, retries."""
    from bot.observability import entry
    from bot.worker import handle

    return entry("accessbot-worker", handle)(event, context)


def expiry(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge Scheduler target: revoke an expired grant, time out a pending request."""
    from bot.observability import entry
    from bot.worker import handle_expiry

    return entry("accessbot-expiry", handle_expiry)(event, context)
