"""The local HTTP adapter: each HTTP request becomes an API Gateway REST proxy event for `bot.handlers.api`.

It owns no routes: status, headers and body come from the Lambda handler unchanged, so the local
server and API Gateway answer the same request the same way.
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
"""

from __future__ import annotations

import base64
import logging
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
#: Read at most this much of a body: one byte over the API's cap is enough for it to answer 413.
READ_LIMIT = 64 * 1024 + 1
DRAIN_LIMIT = 10 * 1024 * 1024
STAGE = "local"


def _lambda_api(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from bot.handlers import api

    return api(event, context)


def to_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes, client_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    """An API Gateway REST (v1) proxy event, as a `{proxy+}` resource on stage `local` delivers it."""
    url = urlsplit(target)
    path = url.path or "/"
    query = parse_qs(url.query, keep_blank_values=True)
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    request_id = str(uuid.uuid4())
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()},
        "multiValueHeaders": multi_headers,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": request_id,
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": client_ip, "userAgent": multi_headers.get("User-Agent", [""])[-1]},
            "apiId": "local",
        },
        "body": text if body else None,
        "isBase64Encoded": encoded,
    }


class _Context:
    function_name = "accessbot-api-local"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:accessbot-api-local"

    def __init__(self, request_id: str) -> None:
        self.aws_request_id = request_id

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 29_000  # API Gateway's integration timeout


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the browser and the load test reuse connections
    server_version = "accessbot"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, READ_LIMIT)) if length > 0 else b""
        if length > READ_LIMIT:
            self._discard(length - len(body))
        event = to_event(self.command, self.path, list(self.headers.items()), body, self.client_address[0])
        server = cast(_Server, self.server)
        result = server.lambda_handler(event, _Context(event["requestContext"]["requestId"]))
        self._reply(result)

    def _discard(self, remaining: int) -> None:
        """Drain (up to API Gateway's 10 MB) what the API will refuse anyway, so the client reads the 413."""
        self.close_connection = True
        remaining = min(remaining, DRAIN_LIMIT)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _reply(self, result: dict[str, Any]) -> None:
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self.send_response(int(result.get("statusCode", 200)))
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values:
                self.send_header(name, str(value))
        for name, value in (result.get("headers") or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen() backlog: socketserver's default of 5 resets connections when a burst of clients
    # (a page's parallel fetches, the 200-turn load test) connects at once. The kernel caps it
    # at net.core.somaxconn.
    request_queue_size = 1024
    lambda_handler: Handler = staticmethod(_lambda_api)


class LocalHttpServer:
    """A ThreadingHTTPServer on loopback feeding the Lambda handler; start() / stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8080, handler: Handler | None = None) -> None:
        self.server = _Server((host, port), _RequestHandler)
        if handler is not None:
            self.server.lambda_handler = handler
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalHttpServer:
        self._thread = threading.Thread(target=self.server.serve_forever, name="accessbot-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
