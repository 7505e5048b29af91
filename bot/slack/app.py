"""The bolt App: built once per process, lazily, with no Web API call at cold start and only the acks' imports."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from bot.slack import routes
from bot.slack.services import Services
from bot.slack.settings import SlackSettings

if TYPE_CHECKING:
    from slack_bolt import App, BoltRequest, BoltResponse
    from slack_sdk import WebClient

    from bot.slack.services import DialogPort, Drafter, Validator
    from intents.backend import Backend

logger = logging.getLogger(__name__)

#: 429s are retried after Slack's Retry-After (twice), dropped connections once.
RATE_LIMIT_RETRIES = 2
SEEN_EVENTS = 2048

class _ExpectedWarnings(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment itself, then warns that `client` and `authorize` win
    over it: true and intended here (the token reaches each request through `authorize`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("As you gave `client` as well", "As `installation_store` or `authorize`"))


_EXPECTED_WARNINGS = _ExpectedWarnings()
_APP: App | None = None
_LOCK = threading.Lock()


class EventLedger:
    """Event ids this process has handled (Slack may deliver an event twice); `first(id)` is True once per id."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


def web_client(settings: SlackSettings, *, token: bool = True) -> WebClient:
    """A Web API client on ACCESSBOT_SLACK_API_URL that honours 429 Retry-After.

    https://api.slack.com/docs/rate-limits, https://tools.slack.dev/python-slack-sdk/web#retryhandler
    """
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

    return WebClient(
        token=settings.bot_token if token else None,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def dedupe(first: Callable[[str], bool]) -> Callable[..., BoltResponse]:
    """Global middleware: Slack's retries and duplicate deliveries of an event are acked without running again.

    A retry after a timeout (X-Slack-Retry-Reason: http_timeout) means the first delivery is still
    being handled; only a retry after an error runs, and then only if this event id is new here.
    https://api.slack.com/apis/events-api#retries
    """
    from slack_bolt import BoltResponse

    def middleware(req: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:
        body = req.body if isinstance(req.body, dict) else {}
        if req.lazy_only or body.get("type") != "event_callback":
            return next()
        retry = (req.headers.get("x-slack-retry-num") or [""])[0]
        reason = (req.headers.get("x-slack-retry-reason") or [""])[0]
        event_id = str(body.get("event_id") or "")
        if (retry and reason != "http_error") or (event_id and not first(event_id)):
            logger.info("duplicate event acked", extra={"event_id": event_id, "retry": retry})
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return next()

    return middleware


def build_app(
    settings: SlackSettings,
    backend_factory: Callable[[], Backend],
    *,
    dialog_factory: Callable[[], DialogPort] | None = None,
    validator: Validator | None = None,
    drafter: Drafter | None = None,
    accounts: Callable[[], list[tuple[str, str]]] | None = None,
    first_event: Callable[[str], bool] | None = None,
) -> App:
    """The AccessBot Slack app. Acks before returning (process_before_response), slow work in lazy listeners.

    No `auth.test` at build time or on the first request: the bot token is handed to each request by
    `authorize`, so a cold start spends nothing on Slack before it acks.
    """
    from slack_bolt import App
    from slack_bolt.authorization import AuthorizeResult

    settings.require()
    bot_token = settings.bot_token

    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

    bolt_logger = logging.getLogger("bot.slack.bolt")
    bolt_logger.addFilter(_EXPECTED_WARNINGS)
    app = App(
        signing_secret=settings.signing_secret,
        client=web_client(settings, token=False),
        authorize=authorize,
        process_before_response=True,
        token_verification_enabled=False,
        name="accessbot",
        logger=bolt_logger,
    )
    app.use(dedupe(first_event or EventLedger().first))
    services = Services(
        settings,
        backend_factory,
        dialog_factory=dialog_factory,
        validator=validator,
        drafter=drafter,
        accounts=accounts,
    )
    routes.register(app, services)
    return app


def _wired_backend() -> Backend:
    backend: Backend = import_module("bot.wiring").backend()
    return backend


def get_app(*, settings: SlackSettings | None = None) -> App:
    """The process's app, built on first use from the environment (and Secrets Manager in AWS)."""
    global _APP  # noqa: PLW0603 (one app per process, built lazily)
    with _LOCK:
        if _APP is None:
            _APP = build_app((settings or SlackSettings.from_env()).with_secrets(), _wired_backend)
        return _APP


def set_app(app: App | None) -> None:
    """Replaces the process's app (tests, `accessbot serve` with its own wiring)."""
    global _APP  # noqa: PLW0603
    with _LOCK:
        _APP = app

