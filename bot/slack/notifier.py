"""The Slack Notifier: the request card in the security channel (updated in place), its thread, and DMs.

Every lifecycle event updates the card (`chat.update`), is posted in the card's thread, and reaches the
requester by DM (`chat.postMessage` to a user id opens the DM). The card's channel/ts and what was
already sent live in the record's opaque `notify` dict, so a retried notification never posts twice.
https://api.slack.com/methods/chat.update, https://api.slack.com/methods/chat.postMessage
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.errors import RetryLater
from bot.slack import card, limits, messages
from bot.slack.card import CardView
from bot.slack.settings import SlackSettings

logger = logging.getLogger(__name__)

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,20}$")
#: Events the card's creation already says: not repeated in its thread.
NOT_IN_THREAD = frozenset({"submitted"})
#: Events the requester is told about by DM.
DM_EVENTS = frozenset(
    {"submitted", "approved", "active", "denied", "expired", "revoked", "failed", "cancelled", "timed_out",
     "extended", "extension_denied"}
)
#: Events whose thread post offers Retry (approvers read the thread; the requester's DM has no button).
RETRY_EVENTS = frozenset({"failed"})
#: How many delivered steps the notify dict remembers (enough for any request's life).
MEMORY = 40


class Notice(BaseModel):
    """One thing that happened to a request, as the Slack front shows it."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="submitted, approved, approval_recorded, active, denied, failed, ...")
    event_id: str = Field(description="Unique per event: a retried delivery skips what was already sent.")
    card: CardView
    who: str | None = None
    reason: str | None = None
    policy_arn: str | None = None
    expires_at: datetime | None = None
    missing: int = 0
    notify: dict[str, str] = Field(default_factory=dict)


class NotificationPending(RetryLater):
    """Slack did not take every message; `notify` holds what was sent, to store before the retry."""

    def __init__(self, message: str, notify: dict[str, str]) -> None:
        super().__init__(message)
        self.notify = notify


def story(notice: Notice) -> str:
    """The kind of event as people read it: the lifecycle says "denied" for a denied extension too."""
    if notice.kind == "denied" and notice.card.status == "ACTIVE":
        return "extension_denied"
    return notice.kind


def event_text(notice: Notice) -> str:
    """The one-line story of `notice`, for the thread and the DM (user words escaped)."""
    template = messages.EVENT_TEXTS.get(story(notice), messages.EVENT_FALLBACK)
    expires = notice.expires_at.strftime("%Y-%m-%d %H:%M UTC") if notice.expires_at else messages.UNTIL_REVOKED
    return template.format(
        id=notice.card.request_id,
        event=limits.escape(notice.kind.replace("_", " ")),
        who=card.mention(notice.who) if notice.who else "AccessBot",
        reason=limits.escape(limits.clip(notice.reason or messages.NO_REASON, 1000)),
        policy_arn=limits.escape(notice.policy_arn or ""),
        expires=expires,
        account=limits.escape(notice.card.account),
        missing=notice.missing,
    )


class SlackNotifier:
    """Sends lifecycle notices to Slack. Pass a WebClient (tests, Socket Mode), else one is built from settings."""

    def __init__(self, settings: SlackSettings | None = None, *, client: Any = None) -> None:
        self._settings = settings
        self._client = client

    @property
    def settings(self) -> SlackSettings:
        if self._settings is None:
            self._settings = SlackSettings.from_env().with_secrets()
        return self._settings

    @property
    def client(self) -> Any:
        if self._client is None:
            from bot.slack.app import web_client

            self._client = web_client(self.settings)
        return self._client

    def send(self, notice: Notice) -> dict[str, str]:
        """Card, thread, DM; returns the record's new `notify` dict. NotificationPending when Slack failed."""
        notify = dict(notice.notify)
        done = [d for d in notify.get("done", "").split(",") if d]
        try:
            self._card(notice, notify)
            text = event_text(notice)
            thread_key = f"{notice.event_id}:t"
            if notice.kind not in NOT_IN_THREAD and thread_key not in done and notify.get("ts"):
                post = card.retry_post(notice.card.request_id, text) if notice.kind in RETRY_EVENTS else {"text": text}
                self.client.chat_postMessage(channel=notify["channel"], thread_ts=notify["ts"], **post)
                done.append(thread_key)
            dm_key = f"{notice.event_id}:d"
            requester = notice.card.requester
            if story(notice) in DM_EVENTS and dm_key not in done and _SLACK_USER.match(requester):
                self.client.chat_postMessage(channel=requester, text=text)
                done.append(dm_key)
        except Exception as error:  # Slack down or refusing: the state is in the store, send again later
            notify["done"] = ",".join(done[-MEMORY:])
            logger.warning("slack notification pending", extra={"request": notice.card.request_id,
                                                               "error": type(error).__name__})
            raise NotificationPending(messages.RETRY_LATER, notify) from error
        notify["done"] = ",".join(done[-MEMORY:])
        return notify

    def _card(self, notice: Notice, notify: dict[str, str]) -> None:
        body = card.request_card(notice.card)
        if notify.get("ts") and notify.get("channel"):
            self.client.chat_update(channel=notify["channel"], ts=notify["ts"], **body)
            return
        channel = self.settings.security_channel
        if not channel:
            return  # no security channel configured: DMs only
        response = self.client.chat_postMessage(channel=channel, **body)
        notify["channel"] = str(response.get("channel") or channel)
        notify["ts"] = str(response["ts"])
