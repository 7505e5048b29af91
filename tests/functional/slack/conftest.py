"""Fixtures: the fake Web API, the app over fake backend and dialog, and signed requests through bot.handlers.api."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.slack import app as slack_app
from bot.slack import lambda_adapter
from bot.slack.notifier import SlackNotifier
from bot.slack.settings import SlackSettings
from tests.functional.slack.fake_slack import FakeSlack
from tests.functional.slack.fakes import FakeBackend, FakeDialog
from tests.functional.slack.signed import SECRET, TOKEN, api_event


class LambdaContext:
    function_name = "accessbot-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:accessbot-api"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


class InProcessLambda:
    """A Lambda client whose async `invoke` runs bot.handlers.api at once: bolt's lazy re-invocation, in-process."""

    def __init__(self) -> None:
        self.invocations: list[dict[str, Any]] = []

    def invoke(self, FunctionName: str, InvocationType: str, Payload: str) -> dict[str, Any]:
        from bot.handlers import api

        event = json.loads(Payload)
        self.invocations.append({"function": FunctionName, "type": InvocationType, "event": event})
        result = api(event, LambdaContext())
        assert result["statusCode"] == 200, result
        return {"StatusCode": 202}


class Harness:
    def __init__(self, fake: FakeSlack, backend: FakeBackend, dialog: FakeDialog, lam: InProcessLambda) -> None:
        self.fake = fake
        self.backend = backend
        self.dialog = dialog
        self.lam = lam
        self.response_url = fake.url + "/response/T0001/1"

    def send(self, body: str, **kwargs: Any) -> dict[str, Any]:
        from bot.handlers import api

        result: dict[str, Any] = api(api_event(body, **kwargs), LambdaContext())
        return result

    def responses(self) -> list[dict[str, Any]]:
        return [c.params for c in self.fake.of("response_url")]


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(fake_slack: FakeSlack) -> SlackSettings:
    return SlackSettings(
        signing_secret=SECRET,
        bot_token=TOKEN,
        security_channel="CSECURITY",
        approvers="UCAROL,SSECTEAM",
        api_url=fake_slack.api_url,
    )


@pytest.fixture
def harness(
    fake_slack: FakeSlack, settings: SlackSettings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Harness]:
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    fake_slack.group_members["SSECTEAM"] = ["UDAVE"]
    backend = FakeBackend(SlackNotifier(settings, client=slack_app.web_client(settings)))
    dialog = FakeDialog()
    app = slack_app.build_app(
        settings,
        lambda: backend,
        dialog_factory=lambda: dialog,
        accounts=lambda: [("sandbox", "sandbox (123456789012, sandbox)"), ("prod", "prod (456789012345, prod)")],
    )
    lam = InProcessLambda()
    lambda_adapter.install(app, lambda_client=lam)
    yield Harness(fake_slack, backend, dialog, lam)
    lambda_adapter.reset()
