"""The Slack Notifier: card in place, thread, DM; a Slack outage loses nothing and never double-posts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.slack import app as slack_app
from bot.slack.card import CardView
from bot.slack.notifier import Notice, NotificationPending, SlackNotifier
from bot.slack.settings import SlackSettings
from tests.functional.slack.fake_slack import FakeSlack


def _notice(kind: str, event_id: str, notify: dict[str, str], status: str = "PENDING_APPROVAL") -> Notice:
    view = CardView(request_id="AR-7F3K2", status=status, requester="UALICE", account="sandbox (123456789012, sandbox)")
    return Notice(kind=kind, event_id=event_id, card=view, who="UCAROL", notify=notify,
                  policy_arn="arn:aws:iam::123456789012:policy/accessbot-AR-7F3K2",
                  expires_at=datetime(2026, 11, 28, 16, 0, tzinfo=UTC))


@pytest.fixture
def notifier(fake_slack: FakeSlack, settings: SlackSettings) -> SlackNotifier:
    return SlackNotifier(settings, client=slack_app.web_client(settings))


def test_the_card_is_posted_once_then_updated_and_each_event_goes_to_thread_and_dm(
    fake_slack: FakeSlack, notifier: SlackNotifier
) -> None:
    notify = notifier.send(_notice("submitted", "e1", {}))
    assert notify["channel"] == "CSECURITY" and notify["ts"]
    notify = notifier.send(_notice("active", "e2", notify, status="ACTIVE"))
    [update] = fake_slack.of("chat.update")
    assert update.params["ts"] == notify["ts"]
    posts = [(c.params["channel"], c.params.get("thread_ts"), c.params["text"])
             for c in fake_slack.of("chat.postMessage")]
    active = "AR-7F3K2 is active: `arn:aws:iam::123456789012:policy/accessbot-AR-7F3K2`, until 2026-11-28 16:00 UTC."
    assert posts[1:] == [
        ("UALICE", None, "AR-7F3K2 was submitted and is waiting for the security team."),
        ("CSECURITY", notify["ts"], active),
        ("UALICE", None, active),
    ]


def test_a_slack_outage_keeps_what_was_sent_and_the_retry_sends_only_the_rest(
    fake_slack: FakeSlack, notifier: SlackNotifier
) -> None:
    notify = notifier.send(_notice("submitted", "e1", {}))
    fake_slack.clear()
    fake_slack.rate_limit["chat.postMessage"] = 99  # Slack keeps answering 429: the retries give up
    with pytest.raises(NotificationPending) as pending:
        notifier.send(_notice("approved", "e2", notify, status="APPROVED"))
    saved = pending.value.notify
    assert saved["ts"] == notify["ts"]
    fake_slack.rate_limit.clear()
    fake_slack.clear()
    sent = notifier.send(_notice("approved", "e2", saved, status="APPROVED"))
    again = notifier.send(_notice("approved", "e2", sent, status="APPROVED"))  # a second retry of the same event
    assert "e2:t" in again["done"] and "e2:d" in again["done"]
    thread = [c for c in fake_slack.of("chat.postMessage") if c.params.get("thread_ts")]
    dms = [c for c in fake_slack.of("chat.postMessage") if c.params["channel"] == "UALICE"]
    assert len(thread) == 1 and len(dms) == 1


def test_web_requesters_get_no_slack_dm(fake_slack: FakeSlack, notifier: SlackNotifier) -> None:
    view = CardView(request_id="AR-1", status="PENDING_APPROVAL", requester="alice@example.com", account="sandbox")
    notifier.send(Notice(kind="submitted", event_id="e1", card=view))
    assert [c.params["channel"] for c in fake_slack.of("chat.postMessage")] == ["CSECURITY"]
