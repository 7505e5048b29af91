"""Signed Slack requests as API Gateway events (REST v1 or HTTP API v2), built from tests/events/slack/."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

EVENTS = Path(__file__).resolve().parents[2] / "events" / "slack"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # a test signing secret (Slack's docs use this shape)
TOKEN = "xoxb-test-token"


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return data


def slash_command(text: str, *, user: str = "UALICE", response_url: str, user_name: str = "alice") -> str:
    body = recorded("slash_command.json") | {
        "text": text,
        "user_id": user,
        "user_name": user_name,
        "response_url": response_url,
    }
    return urlencode(body)


def block_action(
    action_id: str, value: str, *, user: str, response_url: str, channel: str = "CSECURITY",
    message_ts: str = "1700000000.000001", selected: bool = False,
) -> str:
    payload = recorded("block_actions.json")
    payload["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0001"}
    payload["container"].update(channel_id=channel, message_ts=message_ts)
    payload["channel"]["id"] = channel
    payload["message"]["ts"] = message_ts
    payload["response_url"] = response_url
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b1", "type": "button", "value": value,
                              "action_ts": "1700000001.000000"}
    if selected:
        action = {"action_id": action_id, "block_id": "b1", "type": "static_select",
                  "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}
    payload["actions"] = [action]
    return urlencode({"payload": json.dumps(payload)})


def view_submission(callback_id: str, values: dict[str, Any], *, user: str, metadata: str = "") -> str:
    payload = recorded("view_submission.json")
    payload["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0001"}
    payload["view"].update(callback_id=callback_id, private_metadata=metadata)
    state: dict[str, Any] = {}
    for block_id, value in values.items():
        if isinstance(value, dict):
            state[block_id] = {block_id: {"type": "static_select", "selected_option": value}}
        else:
            state[block_id] = {block_id: {"type": "plain_text_input", "value": value}}
    payload["view"]["state"] = {"values": state}
    return urlencode({"payload": json.dumps(payload)})


def thread_reply(text: str, *, user: str, thread_ts: str, event_id: str = "Ev0001", **extra: Any) -> str:
    body = recorded("event_message_thread.json")
    body["event"].update(text=text, user=user, thread_ts=thread_ts, **extra)
    body["event_id"] = event_id
    return json.dumps(body)


def signature(body: str, timestamp: int, secret: str = SECRET) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body) or ""


def api_event(
    body: str, *, http_api: bool = False, timestamp: int | None = None, sig: str | None = None,
    json_body: bool | None = None, headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A signed POST /slack/events as API Gateway delivers it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    event = copy.deepcopy(recorded("apigw_http.json" if http_api else "apigw_rest.json"))
    is_json = body.lstrip().startswith("{") if json_body is None else json_body
    content_type = "application/json" if is_json else "application/x-www-form-urlencoded"
    extra = {
        "x-slack-request-timestamp": str(timestamp),
        "x-slack-signature": sig if sig is not None else signature(body, timestamp),
        "content-type": content_type,
        **(headers or {}),
    }
    if http_api:
        event["headers"].update(extra)
    else:
        event["headers"].pop("Content-Type", None)
        event["headers"].update({_title(k): v for k, v in extra.items()})
    event["body"] = body
    return event


def _title(header: str) -> str:
    return "-".join(part.capitalize() for part in header.split("-"))
