"""The CLI against the local bot (`accessbot serve`): find one, or start one in the background, and talk to it.

Found in this order: --url (or ACCESSBOT_URL); the newest bot recorded in the state directory; one on
the default port. Without any, one starts in the background on free loopback ports and stops after
an hour without requests. The CLI signs in through the bot's development identity provider as a
demo user (alice by default, `--as sam` to approve): the same rule as the web chat's sign-in box.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from bot.errors import AccessBotError, Conflict, Forbidden, InvalidInput, NotFound, ProvisioningFailed, RetryLater

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_USER = "alice"
#: A usage ask waits on the bot in slices this long, so a terminal shows the sweep's progress as it goes.
SLICE_SECONDS = 2.0
TIMEOUT = 150.0  # one HTTP call: a chat turn may wait ~20 s on access advisor, a usage slice far less

TEXTS = {
    "unreachable": "Nothing answers at {url} ({reason}): start `accessbot serve`, or leave out --url "
    "to use a local bot in the background.",
    "not_local": "{url} is not a local AccessBot (`accessbot serve`): the CLI signs in as its demo users.",
    "bad_url": "--url must be like http://127.0.0.1:8080 (got '{url}')",
    "started": "Started the local bot in the background: web chat at {url}/ (stops after {minutes} idle "
    "minutes; `accessbot serve --stop` stops it now).",
    "gone": "The local bot at {url} stopped answering ({reason}); run the command again to start a new one.",
    "refused": "The local bot at {url} answered {status}.",
    "starting": "Starting the local bot (embedded AWS)",
}
_ERRORS: dict[int, type[AccessBotError]] = {
    400: InvalidInput, 401: Forbidden, 403: Forbidden, 404: NotFound, 409: Conflict, 413: InvalidInput,
    502: ProvisioningFailed,
}

Advance = Callable[[int, int], None]


def _http(
    url: str, method: str, path: str, body: Any = None, *, token: str | None = None, timeout: float = TIMEOUT
) -> tuple[int, Any]:
    import http.client

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, None


def stage_at(url: str, timeout: float = 2.0) -> str | None:
    """The stage a bot at `url` reports on /healthz ("local" for `accessbot serve`); None when nothing answers."""
    try:
        status, body = _http(url, "GET", "/healthz", timeout=timeout)
    except OSError:
        return None
    if status != 200 or not isinstance(body, dict) or body.get("ok") is not True:
        return None
    return str(body.get("stage", ""))


class LocalBot:
    """One demo user signed in to one local bot: the commands' questions as HTTP calls (bot.local.cli_api)."""

    def __init__(self, url: str, user: str) -> None:
        self.url, self.user = url.rstrip("/"), user
        self._token: str | None = None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            status, answer = _http(self.url, method, path, body, token=self._token)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise RetryLater(TEXTS["gone"].format(url=self.url, reason=reason)) from None
        if status == 200:
            return answer
        message = answer.get("error") if isinstance(answer, dict) else None
        raise _ERRORS.get(status, RetryLater)(str(message or TEXTS["refused"].format(url=self.url, status=status)))

    def sign_in(self) -> LocalBot:
        self._token = str(self.call("POST", "/dev/login", {"user": self.user})["token"])
        return self

    def chat(self, text: str, session: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("POST", "/cli/chat", {"text": text, "session_id": session})
        return answer

    def requests(self, status: str | None) -> list[dict[str, Any]]:
        query = "?" + urlencode({"status": status}) if status else ""
        found: list[dict[str, Any]] = self.call("GET", "/cli/requests" + query)["requests"]
        return found

    def request(self, request_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("GET", f"/cli/requests/{quote(request_id, safe='')}")
        return answer

    def act(self, verb: str, request_id: str, reason: str | None = None) -> dict[str, Any]:
        answer: dict[str, Any] = self.call(
            "POST", f"/cli/requests/{quote(request_id, safe='')}/{verb}", {"reason": reason} if reason else {}
        )
        return answer

    def usage(self, text: str, days: int, wait: float, advance: Advance | None = None) -> dict[str, Any]:
        """Asked in slices: the bot reuses its access-advisor jobs between them, the bar moves in between."""
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            ask = {"principal": text, "days": days, "wait": round(max(min(SLICE_SECONDS, left), 0.1), 2)}
            answer: dict[str, Any] = self.call("POST", "/cli/usage", ask)
            if advance is not None:
                advance(int(answer.get("done", 0)), int(answer.get("total", 1)))
            if not answer.get("running") or time.monotonic() >= deadline:
                return answer


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise InvalidInput(TEXTS["bad_url"].format(url=url[:80]))
    return f"http://{parts.netloc}"


def find(url: str | None = None) -> str | None:
    """The URL of a running local bot: the one given, the newest recorded, or the default port's."""
    from bot.commands import statedir

    if url:
        url = _check_url(url)
        stage = stage_at(url)
        if stage is None:
            raise InvalidInput(TEXTS["unreachable"].format(url=url, reason="no AccessBot health answer"))
        if stage != "local":
            raise InvalidInput(TEXTS["not_local"].format(url=url))
        return url
    for record in statedir.records():
        if stage_at(record.url) == "local":
            return record.url
    return DEFAULT_URL if stage_at(DEFAULT_URL, timeout=0.5) == "local" else None


def connect(url: str | None, user: str | None) -> LocalBot:
    """Signed in to a running local bot, starting one in the background when none runs (and saying so)."""
    found = find(url or os.environ.get("ACCESSBOT_URL") or None)
    if found is None:
        from bot.commands import daemon
        from bot.commands.progress import progress

        with progress(TEXTS["starting"]):
            record = daemon.start()
        found = record.url
        print(TEXTS["started"].format(url=record.url, minutes=f"{record.idle_minutes:g}"), file=sys.stderr)
    return LocalBot(found, user or DEFAULT_USER).sign_in()
