"""The Bedrock reader, with botocore's Stubber checking every call against the real Converse model."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from bot.aws.bedrock import BedrockUnderstander
from bot.domain.accounts import embedded_registry
from bot.domain.models import Actor, Front
from intents.dialog import Dialog
from intents.sessions import MemorySessionStore
from intents.understander import TOOL_NAME
from tests.unit.intents.fakes import FakeBackend

REGISTRY = embedded_registry()
MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
ALICE = Actor(id="alice", front=Front.WEB)


def _response(tool_input: Any, name: str = TOOL_NAME) -> dict[str, Any]:
    return {
        "output": {
            "message": {
                "role": "assistant",
                "content": [{"toolUse": {"toolUseId": "t1", "name": name, "input": tool_input}}],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 200, "outputTokens": 40, "totalTokens": 240},
        "metrics": {"latencyMs": 420},
    }


def _reader(*responses: dict[str, Any]) -> tuple[BedrockUnderstander, Stubber]:
    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    stubber = Stubber(client)
    for response in responses:
        expected = {"modelId": MODEL, "system": ANY, "messages": ANY, "toolConfig": ANY, "inferenceConfig": ANY}
        stubber.add_response("converse", response, expected)
    stubber.activate()
    return BedrockUnderstander(MODEL, client=client), stubber


def test_the_request_forces_the_tool_whose_schema_is_the_draft() -> None:
    reader = BedrockUnderstander(MODEL, client=object())  # type: ignore[arg-type]
    call = reader.request("rotate the db secret", REGISTRY)
    assert call["toolConfig"]["toolChoice"] == {"tool": {"name": TOOL_NAME}}
    schema = call["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]
    assert "grants" in schema["properties"] and "sandbox" in call["system"][0]["text"]
    assert call["inferenceConfig"]["temperature"] == 0


def test_a_tool_call_becomes_a_draft() -> None:
    tool_input = {"grants": [{"service": "kinesis", "actions": ["PutRecords"], "resources": ["clickstream"]}]}
    reader, stubber = _reader(_response(tool_input))
    draft = reader.understand("send the click events into the clickstream pipe", registry=REGISTRY)
    stubber.assert_no_pending_responses()
    assert draft is not None and draft.grants[0].actions == ["PutRecords"]


@pytest.mark.parametrize(
    "tool_input",
    [
        {"grants": [{"service": "s3", "actions": ["*"], "resources": ["x"], "admin": True}]},  # unknown key
        {"grants": []},
        "not an object",
    ],
)
def test_malformed_tool_input_is_no_draft(tool_input: Any) -> None:
    reader, _ = _reader(_response(tool_input))
    assert reader.understand("whatever", registry=REGISTRY) is None


def test_a_throttled_model_leaves_the_parser_s_reading() -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    stubber = Stubber(client)
    stubber.add_client_error("converse", "ThrottlingException", http_status_code=429)
    stubber.activate()
    assert BedrockUnderstander(MODEL, client=client).understand("x", registry=REGISTRY) is None


def test_the_dialog_asks_the_model_when_the_parser_cannot_and_checks_what_it_says() -> None:
    tool_input = {
        "grants": [{"service": "kinesis", "actions": ["PutRecords", "DeleteStream*"], "resources": ["clickstream"]}],
        "account": "dev",
    }
    reader, stubber = _reader(_response(tool_input))
    dialog = Dialog(FakeBackend(), MemorySessionStore(), registry=REGISTRY, understander=reader)
    result = dialog.turn(ALICE, "pls let the click collector feed clickstream", "s1")
    stubber.assert_no_pending_responses()
    assert result.replies[0].text.startswith("I read this with help from a language model")
    assert result.slots["action"] == ["PutRecords"]  # the wildcard was dropped, never granted
    assert result.slots["account"] == ["dev"]


def test_a_refusal_is_never_sent_to_the_model() -> None:
    reader, stubber = _reader()
    dialog = Dialog(FakeBackend(), MemorySessionStore(), registry=REGISTRY, understander=reader)
    result = dialog.turn(ALICE, "give me admin access in prod", "s1")
    assert result.status == "refused"
    stubber.assert_no_pending_responses()
