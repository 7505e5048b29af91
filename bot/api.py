"""The `api` Lambda: POST /slack/events straight to the Slack front, every other route through the Powertools router.

Slack wants its ack within 3 s, cold starts included, and a cold ack should cost little more than a bare
bolt app's. So a Slack event skips the router (bot.web.routes) and what it imports for the web chat
(Powertools' event handler, pydantic, PyJWT), and gets the router's cross-cutting behaviour here: the
Powertools logger with the Lambda context, the 64 KB body cap, one-line JSON errors and the security
headers. An event this check does not recognise still reaches the router's own /slack/events route.
"""

from __future__ import annotations

import json
from typing import Any

from bot import errors, observability
from bot.web import texts

SERVICE = "accessbot-api"
MAX_BODY = 64 * 1024
SLACK_EVENTS = "/slack/events"
# No inline script or style anywhere: the page loads /static/app.js and /static/app.css only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'{extra}; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STATUS_OF: dict[type[errors.AccessBotError], int] = {
    errors.InvalidInput: 400,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.ProvisioningFailed: 502,
    errors.RetryLater: 503,
}


def security_headers(token_origin: str | None = None) -> dict[str, str]:
    """The headers of every response; `token_origin` (the IdP's token endpoint) is where the page may also connect."""
    return {"Content-Security-Policy": CSP.format(extra=f" {token_origin}" if token_origin else "")} | SECURITY_HEADERS


def secure(result: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """`result` (a Lambda proxy response) with `headers` added, in whichever header field it uses."""
    if "multiValueHeaders" in result:
        found = result["multiValueHeaders"] = result.get("multiValueHeaders") or {}
        for name, value in headers.items():
            found[name] = [value]
    else:
        result["headers"] = (result.get("headers") or {}) | headers
    return result


def body_size(event: dict[str, Any]) -> int:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4
    return len(body.encode("utf-8", "surrogatepass"))


def status_of(error: errors.AccessBotError) -> int:
    """The HTTP status of a bot error; 500 for a configuration problem (the operator's, not the caller's)."""
    return next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 500)


def is_slack_event(event: dict[str, Any]) -> bool:
    """POST /slack/events, with the method and path read as Powertools' resolvers read them (REST v1, HTTP API v2)."""
    if event.get("version") == "2.0":
        context = event.get("requestContext") or {}
        method = str((context.get("http") or {}).get("method") or "")
        path = str(event.get("rawPath") or "")
        stage = context.get("stage")
        if stage != "$default":  # as APIGatewayProxyEventV2.path: a named stage prefixes the raw path
            path = path[len(f"/{stage}") :]
    else:
        method, path = str(event.get("httpMethod") or ""), str(event.get("path") or "")
    return method.upper() == "POST" and path == SLACK_EVENTS


def _error(status: int, message: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps({"error": message}),
        "isBase64Encoded": False,
    }


def _slack(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One Slack request through bot.slack.lambda_adapter (bolt checks its signature), answered as the router would."""
    if body_size(event) > MAX_BODY:
        return _error(413, texts.BODY_TOO_LARGE.format(limit=MAX_BODY // 1024))
    from bot.slack import lambda_adapter

    log = observability.logger(SERVICE)
    try:
        result = lambda_adapter.handle(event, context)
    except errors.AccessBotError as error:
        status = status_of(error)
        if status == 500:  # e.g. no signing secret: for the operator's log, not the caller
            log.error("configuration error", extra={"error": str(error)})
            return _error(500, texts.INTERNAL)
        return _error(status, str(error))
    except Exception:
        log.exception("unhandled error")  # the stack trace goes to the log only
        from bot.web.routes import count_error

        count_error()
        return _error(500, texts.INTERNAL)
    return result


def _slack_answer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return secure(_slack(event, context), security_headers())


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point (bot.handlers.api forwards here)."""
    if is_slack_event(event):
        from aws_lambda_powertools.logging.correlation_paths import API_GATEWAY_REST

        return observability.entry(SERVICE, _slack_answer, API_GATEWAY_REST)(event, context)
    from bot.web.routes import handle as route

    return route(event, context)
