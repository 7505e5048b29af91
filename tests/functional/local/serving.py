"""`accessbot serve` in this process (its Serve: embedded world, local scheduler, HTTP server) and a small client.

Shared by the functional flow test and the browser flow test: both talk HTTP to the real server,
and look at moto's accounts through the world it started.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.functional.web.conftest import free_port

SANDBOX = "123456789012"
ASK = "write access to objects in bucket analytics-raw in sandbox for 2 hours"
WHY = "ticket DATA-42"  # (a longer answer with a service word is re-read as a new request: see the report)


def _fresh_process_state() -> None:
    """Forget what earlier tests built: settings, routers, the chat engine, the lifecycle backend."""
    from bot import wiring
    from bot.settings import get_settings
    from bot.web import approvals, chat, identity, routes

    wiring.reset()
    chat.use_engine(None)
    approvals.use_backend(None)
    identity.web_settings.cache_clear()
    get_settings.cache_clear()
    routes.resolver.cache_clear()


@contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A started `Serve` on free loopback ports; stopped, and the process state reset, afterwards."""
    from bot.commands.serve import Serve

    for key in ("ACCESSBOT_OIDC_ISSUER", "ACCESSBOT_OIDC_AUDIENCE", "ACCESSBOT_OIDC_JWKS_URL", "ACCESSBOT_LEX_BOT_ID",
                "ACCESSBOT_STORE", "ACCESSBOT_WORKER_FUNCTION", "ACCESSBOT_SCHEDULER_GROUP", "ACCESSBOT_ACCOUNTS_FILE",
                "ACCESSBOT_RULES_FILE", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "ACCESSBOT_SECRET_ARN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ACCESSBOT_STAGE", "local")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    _fresh_process_state()
    port = free_port()
    aws_port = free_port()
    while aws_port == port:
        aws_port = free_port()
    serve = Serve(host="127.0.0.1", port=port, aws="embedded", aws_port=aws_port).start()
    try:
        yield serve
    finally:
        serve.stop()
        _fresh_process_state()


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


class Client:
    """One signed-in user of the web chat, over HTTP, as the page's script talks to the API."""

    def __init__(self, serve: Any, user: str | None = None) -> None:
        self.host, self.port = serve.http.server.server_address[:2]
        self.token: str | None = None
        self.session = f"flow-{user or 'anon'}"
        if user is not None:
            login = self.call("POST", "/dev/login", {"user": user})
            assert login.status == 200, login.body
            self.token = login.body["token"]

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None) -> Answer:
        connection = http.client.HTTPConnection(str(self.host), int(self.port), timeout=60)
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            return Answer(response.status, json.loads(text) if text else None,
                          {k.lower(): v for k, v in response.getheaders()})
        finally:
            connection.close()

    def say(self, text: str) -> Answer:
        return self.call("POST", "/chat", {"text": text, "session_id": self.session})


def texts_of(answer: Answer) -> str:
    return "\n".join(reply.get("text", "") for reply in answer.body.get("replies", []))
