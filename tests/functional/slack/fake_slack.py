"""A stand-in for Slack's Web API on 127.0.0.1 that records every call (the pattern of bolt-python's own tests)."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


class Call:
    def __init__(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> None:
        self.method = method
        self.params = params
        self.headers = headers

    def __repr__(self) -> str:
        return f"Call({self.method}, {json.dumps(self.params)[:200]})"


class FakeSlack:
    """Web API methods under /api/, response URLs under /response/, file uploads under /upload/."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.group_members: dict[str, list[str]] = {}
        self.rate_limit: dict[str, int] = {}  # method -> how many 429s to answer first
        self.fail: set[str] = set()  # methods answering a 500
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                status, body, extra = fake.answer(self.path, raw, dict(self.headers))
                data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/plain")
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What the bot sent -------------------------------------------------------------------------------
    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # Answers ----------------------------------------------------------------------------------------
    def answer(self, path: str, raw: str, headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        params = _params(raw, headers.get("Content-Type", ""))
        if path.startswith("/upload/"):
            self._record("upload", {"size": len(raw)}, headers)
            return 200, "OK", {}
        if path.startswith("/response/"):
            self._record("response_url", params, headers)
            return 200, "ok", {}
        method = path.removeprefix("/api/")
        self._record(method, params, headers)
        with self._lock:
            if self.rate_limit.get(method, 0) > 0:
                self.rate_limit[method] -= 1
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
        if method in self.fail:
            return 500, {"ok": False, "error": "internal_error"}, {}
        return 200, self._result(method, params), {}

    def _record(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.calls.append(Call(method, params, headers))

    def _result(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            channel = str(params.get("channel"))
            message = {"ts": ts, "bot_id": "B1", "text": params.get("text"), "blocks": params.get("blocks") or []}
            if params.get("thread_ts"):
                message["thread_ts"] = params["thread_ts"]
            self.messages[(channel, ts)] = message
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            key = (str(params.get("channel")), str(params.get("ts")))
            if key in self.messages:
                self.messages[key].update(text=params.get("text"), blocks=params.get("blocks") or [])
            return {"ok": True, "channel": key[0], "ts": key[1]}
        if method == "conversations.replies":
            found = self.messages.get((str(params.get("channel")), str(params.get("ts"))))
            return {"ok": True, "messages": [found] if found else []}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.group_members.get(str(params.get("usergroup")), [])}
        if method in ("views.open", "views.update"):
            return {"ok": True, "view": {"id": "V123", "external_id": params.get("external_id", "")}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.url}/upload/F1", "file_id": "F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "policy"}]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1700000000.999999"}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "B1", "team_id": "T1"}
        return {"ok": True}


def _params(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            return {"raw": raw}
        return data if isinstance(data, dict) else {"raw": data}
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments", "files"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params
