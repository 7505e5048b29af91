"""Socket Mode for `accessbot serve`: on only with an app-level token, refused with a clear message otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import ConfigurationError
from bot.slack import socket
from bot.slack.settings import SlackSettings


def test_socket_mode_is_off_without_an_app_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    assert socket.enabled() is False
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A1-2-abc")
    assert socket.enabled() is True


def test_a_bot_token_in_place_of_the_app_token_is_refused_before_connecting() -> None:
    with pytest.raises(ConfigurationError, match="SLACK_APP_TOKEN must be an app-level token"):
        socket.start(object(), settings=SlackSettings(app_token="xoxb-wrong"))  # type: ignore[arg-type]


def test_start_connects_bolts_handler_and_stop_closes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, Any]] = []

    class Handler:
        def __init__(self, app: Any, app_token: str) -> None:
            events.append(("init", app_token))

        def connect(self) -> None:
            events.append(("connect", None))

        def close(self) -> None:
            events.append(("close", None))

    monkeypatch.setattr("slack_bolt.adapter.socket_mode.SocketModeHandler", Handler)
    handler = socket.start(object(), settings=SlackSettings(app_token="xapp-1-A1-2-abc"))  # type: ignore[arg-type]
    socket.stop(handler)
    assert events == [("init", "xapp-1-A1-2-abc"), ("connect", None), ("close", None)]
