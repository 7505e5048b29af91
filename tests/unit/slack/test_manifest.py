"""The Slack app manifest matches what the code listens to, on one URL, with the least scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[3] / "infra" / "slack-app-manifest.yml"
URL = "https://accessbot.example.bot/slack/events"


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return data


def test_every_request_url_is_the_one_slack_route() -> None:
    manifest = _manifest()
    assert [c["url"] for c in manifest["features"]["slash_commands"]] == [URL]
    assert manifest["settings"]["event_subscriptions"]["request_url"] == URL
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": URL}


def test_the_command_and_events_are_the_ones_the_listeners_handle() -> None:
    manifest = _manifest()
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/access"]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["message.channels"]


def test_least_scopes() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    assert scopes == {"commands", "chat:write", "channels:history", "usergroups:read", "files:write"}
    assert "user" not in _manifest()["oauth_config"]["scopes"]  # no user token at all
