"""The `api` Lambda's Powertools router: the web chat's routes (and /slack/events, forwarded raw to the Slack front).

REST (API Gateway v1) and HTTP API (v2) proxy events both work: each has its own resolver with the
same routes. https://docs.powertools.aws.dev/lambda/python/latest/core/event_handler/api_gateway/
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import warnings
from functools import lru_cache
from importlib import import_module
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from pydantic import BaseModel, ValidationError

from bot import api, errors, observability
from bot.api import MAX_BODY, SERVICE
from bot.web import texts
from bot.web.identity import Unauthenticated, WebSettings, bearer, is_approver, verify, web_settings

# Routes without a metric of their own are normal; Powertools would warn on every such request.
warnings.filterwarnings("ignore", "No application metrics to publish")

logger = observability.logger(SERVICE)
metrics = Metrics(namespace="AccessBot", service=SERVICE)

JSON = "application/json"
STATIC_TYPES = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=json.dumps(body),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def error_response(status: int, message: str) -> Response[str]:
    extra = {"WWW-Authenticate": 'Bearer realm="accessbot"'} if status == 401 else None
    return json_response(status, {"error": message}, extra)


@lru_cache(maxsize=8)
def _asset(name: str) -> bytes:
    from importlib.resources import files

    return files("bot.web").joinpath("static", name).read_bytes()


def _register(app: ApiGatewayResolver, settings: WebSettings) -> None:  # noqa: PLR0915 (one route table)
    def actor() -> Any:
        return verify(bearer(dict(app.current_event.headers or {})), settings)

    def body_of(model: type[BaseModel]) -> Any:
        try:
            data = json.loads(app.current_event.decoded_body or "")
        except (ValueError, binascii.Error) as error:
            raise errors.InvalidInput(texts.BAD_JSON) from error
        if not isinstance(data, dict):
            raise errors.InvalidInput(texts.BAD_JSON)
        try:
            return model.model_validate(data)
        except ValidationError as error:
            raise errors.InvalidInput(_first_problem(error)) from error

    def cap_body(app: ApiGatewayResolver, next_middleware: Any) -> Response[str]:
        if api.body_size(app.current_event.raw_event) > MAX_BODY:
            return error_response(413, texts.BODY_TOO_LARGE.format(limit=MAX_BODY // 1024))
        response: Response[str] = next_middleware(app)
        return response

    app.use(middlewares=[cap_body])

    @app.get("/")
    def index() -> Response[str]:
        return Response(200, "text/html; charset=utf-8", _asset("index.html").decode(), {"Cache-Control": "no-cache"})

    @app.get("/static/<name>")
    def static(name: str) -> Response[str]:
        if name not in STATIC_TYPES:
            return error_response(404, texts.NOT_FOUND)
        content = _asset(name)
        return Response(200, STATIC_TYPES[name], content.decode(), {"Cache-Control": "no-cache"})

    @app.get("/auth/config")
    def auth_config() -> Response[str]:
        return json_response(200, settings.sign_in())

    @app.get("/healthz")
    def healthz() -> Response[str]:
        return json_response(200, {"ok": True, "stage": settings.stage})

    @app.post("/slack/events")
    def slack_events() -> Response[str]:
        slack = import_module("bot.slack.lambda_adapter")
        result: dict[str, Any] = slack.handle(app.current_event.raw_event, app.lambda_context)
        headers = {k: v if isinstance(v, str) else ",".join(v) for k, v in (result.get("headers") or {}).items()}
        body = result.get("body") or ""
        if result.get("isBase64Encoded"):
            body = base64.b64decode(body).decode()
        return Response(int(result.get("statusCode", 200)), headers.pop("Content-Type", None), body, headers)

    def chat() -> Response[str]:
        from bot.web.chat import ChatIn, engine

        who = actor()
        message = body_of(ChatIn)
        started = time.perf_counter()
        result = engine(settings).turn(who, message.text, message.session_id)
        count("ChatTurns")
        logger.info("chat turn", extra={"user": who.id, "ms": round((time.perf_counter() - started) * 1000)})
        return json_response(200, result.as_json())

    app.post("/chat")(observability.traced(SERVICE, chat))

    @app.get("/me")
    def me() -> Response[str]:
        who = actor()
        return json_response(200, {"user": who.id, "name": who.display, "approver": is_approver(who, settings)})

    @app.get("/requests/pending")
    def pending() -> Response[str]:
        from bot.web.approvals import pending as pending_of

        return json_response(200, pending_of(actor()).as_json())

    @app.get("/requests/mine")
    def mine() -> Response[str]:
        from bot.web.approvals import mine as mine_of

        return json_response(200, mine_of(actor()).as_json())

    @app.get("/requests/<request_id>")
    def status(request_id: str) -> Response[str]:
        from bot.web.approvals import status as status_of

        return json_response(200, status_of(actor(), request_id).as_json())

    @app.post("/requests/<request_id>/decision")
    def decision(request_id: str) -> Response[str]:
        from bot.web.approvals import DecisionIn, decide

        who = actor()
        return json_response(200, decide(who, request_id, body_of(DecisionIn)).as_json())

    if settings.local:
        _register_dev(app, settings)
        import_module("bot.local.cli_api").register(app, actor, body_of)  # the CLI's routes, local stage only

    def unauthenticated(error: Unauthenticated) -> Response[str]:
        return error_response(401, str(error) or texts.SIGN_IN)

    def refused(error: errors.AccessBotError) -> Response[str]:
        status = api.status_of(error)
        if status == 500:  # a configuration problem: for the operator's log, not the user's screen
            logger.error("configuration error", extra={"error": str(error)})
            return error_response(500, texts.INTERNAL)
        return error_response(status, str(error))

    def crashed(_: Exception) -> Response[str]:
        logger.exception("unhandled error")  # the stack trace goes to the log only
        count("Errors")
        return error_response(500, texts.INTERNAL)

    def not_found(_: Exception) -> Response[str]:
        return error_response(404, texts.NOT_FOUND)

    # Registered without decorators: Powertools' handler decorators are untyped.
    app.exception_handler(Unauthenticated)(unauthenticated)
    app.exception_handler(errors.AccessBotError)(refused)
    app.exception_handler(Exception)(crashed)
    app.not_found(not_found)


def _register_dev(app: ApiGatewayResolver, settings: WebSettings) -> None:
    """The development identity provider's routes (local stage only)."""
    from pydantic import ConfigDict, Field

    class LoginIn(BaseModel):
        model_config = ConfigDict(extra="forbid")
        user: str = Field(min_length=1, max_length=64)

    @app.post("/dev/login")
    def login() -> Response[str]:
        from bot.web.devidp import DEMO_USERS, issue

        try:
            data = json.loads(app.current_event.decoded_body or "")
        except (ValueError, binascii.Error) as error:
            raise errors.InvalidInput(texts.BAD_JSON) from error
        try:
            who = LoginIn.model_validate(data)
        except ValidationError as error:
            raise errors.InvalidInput(texts.LOGIN_USER) from error
        token = issue(who.user, settings)
        demo = DEMO_USERS[who.user.strip().lower()]
        return json_response(200, {"token": token, "user": demo.user, "name": demo.name, "approver": demo.approver})

    @app.get("/dev/users")
    def users() -> Response[str]:
        from bot.web.devidp import users as demo_users

        return json_response(200, {"users": demo_users()})

    @app.get("/dev/jwks.json")
    def jwks() -> Response[str]:
        from bot.web.devidp import jwks as key_set

        return json_response(200, key_set(), {"Cache-Control": "max-age=300"})


def _first_problem(error: ValidationError) -> str:
    """The one problem to show, in the web front's words (never pydantic's)."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem.get("loc", ()))
    kind = problem.get("type")
    if kind == "extra_forbidden":
        return texts.UNKNOWN_FIELD.format(field=where[:64])
    if where == "text" and kind in {"string_too_short", "missing", "string_type"}:
        return texts.TEXT_REQUIRED
    if where == "text" and kind == "string_too_long":
        from bot.web.chat import MAX_TEXT

        return texts.TEXT_TOO_LONG.format(limit=MAX_TEXT)
    if where == "session_id":
        return texts.BAD_SESSION
    if where == "approve":
        return texts.DECISION_REQUIRED
    if where == "reason":
        from bot.web.approvals import MAX_REASON

        return texts.REASON_TOO_LONG.format(limit=MAX_REASON)
    message = str(problem.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


@lru_cache(maxsize=2)
def resolver(http_api: bool) -> ApiGatewayResolver:
    """The router for REST (v1) or HTTP API (v2) events, built on first use."""
    settings = web_settings()
    security_headers.cache_clear()
    app: ApiGatewayResolver = APIGatewayHttpResolver() if http_api else APIGatewayRestResolver()
    _register(app, settings)
    return app


@lru_cache(maxsize=1)
def security_headers() -> dict[str, str]:
    """The headers of every response; the CSP also lets the page reach the IdP's token endpoint."""
    return api.security_headers(web_settings().token_origin())


@metrics.log_metrics
def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    http_api = event.get("version") == "2.0"
    result: dict[str, Any] = resolver(http_api).resolve(event, context)
    return api.secure(result, security_headers())


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Every route but a recognised POST /slack/events (bot.api.handle sends those to the Slack front itself)."""
    run = observability.entry(SERVICE, _handle, correlation_paths.API_GATEWAY_REST)
    return run(event, context)


def count(name: str) -> None:
    """One data point of `name`; none where metrics are off (serve, tests).

    With POWERTOOLS_METRICS_DISABLED, Powertools keeps collecting and prints every 100th data point's
    batch anyway (the EMF limit): `accessbot serve` showed a JSON blob on the terminal every 100 turns.
    """
    if not is_metrics_disabled():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def count_error() -> None:
    """One `Errors` metric, published at once (for a crash outside the router, e.g. on bot.api's Slack path)."""
    if not is_metrics_disabled():
        count("Errors")
        metrics.flush_metrics()
