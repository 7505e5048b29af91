"""A cold Slack ack imports only what the ack needs: the dialog, policy engine and web router wait for the lazy part.

Each case runs in a fresh interpreter (sys.modules is the evidence), acks a signed request through the real entry
point bot.handlers.api, and hands the lazy part to a Lambda client that only records it, as bolt does in Lambda.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.slack import messages
from tests.functional.slack.signed import SECRET, TOKEN, api_event, block_action, slash_command

ROOT = Path(__file__).resolve().parents[3]
RESPONSE_URL = "http://127.0.0.1:9/response"

#: Modules the ack must not load: the lazy listener's work (words, policies, the lifecycle) and the web chat's router.
LAZY_ONLY = (
    "intents.parser",
    "intents.dialog",
    "bot.domain.writer",
    "bot.domain.validation",
    "bot.domain.models",
    "bot.wiring",
    "bot.lifecycle",
    "bot.web.routes",
    "aws_lambda_powertools.event_handler",
    "pydantic",
    "jwt",
)

ACK = """
import json, sys

class Recorder:
    calls = []
    def invoke(self, **kwargs):
        self.calls.append(kwargs)
        return {"StatusCode": 202}

class Ctx:
    function_name = "accessbot-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:accessbot-api"
    aws_request_id = "ack-test"

from bot.slack import app, lambda_adapter
from bot.handlers import api

lambda_adapter.install(app.get_app(), lambda_client=Recorder())
result = api(json.loads(sys.stdin.read()), Ctx())
lazy = [json.loads(c["Payload"])["headers"].get("x-slack-bolt-lazy-only") for c in Recorder.calls]
loaded = sorted({name for name in sys.modules for lazy_only in LAZY_ONLY if name == lazy_only
                 or name.startswith(lazy_only + ".")})
print(json.dumps({"status": result["statusCode"], "body": result["body"], "lazy": lazy, "loaded": loaded}))
"""


def _ack(event: dict[str, object]) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ACCESSBOT_", "LAMBDA_", "_X_AMZN"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "ACCESSBOT_SLACK_API_URL": "http://127.0.0.1:9/api/",  # the acks here call no Web API method
        "AWS_LAMBDA_FUNCTION_NAME": "accessbot-api",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", f"LAZY_ONLY = {LAZY_ONLY!r}\n" + ACK], input=json.dumps(event), env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_a_cold_access_command_acks_without_loading_the_dialog_or_the_policy_engine() -> None:
    answer = _ack(api_event(slash_command("read the reports bucket in sandbox for 4h", response_url=RESPONSE_URL)))
    assert answer["status"] == 200
    assert json.loads(str(answer["body"])) == {"response_type": "ephemeral", "text": messages.WORKING}
    assert answer["lazy"] == ["1"]  # the words go to the dialog in the re-invoked function
    assert answer["loaded"] == []


@pytest.mark.parametrize("action", ["card_approve", "turn:0"])
def test_a_cold_button_click_acks_without_loading_them_either(action: str) -> None:
    answer = _ack(api_event(block_action(action, "AR-7F3K2", user="UCAROL", response_url=RESPONSE_URL)))
    assert answer["status"] == 200 and answer["lazy"] == ["1"]
    assert answer["loaded"] == []


def test_a_forged_signature_is_refused_by_bolt_before_any_listener() -> None:
    answer = _ack(api_event(slash_command("mine", response_url=RESPONSE_URL), sig="v0=" + "0" * 64))
    assert answer["status"] == 401 and answer["lazy"] == []
