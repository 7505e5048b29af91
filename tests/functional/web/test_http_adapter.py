"""The local HTTP adapter only translates: over HTTP and straight into the Lambda handler, same answers."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.local.http import LocalHttpServer, to_event
from tests.functional.web.conftest import FakeBackend, FakeEngine, free_port, headers_of

VOLATILE = {"date", "server", "content-length", "connection", "keep-alive"}


@pytest.fixture
def server(engine: FakeEngine, backend: FakeBackend) -> Iterator[LocalHttpServer]:
    running = LocalHttpServer("127.0.0.1", free_port()).start()
    yield running
    running.stop()


def over_http(
    server: LocalHttpServer, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        found: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, {k: ", ".join(v) for k, v in found.items() if k not in VOLATILE}, data
    finally:
        connection.close()


def direct(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    from bot.handlers import api

    sent = list(headers.items())
    if body:
        sent.append(("Content-Length", str(len(body))))
    response: dict[str, Any] = api(to_event(method, path, sent, body or b""), None)
    found = {k: v for k, v in headers_of(response).items() if k not in VOLATILE}
    return response["statusCode"], found, (response.get("body") or "").encode()


def requests_to_compare(token: str) -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    chat = json.dumps({"text": "<img src=x onerror=alert(1)> read the bucket", "session_id": "s1"}).encode()
    return [
        ("GET", "/", None, {}),
        ("GET", "/static/app.css", None, {}),
        ("GET", "/healthz", None, {}),
        ("GET", "/nowhere?x=1", None, {}),
        ("POST", "/chat", chat, auth),
        ("POST", "/chat", chat, {"Content-Type": "application/json"}),
        ("POST", "/chat", b"{broken", auth),
        ("POST", "/chat", b'{"text": "' + b"x" * 70_000 + b'"}', auth),
        ("GET", "/requests/AR-7F3K2", None, auth),
        ("GET", "/requests/mine", None, auth),
        ("GET", "/requests/pending", None, auth),
        ("GET", "/me", None, auth),
        ("GET", "/me", None, {}),
        ("POST", "/requests/AR-7F3K2/decision", b'{"approve": false}', auth),
    ]


def test_adapter_and_lambda_handler_answer_alike(server: LocalHttpServer) -> None:
    from bot.web.devidp import issue

    for method, path, body, headers in requests_to_compare(issue("sam")):
        via_http = over_http(server, method, path, body, headers)
        via_lambda = direct(method, path, body, headers)
        assert via_http == via_lambda, f"{method} {path}"


def test_oversized_bodies_are_not_read_whole(server: LocalHttpServer) -> None:
    status, _, data = over_http(
        server, "POST", "/chat", b"{" + b" " * 2_000_000 + b"}", {"Content-Type": "application/json"}
    )
    assert status == 413
    assert json.loads(data) == {"error": "That message is too large (at most 64 KB)."}


def test_events_look_like_api_gateway_rest_proxy_events() -> None:
    event = to_event("POST", "/chat?debug=1", [("Content-Type", "application/json"), ("X-A", "1"), ("X-A", "2")], b"{}")
    assert event["httpMethod"] == "POST" and event["path"] == "/chat"
    assert event["queryStringParameters"] == {"debug": "1"}
    assert event["multiValueHeaders"]["X-A"] == ["1", "2"] and event["headers"]["X-A"] == "2"
    assert event["body"] == "{}" and event["isBase64Encoded"] is False
    assert event["requestContext"]["stage"] == "local" and event["requestContext"]["requestId"]
    binary = to_event("POST", "/x", [], b"\xff\xfe")
    assert binary["isBase64Encoded"] is True and binary["body"] == "//4="


def test_a_burst_of_connections_is_queued_not_reset(server: LocalHttpServer) -> None:
    """200 clients connecting at once (the load test's burst) all get an answer: the listen backlog holds them."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    gate = threading.Barrier(200)

    def one(_: int) -> int:
        gate.wait()
        return over_http(server, "GET", "/healthz", None, {})[0]

    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses == [200] * 200
