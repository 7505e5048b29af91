"""Events, tokens and fakes for the api router tests (through bot.handlers.api, as Lambda calls it)."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.domain.models import Actor
from bot.domain.replies import Button, Outcome, Reply, Table
from bot.errors import Forbidden, InvalidInput
from bot.web.chat import ChatResult

EVENTS = Path(__file__).parents[2] / "events" / "web"


def rest_event(
    method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, *, b64: bool = False
) -> dict[str, Any]:
    event = json.loads((EVENTS / "rest_proxy.json").read_text())
    event["httpMethod"] = event["requestContext"]["httpMethod"] = method
    event["path"] = path
    event["requestContext"]["path"] = "/prod" + path
    event["pathParameters"] = {"proxy": path.lstrip("/")}
    all_headers = {**event["headers"], **(headers or {})}
    event["headers"] = all_headers
    event["multiValueHeaders"] = {k: [v] for k, v in all_headers.items()}
    event["body"], event["isBase64Encoded"] = _body(body, b64)
    return event


def http_event(
    method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, *, b64: bool = False
) -> dict[str, Any]:
    event = json.loads((EVENTS / "http_api_v2.json").read_text())
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["headers"] = {**event["headers"], **{k.lower(): v for k, v in (headers or {}).items()}}
    event["body"], event["isBase64Encoded"] = _body(body, b64)
    return event


def _body(body: Any, b64: bool) -> tuple[str | None, bool]:
    if body is None:
        return None, False
    text = body if isinstance(body, str) else json.dumps(body)
    if b64:
        return base64.b64encode(text.encode()).decode(), True
    return text, False


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    """Response headers by lower-case name, for REST (multiValueHeaders) and HTTP API (headers)."""
    found = {k.lower(): ", ".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()}
    found |= {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return found


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


class FakeEngine:
    """Answers like the dialog would: echoes the text, offers buttons, a policy, findings and a table."""

    def __init__(self) -> None:
        self.turns: list[tuple[Actor, str, str]] = []
        self.fail: Exception | None = None

    def turn(self, actor: Actor, text: str, session_id: str) -> ChatResult:
        self.turns.append((actor, text, session_id))
        if self.fail is not None:
            raise self.fail
        return ChatResult(
            replies=(
                Reply(text=f"You said: {text}", buttons=(Button(label="Yes", value="yes", style="primary"),)),
                Reply(text="Policy", policy={"Version": "2012-10-17", "Statement": []}),
                Reply(text="Usage", table=Table(columns=("service", "calls"), rows=(("s3", "3"),), chart={"s3": 3.0})),
            ),
            request_id="AR-7F3K2",
            status="PENDING_APPROVAL",
        )


class FakeBackend:
    """The lifecycle's web-facing calls, recorded; approvers are decided here, as the lifecycle does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.own: tuple[tuple[str, ...], ...] = ()  # rows of "my requests" (none: nothing to resume)

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        self.calls.append(("status", request_id))
        return Outcome(replies=(Reply(text=f"{request_id} is ACTIVE"),), request_id=request_id, status="ACTIVE")

    def mine(self, *, actor: Actor) -> Outcome:
        self.calls.append(("mine", actor.id))
        if not self.own:
            return Outcome(replies=(Reply(text="You have no requests yet."),))
        table = Table(columns=("Request", "Status", "Account", "Requested by", "Expires"), rows=self.own)
        return Outcome(replies=(Reply(text="Your requests (newest first):", table=table),))

    def pending(self, *, actor: Actor) -> Outcome:
        self.calls.append(("pending", actor.id))
        if "accessbot-approvers" not in actor.groups:
            raise Forbidden("Only security approvers can see pending requests.")
        table = Table(columns=("request", "who"), rows=(("AR-7F3K2", "alice"),))
        return Outcome(replies=(Reply(text="1 request waits", table=table),))

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        self.calls.append(("decide", (request_id, approve, reason, actor.id)))
        if request_id == "AR-SELF1":
            raise Forbidden("You cannot approve your own request.")
        if request_id == "AR-NOPE1":
            raise InvalidInput("No such request.")
        status = "APPROVED" if approve else "DENIED"
        return Outcome(replies=(Reply(text=f"{request_id} {status.lower()}"),), request_id=request_id, status=status)


@pytest.fixture
def local_stage(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fresh settings and router for each test (settings are read once per process otherwise)."""
    from bot.web import identity, routes

    for key in ("ACCESSBOT_OIDC_ISSUER", "ACCESSBOT_OIDC_AUDIENCE", "ACCESSBOT_OIDC_JWKS_URL", "ACCESSBOT_LEX_BOT_ID"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ACCESSBOT_STAGE", "local")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()
    yield
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()


@pytest.fixture
def engine(local_stage: None) -> Iterator[FakeEngine]:
    from bot.web import chat

    fake = FakeEngine()
    chat.use_engine(fake)
    yield fake
    chat.use_engine(None)


@pytest.fixture
def backend(local_stage: None) -> Iterator[FakeBackend]:
    from bot.web import approvals

    fake = FakeBackend()
    approvals.use_backend(fake)
    yield fake
    approvals.use_backend(None)


@pytest.fixture
def token() -> Callable[..., str]:
    from bot.web.devidp import issue

    def make(user: str = "alice", **kwargs: Any) -> str:
        return issue(user, **kwargs)

    return make


@pytest.fixture
def call() -> Callable[[dict[str, Any]], dict[str, Any]]:
    from bot.handlers import api

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        return api(copy.deepcopy(event), None)

    return invoke


def free_port(first: int = 8100, last: int = 8199) -> int:
    """A free loopback port in the range this suite may use."""
    import random
    import socket

    ports = list(range(first, last + 1))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")
