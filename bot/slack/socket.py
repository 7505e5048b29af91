"""Socket Mode for `accessbot serve`: the local bot joins a real workspace without a public URL.

https://tools.slack.dev/bolt-python/concepts/socket-mode (needs SLACK_APP_TOKEN, an xapp- token
with connections:write).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import ConfigurationError
from bot.slack.settings import SlackSettings

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler


def enabled(settings: SlackSettings | None = None) -> bool:
    settings = settings or SlackSettings.from_env()
    return bool(settings.app_token)


def start(app: App, *, settings: SlackSettings | None = None) -> SocketModeHandler:
    """Connects in a background thread and returns the handler (`stop(handler)` disconnects)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = settings or SlackSettings.from_env()
    token = settings.app_token
    if not token.startswith("xapp-"):
        raise ConfigurationError("SLACK_APP_TOKEN must be an app-level token (xapp-...) with connections:write")
    handler = SocketModeHandler(app, app_token=token)
    handler.connect()  # type: ignore[no-untyped-call]
    return handler


def stop(handler: SocketModeHandler) -> None:
    handler.close()  # type: ignore[no-untyped-call]
