"""Amazon Bedrock as a second reader: the Converse API with one tool whose schema is the request draft.

Off by default; `ACCESSBOT_BEDROCK_MODEL_ID` and `ACCESSBOT_BEDROCK_MODE` (fallback|always) turn it on
(serverless.yml parameters bedrockModelId / bedrockMode). Failures never reach the person: the embedded
parser's reading stands. https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.domain.accounts import AccountRegistry
from intents.understander import (
    TOOL_DESCRIPTION,
    TOOL_NAME,
    DraftRequest,
    read_tool_input,
    system_prompt,
    tool_schema,
)

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient

LOG = logging.getLogger(__name__)
MAX_TOKENS = 800


class BedrockUnderstander:
    """Asks the model for the draft with a forced tool call; the text itself is never logged."""

    def __init__(self, model_id: str, *, client: BedrockRuntimeClient | None = None, region: str | None = None) -> None:
        self.model_id = model_id
        self._client = client
        self._region = region

    @property
    def client(self) -> BedrockRuntimeClient:
        if self._client is None:
            import boto3
            from botocore.config import Config

            # A chat turn waits on this: short timeouts, botocore's standard retries (no hand-written ones).
            config = Config(connect_timeout=2, read_timeout=8, retries={"mode": "standard", "max_attempts": 2})
            self._client = boto3.client("bedrock-runtime", region_name=self._region, config=config)
        return self._client

    def understand(self, text: str, *, registry: AccountRegistry) -> DraftRequest | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.converse(**self.request(text, registry))
        except (BotoCoreError, ClientError) as error:
            LOG.warning("bedrock understander unavailable: %s", type(error).__name__)
            return None
        return self.read(response)

    def request(self, text: str, registry: AccountRegistry) -> dict[str, Any]:
        """The Converse call: the person's words as the user turn, and a tool the model must call."""
        return {
            "modelId": self.model_id,
            "system": [{"text": system_prompt(registry)}],
            "messages": [{"role": "user", "content": [{"text": text[:2000]}]}],
            "toolConfig": {
                "tools": [
                    {
                        "toolSpec": {
                            "name": TOOL_NAME,
                            "description": TOOL_DESCRIPTION,
                            "inputSchema": {"json": tool_schema()},
                        }
                    }
                ],
                "toolChoice": {"tool": {"name": TOOL_NAME}},
            },
            "inferenceConfig": {"maxTokens": MAX_TOKENS, "temperature": 0},
        }

    @staticmethod
    def read(response: Any) -> DraftRequest | None:
        """The tool call's input, validated; no tool call, or a malformed one, is None."""
        content = ((response or {}).get("output") or {}).get("message", {}).get("content") or []
        for block in content:
            use = block.get("toolUse") if isinstance(block, dict) else None
            if use and use.get("name") == TOOL_NAME:
                return read_tool_input(use.get("input"))
        return None
