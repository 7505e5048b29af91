"""The lifecycle's Notifier port for Slack: a request change becomes a Notice for the card, thread and DM."""

from __future__ import annotations

from bot.domain.summary import summarize
from bot.lifecycle.ports import Change
from bot.lifecycle.render import account_label
from bot.slack.card import CardView
from bot.slack.notifier import Notice, SlackNotifier


def card_view(change: Change) -> CardView:
    record = change.record
    approvals = record.extension.approvals if record.extension is not None else record.approvals
    return CardView(
        request_id=record.id, status=record.status.value, requester=record.requester,
        account=account_label(record), account_type=record.account_type,
        justification=record.request.justification, duration=record.request.duration,
        grants=tuple(summarize(record.policy)), findings=record.findings, approvals=tuple(approvals),
        approvals_needed=record.approvals_required, reason=record.reason, policy_arn=record.policy_arn,
        expires_at=record.expires_at,
        extension=record.extension.duration if record.extension is not None else None,
    )


class SlackChanges:
    """Sends every Change through the SlackNotifier (which keeps Slack's bookkeeping in `notify`)."""

    def __init__(self, notifier: SlackNotifier | None = None) -> None:
        self._notifier = notifier

    @property
    def notifier(self) -> SlackNotifier:
        if self._notifier is None:
            self._notifier = SlackNotifier()
        return self._notifier

    def send(self, change: Change, notify: dict[str, str]) -> dict[str, str]:
        notice = Notice(
            kind=change.kind, event_id=change.event_id, card=card_view(change), who=change.who,
            reason=change.reason, policy_arn=change.record.policy_arn, expires_at=change.record.expires_at,
            missing=change.missing, notify=notify,
        )
        return self.notifier.send(notice)
