"""The request card the security team reads in its channel, rebuilt from the request on every state change."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.durations import largest_unit
from bot.domain.models import Finding, Severity
from bot.slack import blocks, limits, messages
from bot.slack.ids import APPROVE, DENY, RETRY, VIEW_POLICY
from bot.slack.limits import Block

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,20}$")
MAX_GRANT_LINES = 25
_UNITS = {"day": "d", "hour": "h", "minute": "min"}


class CardView(BaseModel):
    """What the card shows: a front-side view of a request record (the notifier builds it)."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    status: str
    requester: str
    account: str = Field(description="Label: alias (id, type).")
    account_type: str | None = None
    justification: str = ""
    duration: timedelta | None = None
    grants: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    approvals: tuple[str, ...] = ()
    approvals_needed: int = 1
    reason: str | None = None
    policy_arn: str | None = None
    expires_at: datetime | None = None
    extension: timedelta | None = Field(default=None, description="More time asked for an ACTIVE grant, undecided.")

    @property
    def deciding(self) -> bool:
        """Waiting for the security team: a new request, or an extension of an active one."""
        return self.status == "PENDING_APPROVAL" or (self.status == "ACTIVE" and self.extension is not None)


def mention(user: str) -> str:
    """A Slack mention for Slack user ids, the escaped name for anyone else (web users, the system)."""
    return f"<@{user}>" if _SLACK_USER.match(user) else limits.escape(limits.clip(user, 80))


def duration_text(duration: timedelta | None) -> str:
    if duration is None:
        return messages.UNTIL_REVOKED
    count, unit = largest_unit(duration)
    return f"{count} {_UNITS[unit]}"


def risk(findings: Sequence[Finding]) -> str:
    blocking = [f for f in findings if f.blocking or f.severity is Severity.ERROR]
    if blocking:
        return messages.RISK_HIGH.format(count=len(blocking))
    security = [f for f in findings if f.severity is Severity.SECURITY_WARNING]
    if security:
        return messages.RISK_ELEVATED.format(count=len(security))
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if warnings:
        return messages.RISK_MODERATE.format(count=len(warnings))
    return messages.RISK_LOW


def status_label(status: str) -> str:
    return messages.STATUS_LABELS.get(status, limits.escape(status))


def request_card(view: CardView) -> dict[str, Any]:
    """`text` and `blocks` of the card, within Slack's limits whatever the request's size."""
    fields = [
        limits.mrkdwn(messages.CARD_REQUESTER_PLAIN.format(user=mention(view.requester)), limits.FIELD_TEXT),
        limits.mrkdwn(messages.CARD_ACCOUNT.format(account=limits.escape(view.account)), limits.FIELD_TEXT),
        limits.mrkdwn(messages.CARD_DURATION.format(duration=duration_text(view.duration)), limits.FIELD_TEXT),
        limits.mrkdwn(messages.CARD_RISK.format(risk=risk(view.findings)), limits.FIELD_TEXT),
        limits.mrkdwn(messages.CARD_STATUS.format(status=status_label(view.status)), limits.FIELD_TEXT),
    ]
    title = messages.CARD_TITLE.format(request_id=view.request_id)
    content: list[Block] = [
        {"type": "header", "text": limits.plain(title, limits.HEADER_TEXT)},
        {"type": "section", "fields": fields},
        limits.section(
            messages.CARD_JUSTIFICATION.format(
                text=limits.escape(limits.clip(view.justification, 2000)) or messages.CARD_NO_JUSTIFICATION
            )
        ),
    ]
    if view.grants:
        lines = [f"• {limits.escape(g)}" for g in view.grants[:MAX_GRANT_LINES]]
        if len(view.grants) > MAX_GRANT_LINES:
            lines.append(messages.CARD_MORE.format(count=len(view.grants) - MAX_GRANT_LINES))
        content.append(limits.section(messages.CARD_GRANTS.format(lines="\n".join(lines))))
    if view.findings:
        found = blocks.findings_blocks(view.findings)
        first = found[0]["text"]["text"]
        found[0] = limits.section(messages.CARD_FINDINGS.format(lines=first))
        content.extend(found)
    else:
        content.append(limits.section(messages.CARD_NO_FINDINGS))
    notes = _notes(view)
    if notes:
        content.append(limits.context(notes))
    text = f"{title}: {status_label(view.status)}"
    return {"text": text, "blocks": limits.fit(content, tail=[card_actions(view)])}


def _notes(view: CardView) -> str:
    parts = []
    if view.approvals:
        who = ", ".join(mention(a) for a in view.approvals)
        parts.append(messages.CARD_APPROVALS.format(who=who, have=len(view.approvals), need=view.approvals_needed))
    if view.reason:
        parts.append(limits.escape(limits.clip(view.reason, 500)))
    if view.policy_arn:
        parts.append(f"`{limits.escape(view.policy_arn)}`")
    if view.extension is not None and view.status == "ACTIVE":
        parts.append(messages.CARD_EXTENSION.format(duration=duration_text(view.extension)))
    if view.deciding:
        parts.append(messages.CARD_DECIDE_HINT)
    return " · ".join(parts)


def card_actions(view: CardView) -> Block:
    """Approve/Deny while pending (a request or an extension), Retry after a failure, View policy always."""
    elements = []
    if view.deciding:
        elements.append(blocks.button(messages.BUTTON_APPROVE, APPROVE, view.request_id, "primary"))
        elements.append(blocks.button(messages.BUTTON_DENY, DENY, view.request_id, "danger"))
    if view.status == "FAILED":
        elements.append(blocks.button(messages.BUTTON_RETRY, RETRY, view.request_id, "primary"))
    elements.append(blocks.button(messages.BUTTON_VIEW_POLICY, VIEW_POLICY, view.request_id))
    return {"type": "actions", "block_id": f"card:{view.request_id}"[:255], "elements": elements}


def retry_post(request_id: str, text: str) -> dict[str, Any]:
    """The thread post of a failure: what failed and a Retry button for the security team (the card has one too)."""
    retry = blocks.button(messages.BUTTON_RETRY, RETRY, request_id, "primary")
    return {
        "text": limits.clip(text, limits.FALLBACK_TEXT),
        "blocks": [*limits.sections(text), {"type": "actions", "block_id": f"retry:{request_id}"[:255],
                                            "elements": [retry]}],
    }
