"""The api Lambda's entry: which events go straight to the Slack front (the rest go through the router)."""

from __future__ import annotations

import pytest

from bot.api import is_slack_event, secure, security_headers
from bot.local.http import to_event


def _rest(method: str, path: str) -> dict[str, object]:
    return {"httpMethod": method, "path": path, "requestContext": {"stage": "prod"}}


def _http(method: str, raw_path: str, stage: str = "$default") -> dict[str, object]:
    return {"version": "2.0", "rawPath": raw_path, "requestContext": {"stage": stage, "http": {"method": method}}}


@pytest.mark.parametrize(
    ("event", "slack"),
    [
        (_rest("POST", "/slack/events"), True),
        (_rest("post", "/slack/events"), True),
        (_rest("GET", "/slack/events"), False),
        (_rest("POST", "/chat"), False),
        (_rest("POST", "/slack/events/"), False),  # the router's 404, as before
        (_http("POST", "/slack/events"), True),
        (_http("POST", "/prod/slack/events", stage="prod"), True),  # a named stage prefixes rawPath
        (_http("POST", "/slack/events", stage="prod"), False),
        (_http("GET", "/healthz"), False),
        (to_event("POST", "/slack/events?x=1", [], b"{}"), True),  # `accessbot serve`'s adapter
        ({}, False),
    ],
)
def test_slack_events_are_recognised_as_the_router_would_route_them(event: dict[str, object], slack: bool) -> None:
    assert is_slack_event(event) is slack


def test_security_headers_go_where_the_response_keeps_its_headers() -> None:
    rest = secure({"statusCode": 200, "multiValueHeaders": {"A": ["1"]}}, security_headers())
    assert rest["multiValueHeaders"]["A"] == ["1"] and rest["multiValueHeaders"]["X-Frame-Options"] == ["DENY"]
    http = secure({"statusCode": 200, "headers": None}, security_headers("https://idp.example"))
    assert http["headers"]["Content-Security-Policy"].count("connect-src 'self' https://idp.example;") == 1
