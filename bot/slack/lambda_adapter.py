"""API Gateway events (REST v1 and HTTP API v2) into the bolt app, via bolt's own SlackRequestHandler.

In Lambda, each lazy listener runs in a new asynchronous invocation of this same function
(bolt's LambdaLazyListenerRunner: the function's role needs `lambda:InvokeFunction` on itself).
Anywhere else (`accessbot serve`, tests without a Lambda client) lazy listeners run on threads.
https://tools.slack.dev/bolt-python/concepts/lazy-listeners
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.aws_lambda import SlackRequestHandler

_HANDLER: SlackRequestHandler | None = None
_LOCK = threading.Lock()


class _Context:
    """Stands in for the Lambda context when a caller has none (bolt reads these two names)."""

    function_name = "accessbot-local"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:accessbot-local"


def install(app: App, *, lambda_client: Any = None) -> SlackRequestHandler:
    """Wraps `app` for API Gateway events. Lazy listeners go through `lambda_client.invoke` in Lambda (or when
    a client is given, e.g. one that calls the handler in-process in tests), else stay on the app's threads."""
    from slack_bolt.adapter.aws_lambda import SlackRequestHandler
    from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

    global _HANDLER  # noqa: PLW0603 (one handler per process)
    threaded = app.listener_runner.lazy_listener_runner
    handler = SlackRequestHandler(app)
    if lambda_client is not None:
        app.listener_runner.lazy_listener_runner = LambdaLazyListenerRunner(handler.logger, lambda_client)
    elif not os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        app.listener_runner.lazy_listener_runner = threaded
    with _LOCK:
        _HANDLER = handler
    return handler


def reset() -> None:
    """Forgets the handler (tests)."""
    global _HANDLER  # noqa: PLW0603
    with _LOCK:
        _HANDLER = None


def _handler() -> SlackRequestHandler:
    with _LOCK:
        handler = _HANDLER
    if handler is not None:
        return handler
    from bot.slack.app import get_app

    return install(get_app())


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One API Gateway event for POST /slack/events (bot.api forwards the raw event here)."""
    event.setdefault("isBase64Encoded", False)
    if event.get("headers") is None:
        event["headers"] = {}
    context = context if hasattr(context, "function_name") else _Context()
    result: dict[str, Any] = _handler().handle(event, context)  # type: ignore[no-untyped-call]
    return result
