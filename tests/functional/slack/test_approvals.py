"""What the security team sees and does: the card, buttons, the deny modal, thread replies, and who may decide."""

from __future__ import annotations

import json

import pytest

from bot.slack import messages
from tests.functional.slack.conftest import Harness
from tests.functional.slack.fakes import NO_SELF, ONLY_SECURITY
from tests.functional.slack.signed import block_action, thread_reply, view_submission


def _card(harness: Harness, requester: str = "UALICE", request_id: str = "AR-7F3K2") -> str:
    record = harness.backend.add(request_id, requester)
    harness.fake.clear()
    return record.notify["ts"]


def _decisions(harness: Harness) -> list[tuple[str, bool, str | None, str]]:
    return [(a[0], a[1], a[2], a[3].id) for name, a in harness.backend.calls if name == "decide"]


def test_the_card_reaches_the_security_channel_with_what_the_team_needs(harness: Harness) -> None:
    harness.backend.add("AR-7F3K2", "UALICE")
    card = next(c for c in harness.fake.of("chat.postMessage") if c.params["channel"] == "CSECURITY")
    text = json.dumps(card.params["blocks"])
    for expected in ("Access request AR-7F3K2", "<@UALICE>", "sandbox (123456789012, sandbox)", "4 h",
                     "monthly report", "Read objects in bucket reports", "MISSING_CONDITION", "low"):
        assert expected in text
    actions = card.params["blocks"][-1]
    assert actions["block_id"] == "card:AR-7F3K2"
    assert [e["action_id"] for e in actions["elements"]] == ["card_approve", "card_deny", "card_view_policy"]
    dm = next(c for c in harness.fake.of("chat.postMessage") if c.params["channel"] == "UALICE")
    assert "AR-7F3K2 was submitted" in dm.params["text"]


def test_an_approver_approves_with_the_button_and_everyone_hears(harness: Harness) -> None:
    ts = _card(harness)
    harness.send(block_action("card_approve", "AR-7F3K2", user="UCAROL", response_url=harness.response_url,
                              message_ts=ts))
    assert _decisions(harness) == [("AR-7F3K2", True, None, "UCAROL")]
    [update] = harness.fake.of("chat.update")
    assert update.params["ts"] == ts and "Approved" in json.dumps(update.params["blocks"])
    assert "card_approve" not in json.dumps(update.params["blocks"])  # no more buttons to decide
    posts = {c.params["channel"]: c.params for c in harness.fake.of("chat.postMessage")}
    assert posts["CSECURITY"]["thread_ts"] == ts
    assert posts["CSECURITY"]["text"] == "AR-7F3K2 was approved by <@UCAROL>."
    assert posts["UALICE"]["text"] == "AR-7F3K2 was approved by <@UCAROL>."


def test_someone_outside_the_security_team_gets_an_ephemeral_refusal(harness: Harness) -> None:
    _card(harness)
    harness.send(block_action("card_approve", "AR-7F3K2", user="UBOB", response_url=harness.response_url))
    [refusal] = harness.fake.of("chat.postEphemeral")
    assert (refusal.params["user"], refusal.params["channel"], refusal.params["text"]) == (
        "UBOB", "CSECURITY", ONLY_SECURITY)
    assert _decisions(harness) == [("AR-7F3K2", True, None, "UBOB")]  # the lifecycle saw it (and audits it)
    assert harness.fake.of("chat.update") == []


def test_the_requester_cannot_approve_their_own_request(harness: Harness) -> None:
    _card(harness, requester="UCAROL")
    harness.send(block_action("card_approve", "AR-7F3K2", user="UCAROL", response_url=harness.response_url))
    [refusal] = harness.fake.of("chat.postEphemeral")
    assert refusal.params["text"] == NO_SELF
    assert harness.backend.records["AR-7F3K2"].status == "PENDING_APPROVAL"


def test_a_member_of_the_approver_user_group_approves_and_the_group_is_looked_up_once(harness: Harness) -> None:
    _card(harness)
    _card(harness, request_id="AR-8G4L3")
    for request_id in ("AR-7F3K2", "AR-8G4L3"):
        harness.send(block_action("card_approve", request_id, user="UDAVE", response_url=harness.response_url))
    assert [d[0] for d in _decisions(harness)] == ["AR-7F3K2", "AR-8G4L3"]
    assert harness.backend.records["AR-8G4L3"].status == "APPROVED"
    assert len(harness.fake.of("usergroups.users.list")) == 1


def test_deny_asks_for_a_reason_in_a_modal(harness: Harness) -> None:
    ts = _card(harness)
    harness.send(block_action("card_deny", "AR-7F3K2", user="UCAROL", response_url=harness.response_url,
                              message_ts=ts))
    [opened] = harness.fake.of("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "deny_reason"
    assert json.loads(view["private_metadata"]) == {"id": "AR-7F3K2", "channel": "CSECURITY", "ts": ts}
    empty = harness.send(view_submission("deny_reason", {"reason": "   "}, user="UCAROL",
                                         metadata=view["private_metadata"]))
    assert json.loads(empty["body"]) == {"response_action": "errors", "errors": {"reason": messages.REASON_REQUIRED}}
    assert _decisions(harness) == []
    harness.send(view_submission("deny_reason", {"reason": "use the <read-only> role"}, user="UCAROL",
                                 metadata=view["private_metadata"]))
    assert _decisions(harness) == [("AR-7F3K2", False, "use the <read-only> role", "UCAROL")]
    dm = next(c for c in harness.fake.of("chat.postMessage") if c.params["channel"] == "UALICE")
    assert dm.params["text"] == "AR-7F3K2 was denied by <@UCAROL>: use the &lt;read-only&gt; role"


def test_approve_by_thread_reply(harness: Harness) -> None:
    ts = _card(harness)
    result = harness.send(thread_reply("Approve!", user="UCAROL", thread_ts=ts))
    assert result["statusCode"] == 200
    assert _decisions(harness) == [("AR-7F3K2", True, None, "UCAROL")]
    [lookup] = harness.fake.of("conversations.replies")
    assert lookup.params["ts"] == ts


def test_deny_by_thread_reply_needs_a_reason(harness: Harness) -> None:
    ts = _card(harness)
    harness.send(thread_reply("deny", user="UCAROL", thread_ts=ts, event_id="Ev1"))
    [hint] = harness.fake.of("chat.postEphemeral")
    assert (hint.params["text"], hint.params["thread_ts"]) == (messages.THREAD_DENY_NEEDS_REASON, ts)
    harness.send(thread_reply("deny: prod needs a ticket", user="UCAROL", thread_ts=ts, event_id="Ev2"))
    assert _decisions(harness) == [("AR-7F3K2", False, "prod needs a ticket", "UCAROL")]


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_changed"},
        {"bot_id": "B1"},
        {"channel": "CRANDOM"},
        {"text": "looks fine, but who owns this bucket?"},
        {"thread_ts": None},
    ],
)
def test_thread_messages_that_are_not_decisions_are_ignored(harness: Harness, extra: dict[str, object]) -> None:
    ts = _card(harness)
    body = json.loads(thread_reply("approve", user="UCAROL", thread_ts=ts))
    body["event"].update(extra)
    assert harness.send(json.dumps(body))["statusCode"] == 200
    assert _decisions(harness) == []


def test_a_thread_under_a_message_that_is_not_a_card_is_ignored(harness: Harness) -> None:
    harness.send(thread_reply("approve", user="UCAROL", thread_ts="1600000000.000001"))
    assert _decisions(harness) == []


def test_a_duplicate_event_and_slack_retries_never_decide_twice(harness: Harness) -> None:
    ts = _card(harness)
    body = thread_reply("approve", user="UCAROL", thread_ts=ts, event_id="EvSAME")
    harness.send(body)
    again = harness.send(body)
    retry = harness.send(body, headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    assert again["statusCode"] == retry["statusCode"] == 200
    headers = retry.get("headers") or {k: v[0] for k, v in retry["multiValueHeaders"].items()}
    assert {k.lower(): v for k, v in headers.items()}["x-slack-no-retry"] == "1"
    assert len(_decisions(harness)) == 1
    assert len([c for c in harness.fake.of("chat.postMessage") if c.params.get("thread_ts") == ts]) == 1


def test_a_retry_after_an_error_runs_once_if_the_event_is_new_here(harness: Harness) -> None:
    ts = _card(harness)
    body = thread_reply("approve", user="UCAROL", thread_ts=ts, event_id="EvNEW")
    harness.send(body, headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_error"})
    assert len(_decisions(harness)) == 1


def test_view_policy_opens_then_fills_a_modal(harness: Harness) -> None:
    ts = _card(harness)
    harness.send(block_action("card_view_policy", "AR-7F3K2", user="UBOB", response_url=harness.response_url,
                              message_ts=ts))
    [opened] = harness.fake.of("views.open")
    [updated] = harness.fake.of("views.update")
    assert opened.params["view"]["external_id"] == updated.params["external_id"]
    assert "s3:GetObject" in json.dumps(updated.params["view"]["blocks"])
    assert harness.fake.of("files.getUploadURLExternal") == []


def test_a_huge_policy_is_cut_in_the_modal_and_uploaded_whole_in_the_thread(harness: Harness) -> None:
    statements = [{"Sid": f"S{i}", "Effect": "Allow", "Action": [f"s3:GetObject{i}"],
                   "Resource": [f"arn:aws:s3:::bucket-{i}/*" * 3]} for i in range(400)]
    record = harness.backend.add("AR-BIG01", "UALICE", policy={"Version": "2012-10-17", "Statement": statements})
    harness.fake.clear()
    harness.send(block_action("card_view_policy", "AR-BIG01", user="UCAROL", response_url=harness.response_url,
                              message_ts=record.notify["ts"]))
    [updated] = harness.fake.of("views.update")
    view = updated.params["view"]
    assert len(view["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")
    assert "AR-BIG01-policy.json" in json.dumps(view["blocks"])
    [complete] = harness.fake.of("files.completeUploadExternal")
    assert complete.params["channel_id"] == "CSECURITY" and complete.params["thread_ts"] == record.notify["ts"]
    assert harness.fake.of("upload")[0].params["size"] > 50_000


def test_retry_button_asks_the_lifecycle_to_retry(harness: Harness) -> None:
    _card(harness)
    harness.send(block_action("card_retry", "AR-7F3K2", user="UCAROL", response_url=harness.response_url))
    assert harness.backend.calls[-1][0] == "retry" and harness.backend.calls[-1][1][0] == "AR-7F3K2"


def test_a_rate_limited_call_is_retried_after_retry_after(harness: Harness) -> None:
    _card(harness)
    harness.fake.rate_limit["chat.postEphemeral"] = 1
    harness.send(block_action("card_approve", "AR-7F3K2", user="UBOB", response_url=harness.response_url))
    calls = harness.fake.of("chat.postEphemeral")
    assert len(calls) == 2 and calls[-1].params["text"] == ONLY_SECURITY
