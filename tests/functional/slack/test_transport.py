"""Signed requests through the real Lambda handler (bot.handlers.api), REST and HTTP API shapes."""

from __future__ import annotations

import json
import time

import pytest

from bot.slack import messages
from tests.functional.slack.conftest import Harness
from tests.functional.slack.signed import recorded, slash_command


@pytest.mark.parametrize("http_api", [False, True])
def test_url_verification_answers_the_challenge(harness: Harness, http_api: bool) -> None:
    body = json.dumps(recorded("url_verification.json"))
    result = harness.send(body, http_api=http_api)
    assert result["statusCode"] == 200
    assert json.loads(result["body"]) == {"challenge": recorded("url_verification.json")["challenge"]}


@pytest.mark.parametrize("http_api", [False, True])
def test_a_forged_signature_gets_401_and_runs_nothing(harness: Harness, http_api: bool) -> None:
    body = slash_command("mine", response_url=harness.response_url)
    result = harness.send(body, http_api=http_api, sig="v0=" + "0" * 64)
    assert result["statusCode"] == 401
    assert harness.backend.calls == [] and harness.lam.invocations == [] and harness.fake.calls == []


def test_a_replayed_request_older_than_five_minutes_gets_401(harness: Harness) -> None:
    body = slash_command("mine", response_url=harness.response_url)
    result = harness.send(body, timestamp=int(time.time()) - 6 * 60)
    assert result["statusCode"] == 401
    assert harness.backend.calls == []


def test_a_body_changed_after_signing_gets_401(harness: Harness) -> None:
    from tests.functional.slack.signed import api_event, signature

    body = slash_command("mine", response_url=harness.response_url)
    event = api_event(body)
    event["body"] = body.replace("mine", "pending")
    event["headers"]["X-Slack-Signature"] = signature(body, int(event["headers"]["X-Slack-Request-Timestamp"]))
    from bot.handlers import api
    from tests.functional.slack.conftest import LambdaContext

    assert api(event, LambdaContext())["statusCode"] == 401


@pytest.mark.parametrize("http_api", [False, True])
def test_slash_command_acks_at_once_then_answers_lazily_through_a_lambda_reinvocation(
    harness: Harness, http_api: bool
) -> None:
    result = harness.send(slash_command("mine", response_url=harness.response_url), http_api=http_api)
    assert result["statusCode"] == 200
    ack = json.loads(result["body"])
    assert ack == {"response_type": "ephemeral", "text": messages.WORKING}
    # bolt re-invoked this same function asynchronously for the lazy part
    assert len(harness.lam.invocations) == 1
    invocation = harness.lam.invocations[0]
    assert invocation["type"] == "Event"
    assert invocation["function"].endswith(":function:accessbot-api")
    lowered = {k.lower(): v for k, v in invocation["event"]["headers"].items()}
    assert lowered["x-slack-bolt-lazy-only"] == "1"
    assert [c[0] for c in harness.backend.calls] == ["mine"]
    [answer] = harness.responses()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Your requests")
    assert harness.fake.of("auth.test") == []  # token_verification_enabled=False: no Web API call to ack


def test_help_is_answered_in_the_ack_without_lazy_work(harness: Harness) -> None:
    result = harness.send(slash_command("help", response_url=harness.response_url))
    body = json.loads(result["body"])
    assert body["response_type"] == "ephemeral"
    assert "/access status" in body["blocks"][0]["text"]["text"]
    assert harness.backend.calls == [] and harness.responses() == []


def test_a_base64_encoded_http_api_body_is_verified_and_handled(harness: Harness) -> None:
    import base64

    from bot.handlers import api
    from tests.functional.slack.conftest import LambdaContext
    from tests.functional.slack.signed import api_event

    body = slash_command("mine", response_url=harness.response_url)
    event = api_event(body, http_api=True)
    event["body"], event["isBase64Encoded"] = base64.b64encode(body.encode()).decode(), True
    result = api(event, LambdaContext())
    assert result["statusCode"] == 200
    assert [c[0] for c in harness.backend.calls] == ["mine"]


@pytest.mark.parametrize("http_api", [False, True])
def test_the_direct_path_answers_as_the_router_route_does(harness: Harness, http_api: bool) -> None:
    from bot.web import routes
    from tests.functional.slack.conftest import LambdaContext
    from tests.functional.slack.signed import api_event
    from tests.functional.web.conftest import headers_of

    body = slash_command("mine", response_url=harness.response_url)
    direct = harness.send(body, http_api=http_api)  # bot.handlers.api: straight to the Slack front
    routed = routes.handle(api_event(body, http_api=http_api), LambdaContext())
    assert (direct["statusCode"], json.loads(direct["body"])) == (routed["statusCode"], json.loads(routed["body"]))
    assert headers_of(direct)["content-security-policy"] == headers_of(routed)["content-security-policy"]
    assert headers_of(direct)["x-frame-options"] == "DENY"


def test_a_body_over_64_kb_is_refused_before_bolt_reads_it(harness: Harness) -> None:
    body = slash_command("x" * (64 * 1024), response_url=harness.response_url)
    result = harness.send(body)
    assert result["statusCode"] == 413 and "64 KB" in json.loads(result["body"])["error"]
    assert harness.dialog.turns == [] and harness.lam.invocations == []


def test_a_crash_is_a_500_without_a_stack_trace(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.slack import lambda_adapter

    def crash(event: object, context: object) -> dict[str, object]:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(lambda_adapter, "handle", crash)
    result = harness.send(slash_command("mine", response_url=harness.response_url))
    assert result["statusCode"] == 500 and "secret detail" not in result["body"]
    from bot.web import texts

    assert json.loads(result["body"]) == {"error": texts.INTERNAL}


def test_without_slack_settings_the_route_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.handlers import api
    from bot.slack import app as slack_app
    from bot.slack import lambda_adapter
    from tests.functional.slack.conftest import LambdaContext
    from tests.functional.slack.signed import api_event

    for key in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "ACCESSBOT_SECRET_ARN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    lambda_adapter.reset()
    slack_app.set_app(None)
    result = api(api_event(slash_command("mine", response_url="http://127.0.0.1:9/r")), LambdaContext())
    assert result["statusCode"] == 500
    assert "SLACK" not in result["body"]  # the operator's log names the variable, not the response
