"""The Jobs port in AWS: the worker Lambda, invoked asynchronously for slow work or synchronously for an answer."""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.errors import RetryLater

logger = logging.getLogger(__name__)


class LambdaJobs:
    """The Jobs port in AWS: an asynchronous invocation of the worker (Lambda retries a failed run twice).

    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
    """

    def __init__(self, function_name: str, *, client: Any = None, region: str | None = None) -> None:
        self.function_name = function_name
        self._client, self._region = client, region

    @property
    def client(self) -> Any:
        if self._client is None:
            from bot.aws.sessions import bot_session, make_client

            self._client = make_client(bot_session(self._region), "lambda")
        return self._client

    def start(self, job: str, request_id: str, **extra: Any) -> None:
        self.invoke({"job": job, "request_id": request_id, **extra}, wait=False)

    def invoke(self, payload: dict[str, Any], *, wait: bool) -> dict[str, Any]:
        """Run `payload` on the worker; with `wait`, return its answer (usage reports need the spoke role)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.invoke(
                FunctionName=self.function_name, InvocationType="RequestResponse" if wait else "Event",
                Payload=json.dumps(payload).encode(),
            )
        except (ClientError, BotoCoreError) as error:
            logger.warning("worker invoke failed", extra={"job": payload.get("job"), "error": type(error).__name__})
            raise RetryLater("AccessBot's worker is unavailable; nothing was lost, try again in a moment.") from error
        if not wait:
            return {}
        body: dict[str, Any] = json.loads(response["Payload"].read() or b"{}")
        return body
