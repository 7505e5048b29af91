"""EventBridge Scheduler one-time `at()` schedules targeting the `expiry` Lambda (revocations, timeouts, retries).

Schedules delete themselves after they run (ActionAfterCompletion=DELETE); the target's retry policy
re-delivers a failed run. https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from bot.errors import RetryLater

logger = logging.getLogger(__name__)

UNAVAILABLE = "The scheduler is unavailable; the grant's own time bound still applies."


class EventBridgeScheduler:
    """The Scheduler port: `schedule(name, at, payload)` creates or replaces, `cancel(name)` forgets."""

    def __init__(self, *, group: str, target_arn: str, role_arn: str, client: Any = None,
                 region: str | None = None) -> None:
        self.group, self.target_arn, self.role_arn = group, target_arn, role_arn
        self._client, self._region = client, region

    @property
    def client(self) -> Any:
        if self._client is None:
            from bot.aws.sessions import bot_session, make_client

            self._client = make_client(bot_session(self._region), "scheduler")
        return self._client

    def schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        moment = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)
        spec = {
            "Name": name[:64],
            "GroupName": self.group,
            "ScheduleExpression": f"at({moment.strftime('%Y-%m-%dT%H:%M:%S')})",
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "Target": {
                "Arn": self.target_arn, "RoleArn": self.role_arn, "Input": json.dumps(payload),
                "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 86400},
            },
        }
        try:
            try:
                self.client.create_schedule(**spec)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConflictException":
                    raise
                self.client.update_schedule(**spec)
        except (ClientError, BotoCoreError) as error:
            logger.warning("schedule failed", extra={"schedule": name, "error": type(error).__name__})
            raise RetryLater(UNAVAILABLE) from error

    def cancel(self, name: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_schedule(Name=name[:64], GroupName=self.group)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                logger.warning("schedule not deleted", extra={"schedule": name})
        except BotoCoreError:
            # A stale schedule is harmless: its run finds the request decided and does nothing.
            logger.warning("schedule not deleted", extra={"schedule": name})
