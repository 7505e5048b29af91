"""The security team's side: card buttons (Approve, Deny, View policy, Retry) and `approve` / `deny: reason` replies.

The lifecycle decides who may approve; these listeners only translate, show its one-line answers to the person
who clicked, ephemerally, and log each refusal as an audit line (`bot.slack.audit`). This is the lazy work;
bot.slack.routes wires it and holds the acks.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Protocol, runtime_checkable

from bot.domain.models import Actor, PolicyDocument
from bot.domain.replies import Outcome
from bot.errors import AccessBotError, Forbidden
from bot.slack import actors, blocks, limits, messages, views
from bot.slack.services import Services

logger = logging.getLogger(__name__)
#: Refused decisions (not an approver, self-approval), one structured line each: CloudWatch keeps them.
audit = logging.getLogger("bot.slack.audit")

_APPROVE = re.compile(r"^\s*(approve|approved)\s*[.!]*\s*$", re.IGNORECASE)
_DENY = re.compile(r"^\s*(deny|denied|reject)\b\s*[:\-–]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_CARD_BLOCK = re.compile(r"^card:([A-Za-z]{1,5}-[A-Za-z0-9]{3,16})$")
MAX_THREAD_TEXT = 1000


@runtime_checkable
class Retrying(Protocol):
    """A backend that can retry a FAILED request (the lifecycle's backend)."""

    def retry(self, request_id: str, *, actor: Actor) -> Outcome: ...


def parse_thread_reply(text: str) -> tuple[bool, str | None] | None:
    """(approve, reason) for `approve` / `deny: reason`; None for any other message (discussion)."""
    if len(text) > MAX_THREAD_TEXT:
        return None
    if _APPROVE.match(text):
        return True, None
    denied = _DENY.match(text)
    if denied:
        reason = denied.group(2).strip()
        return False, reason or None
    return None


def policy_of(outcome: Outcome) -> PolicyDocument | None:
    return next((r.policy for r in outcome.replies if r.policy is not None), None)


class Approvals:
    def __init__(self, services: Services) -> None:
        self.services = services

    def actor(self, user: str, client: Any, name: str | None = None) -> Actor:
        return actors.actor(user, client, self.services.directory, display=name)

    def _decide(self, request_id: str, *, approve: bool, reason: str | None, who: Actor) -> str | None:
        """None when the lifecycle accepted (it updates the card and thread itself), else the message for `who`."""
        try:
            self.services.backend().decide(request_id, approve=approve, reason=reason, actor=who)
        except Forbidden as error:
            _refused("approve" if approve else "deny", request_id, who, error)
            return str(error)
        except AccessBotError as error:
            return str(error)
        except Exception:
            logger.exception("decision failed")
            return messages.UNEXPECTED
        return None

    @staticmethod
    def _tell(client: Any, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        kwargs: dict[str, Any] = {"channel": channel, "user": user, "text": limits.escape(text)}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        client.chat_postEphemeral(**kwargs)

    # Buttons ---------------------------------------------------------------------------------------
    def do_approve(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        user = body["user"]
        who = self.actor(user["id"], client, user.get("name"))
        problem = self._decide(str(action.get("value", "")), approve=True, reason=None, who=who)
        if problem:
            self._tell(client, body["channel"]["id"], who.id, problem)

    def do_deny_submission(self, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        user = body["user"]
        who = self.actor(user["id"], client, user.get("name"))
        reason = views.input_value(view, "reason").strip()[: views.REASON_MAX]
        if not reason:
            return  # the ack showed the field error; bolt runs lazy listeners whatever the ack said
        problem = self._decide(str(meta.get("id", "")), approve=False, reason=reason, who=who)
        if problem and meta.get("channel"):
            self._tell(client, str(meta["channel"]), who.id, problem)

    def do_view_policy(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        request_id = str(action.get("value", ""))
        user = body["user"]
        who = self.actor(user["id"], client, user.get("name"))
        try:
            policy = policy_of(self.services.backend().status(request_id, actor=who))
        except AccessBotError:
            policy = None
        view, truncated = views.policy_modal(request_id, policy)
        client.views_update(external_id=views.policy_external_id(body), view=view)
        container = body.get("container") or {}
        if truncated and policy is not None and container.get("channel_id"):
            # https://api.slack.com/methods/files.getUploadURLExternal (files_upload_v2; scope files:write)
            client.files_upload_v2(
                channel=container["channel_id"],
                thread_ts=container.get("message_ts"),
                content=blocks.policy_text(policy),
                filename=views.policy_filename(request_id),
                title=messages.POLICY_FILE_TITLE.format(request_id=request_id),
            )

    def do_retry(self, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        user = body["user"]
        who = self.actor(user["id"], client, user.get("name"))
        backend = self.services.backend()
        problem: str | None = None
        if isinstance(backend, Retrying):
            try:
                backend.retry(str(action.get("value", "")), actor=who)
            except Forbidden as error:
                _refused("retry", str(action.get("value", "")), who, error)
                problem = str(error)
            except AccessBotError as error:
                problem = str(error)
        else:
            problem = messages.UNEXPECTED
        if problem:
            self._tell(client, body["channel"]["id"], who.id, problem)

    # Thread replies -------------------------------------------------------------------------------
    def do_thread_reply(self, event: dict[str, Any], client: Any) -> None:
        """`approve` / `deny: reason` under a card in the security channel, from a person (not a bot, not an edit)."""
        if not is_decision_reply(event, self.services.settings.security_channel):
            return
        decision = parse_thread_reply(str(event.get("text") or ""))
        if decision is None:
            return
        channel, thread, user = str(event["channel"]), str(event["thread_ts"]), str(event["user"])
        approve, reason = decision
        if not approve and not reason:
            self._tell(client, channel, user, messages.THREAD_DENY_NEEDS_REASON, thread)
            return
        request_id = self.card_request_id(client, channel, thread)
        if request_id is None:
            return
        problem = self._decide(request_id, approve=approve, reason=reason, who=self.actor(user, client))
        if problem:
            self._tell(client, channel, user, problem, thread)

    @staticmethod
    def card_request_id(client: Any, channel: str, thread_ts: str) -> str | None:
        """The request id of the card a thread hangs under (the card's actions block id), or None."""
        # https://api.slack.com/methods/conversations.replies (scope channels:history)
        response = client.conversations_replies(channel=channel, ts=thread_ts, limit=1, inclusive=True)
        found = response.get("messages") or []
        parent = found[0] if found else {}
        if parent.get("ts") != thread_ts or not parent.get("bot_id"):
            return None
        for block in parent.get("blocks") or []:
            match = _CARD_BLOCK.match(str(block.get("block_id") or ""))
            if match:
                return match.group(1)
        return None


def is_decision_reply(event: dict[str, Any], security_channel: str) -> bool:
    return bool(
        event.get("channel") == security_channel
        and security_channel
        and event.get("thread_ts")
        and event.get("thread_ts") != event.get("ts")
        and not event.get("subtype")  # message_changed, message_deleted, bot_message, ...
        and not event.get("bot_id")
        and event.get("user")
    )


def _refused(what: str, request_id: str, who: Actor, error: Forbidden) -> None:
    """The front's audit line of a refused decision (who clicked, on what, and the lifecycle's answer)."""
    audit.warning("slack decision refused", extra={
        "action": what, "request": request_id[:32], "actor": who.id, "front": who.front.value,
        "approver": actors.APPROVER_GROUP in who.groups, "refusal": str(error),
    })

