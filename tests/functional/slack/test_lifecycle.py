"""The Slack front over the real request lifecycle: /access → card → approval (button or thread) → active → DMs.

Signed requests through bot.handlers.api, the RequestService and worker from bot.wiring over a
MemoryStore, SlackChanges posting to the fake Web API. The whole path ends in moto's IAM.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot import wiring
from bot.domain.lifecycle import Status
from bot.errors import ProvisioningFailed
from bot.local.world import EmbeddedWorld
from bot.slack import messages
from bot.slack.settings import SlackSettings
from tests.functional.slack.fake_slack import FakeSlack
from tests.functional.slack.live import Live, action_ids, buttons
from tests.functional.slack.signed import view_submission
from tests.unit.lifecycle.fakes import FakeProvisioner

WRITE = "write objects to bucket {bucket} in sandbox for 4h because monthly report"
ONLY_SECURITY = "Only the security team can approve or deny requests."


@pytest.fixture
def live(fake_slack: FakeSlack, settings: SlackSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    fake_slack.group_members["SSECTEAM"] = ["UDAVE"]
    running = Live(fake_slack, settings, FakeProvisioner())
    yield running
    running.close()


def _status(live: Live, request_id: str) -> Status:
    record = live.store.get(request_id)
    assert record is not None
    return record.status


def test_words_become_a_draft_with_submit_then_a_card_in_the_security_channel(live: Live) -> None:
    answer = live.command(WRITE.format(bucket="reports"), "UALICE")
    assert answer["text"].startswith("Here is what I'll ask for. Submit it for approval?")
    assert "Write objects in bucket reports" in json.dumps(answer["blocks"])
    assert [e["text"]["text"] for e in buttons(answer)] == ["Submit", "Cancel", messages.BUTTON_EDIT]
    live.fake.clear()
    request_id = live.submit(WRITE.format(bucket="reports"))
    assert _status(live, request_id) is Status.PENDING_APPROVAL
    ts, card = live.card(request_id)
    text = json.dumps(card["blocks"])
    for expected in (f"Access request {request_id}", "<@UALICE>", "sandbox (123456789012, sandbox)", "4 h",
                     "monthly report", "Write objects in bucket reports", "Waiting for approval"):
        assert expected in text, expected
    assert action_ids(card) == ["card_approve", "card_deny", "card_view_policy"]
    assert live.thread(ts) == []  # the card itself says it was submitted
    assert live.dms("UALICE") == [f"{request_id} was submitted and is waiting for the security team."]


def test_an_approver_clicks_approve_the_card_updates_and_thread_and_dm_hear_active(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.fake.clear()
    live.click("card_approve", request_id, "UCAROL", ts=ts)
    assert _status(live, request_id) is Status.ACTIVE
    assert live.provisioner.calls == [("provision", request_id)]
    updates = live.fake.of("chat.update")
    assert [u.params["ts"] for u in updates] == [ts, ts]  # approved, then active: in place
    _, card = live.card(request_id)
    arn = f"arn:aws:iam::123456789012:policy/accessbot-{request_id}"
    assert "Active" in card["text"] and arn in json.dumps(card["blocks"])
    assert action_ids(card) == ["card_view_policy"]  # nothing left to decide
    thread = [c.params["text"] for c in live.thread(ts)]
    assert thread[0] == f"{request_id} was approved by <@UCAROL>."
    assert thread[1].startswith(f"{request_id} is active: `{arn}`, until ")
    assert live.dms("UALICE") == thread
    # A second click (anyone on the team) is answered, not applied twice.
    live.click("card_approve", request_id, "UDAVE", ts=ts)
    [late] = live.ephemeral("UDAVE")
    assert late == f"{request_id} was already approved by UCAROL (now active)."
    assert live.provisioner.calls == [("provision", request_id)]


def test_someone_outside_the_team_and_the_requester_themself_are_refused(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"), user="UCAROL")  # an approver asking for herself
    ts, _ = live.card(request_id)
    live.fake.clear()
    with caplog.at_level("WARNING", logger="bot.slack.audit"):
        live.click("card_approve", request_id, "UBOB", ts=ts)
        live.click("card_approve", request_id, "UCAROL", ts=ts)
        live.reply("approve", "UCAROL", ts)
    assert live.ephemeral("UBOB") == [ONLY_SECURITY]
    assert live.ephemeral("UCAROL") == ["You cannot approve your own request."] * 2
    in_thread = [c.params for c in live.fake.of("chat.postEphemeral") if c.params.get("thread_ts")]
    assert [p["thread_ts"] for p in in_thread] == [ts]
    assert _status(live, request_id) is Status.PENDING_APPROVAL
    assert live.fake.of("chat.update") == [] and live.provisioner.calls == []
    refused = [(r.actor, r.refusal) for r in caplog.records if r.name == "bot.slack.audit"]  # type: ignore[attr-defined]
    assert refused == [("UBOB", ONLY_SECURITY), ("UCAROL", "You cannot approve your own request."),
                       ("UCAROL", "You cannot approve your own request.")]


def test_approve_by_replying_in_the_thread(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.reply("looks fine, who owns the bucket?", "UCAROL", ts)  # discussion: ignored
    assert _status(live, request_id) is Status.PENDING_APPROVAL
    live.reply("approve", "UDAVE", ts)  # a member of the approver user group
    assert _status(live, request_id) is Status.ACTIVE
    assert live.dms("UALICE")[1] == f"{request_id} was approved by <@UDAVE>."


def test_deny_in_the_thread_needs_a_reason_and_the_reason_reaches_the_requester(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.reply("deny", "UCAROL", ts)
    assert live.ephemeral("UCAROL") == [messages.THREAD_DENY_NEEDS_REASON]
    assert _status(live, request_id) is Status.PENDING_APPROVAL
    live.reply("deny: use the <read-only> role", "UCAROL", ts)
    assert _status(live, request_id) is Status.DENIED
    denied = f"{request_id} was denied by <@UCAROL>: use the &lt;read-only&gt; role"
    assert [c.params["text"] for c in live.thread(ts)] == [denied]
    assert live.dms("UALICE")[-1] == denied
    _, card = live.card(request_id)
    assert "Denied" in card["text"] and "card_approve" not in action_ids(card)
    live.reply("approve", "UDAVE", ts)  # too late
    assert live.ephemeral("UDAVE") == [f"{request_id} is already denied by UCAROL."]


def test_deny_with_the_button_asks_the_reason_in_a_modal(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.click("card_deny", request_id, "UCAROL", ts=ts)
    view = live.fake.of("views.open")[-1].params["view"]
    live.send(view_submission("deny_reason", {"reason": "prod needs a ticket"}, user="UCAROL",
                              metadata=view["private_metadata"]))
    assert _status(live, request_id) is Status.DENIED
    assert live.dms("UALICE")[-1] == f"{request_id} was denied by <@UCAROL>: prod needs a ticket"
    live.send(view_submission("deny_reason", {"reason": "again"}, user="UBOB", metadata=view["private_metadata"]))
    assert live.ephemeral("UBOB") == [ONLY_SECURITY]


def test_a_failure_is_posted_with_retry_and_retry_makes_it_active(live: Live) -> None:
    assume = "AccessBot cannot assume central-account-role in sandbox: fix its trust policy."
    live.provisioner.fail = ProvisioningFailed(assume)
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.click("card_approve", request_id, "UCAROL", ts=ts)
    assert _status(live, request_id) is Status.FAILED
    _, card = live.card(request_id)
    assert action_ids(card) == ["card_retry", "card_view_policy"]
    failed = live.thread(ts)[-1].params
    assert failed["text"] == f"{request_id} failed: {assume}" and action_ids(failed) == ["card_retry"]
    assert live.dms("UALICE")[-1] == f"{request_id} failed: {assume}"
    live.click("card_retry", request_id, "UBOB", ts=ts)
    assert live.ephemeral("UBOB") == ["Only the security team can retry a request."]
    live.provisioner.fail = None
    live.click("card_retry", request_id, "UCAROL", ts=ts)
    assert _status(live, request_id) is Status.ACTIVE
    assert live.dms("UALICE")[-1].startswith(f"{request_id} is active: ")


def test_expiry_reaches_thread_and_dm(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.reply("approve", "UCAROL", ts)
    record = live.store.get(request_id)
    assert record is not None and record.expires_at is not None
    wiring.service().now = lambda: record.expires_at  # type: ignore[assignment, return-value]
    assert wiring.worker().scheduled({"action": "expire", "request_id": request_id})["status"] == "EXPIRED"
    expired = f"{request_id} has expired; the policy was removed."
    assert live.thread(ts)[-1].params["text"] == expired and live.dms("UALICE")[-1] == expired
    assert "Expired" in live.card(request_id)[1]["text"]


def test_an_extension_is_asked_with_the_status_button_and_approved_on_the_card(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.reply("approve", "UCAROL", ts)
    status = live.command(f"status {request_id}", "UALICE")
    [extend] = [e for e in buttons(status) if e["value"].startswith("extend")]
    before = len(live.responses())
    live.click(extend["action_id"], extend["value"], "UALICE")  # "extend AR-… by 4 hours"
    assert live.responses()[before]["text"].startswith(f"Asked the security team to extend {request_id} by 4 hour(s)")
    _, card = live.card(request_id)
    assert "card_approve" in action_ids(card) and "Extension asked: 4 h more" in json.dumps(card["blocks"])
    live.click("card_approve", request_id, "UCAROL", ts=ts)
    assert live.dms("UALICE")[-1].startswith(f"{request_id} was extended by <@UCAROL>: it now expires ")
    assert ("update", request_id) in live.provisioner.calls
    assert "card_approve" not in action_ids(live.card(request_id)[1])


def test_a_denied_extension_says_the_access_stays(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.reply("approve", "UCAROL", ts)
    live.command(f"extend {request_id} 2h", "UALICE")
    live.reply("deny: not this week", "UCAROL", ts)
    assert _status(live, request_id) is Status.ACTIVE
    assert live.dms("UALICE")[-1] == (f"The extension of {request_id} was denied by <@UCAROL>: not this week "
                                      "(the access stays as it was).")


def test_a_slack_outage_while_provisioning_loses_nothing_and_never_posts_twice(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    ts, _ = live.card(request_id)
    live.fake.fail.update({"chat.update", "chat.postMessage"})
    live.click("card_approve", request_id, "UCAROL", ts=ts)
    assert _status(live, request_id) is Status.ACTIVE  # the state is in the store
    pending = [p for _, p in live.scheduler.schedules.values() if p.get("action") == "notify"]
    assert [p["kind"] for p in pending] == ["approved", "active"]
    live.fake.fail.clear()
    live.fake.clear()
    for _ in range(2):  # Slack answers again; a second delivery of the same schedule sends nothing new
        for payload in pending:
            wiring.worker().scheduled(payload)
    thread = [c.params["text"] for c in live.thread(ts)]
    assert thread[0] == f"{request_id} was approved by <@UCAROL>." and thread[1].startswith(f"{request_id} is active")
    assert len(thread) == 2 and live.dms("UALICE") == thread
    assert "Active" in live.card(request_id)[1]["text"]


def test_sub_commands_answer_with_the_lifecycles_words(live: Live) -> None:
    request_id = live.submit(WRITE.format(bucket="reports"))
    said = {
        ("UBOB", f"status {request_id}"): f"{request_id} is not your request.",
        ("UALICE", "status AR-NOPE2"): "There is no request AR-NOPE2.",
        ("UBOB", "pending"): "Only the security team sees the pending requests.",
        ("UBOB", f"cancel {request_id}"): "Only the requester or the security team can cancel a request.",
        ("UALICE", f"extend {request_id} 4h"): f"Only active access can be extended; {request_id} is pending_approval.",
    }
    for (user, text), expected in said.items():
        assert live.command(text, user)["text"] == expected, text
    assert live.command("pending", "UCAROL")["text"].startswith("1 request(s) waiting for approval:")
    mine = live.command("mine", "UALICE")
    assert mine["text"] == "Your requests (newest first):" and request_id in json.dumps(mine["blocks"])
    assert live.command(f"cancel {request_id}", "UALICE")["text"].startswith(f"Cancelled {request_id}.")
    assert live.dms("UALICE")[-1] == f"{request_id} was cancelled by <@UALICE>."
    assert "Cancelled" in live.card(request_id)[1]["text"]


def test_the_drafts_cancel_button_drops_the_draft(live: Live) -> None:
    answer = live.command(WRITE.format(bucket="reports"), "UALICE")
    cancel = next(e for e in buttons(answer) if e["text"]["text"] == "Cancel")
    before = len(live.responses())
    live.click(cancel["action_id"], cancel["value"], "UALICE")
    assert live.responses()[before]["text"] == "OK, I dropped that request. Nothing was submitted."
    assert live.fake.of("chat.postMessage") == []


def test_a_request_the_words_cannot_make_least_privilege_is_explained(live: Live) -> None:
    answer = live.command("give me admin on everything in prod for 2h because yolo", "UALICE")
    assert answer["text"].startswith("I can't ask for 'admin'")
    assert "Submit" not in [e["text"]["text"] for e in buttons(answer)]


@pytest.fixture(scope="module")
def world() -> Iterator[EmbeddedWorld]:
    from tests.functional.web.conftest import free_port

    running = EmbeddedWorld(port=free_port(), table_name="accessbot-slack").start()
    yield running
    running.stop()


def test_the_whole_path_ends_with_the_policy_in_the_sandbox_account(
    world: EmbeddedWorld, fake_slack: FakeSlack, settings: SlackSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slash command → card in the channel → `approve` in the thread → policy in sandbox (moto's IAM) → DM."""
    from bot.aws.provisioner import IamProvisioner

    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    live = Live(fake_slack, settings, IamProvisioner())
    try:
        request_id = live.submit(WRITE.format(bucket="reports-e2e"))
        ts, card = live.card(request_id)
        assert action_ids(card) == ["card_approve", "card_deny", "card_view_policy"]
        live.reply("approve", "UCAROL", ts)
        arn = f"arn:aws:iam::123456789012:policy/accessbot-{request_id}"
        iam = world.client("iam", "123456789012")
        policy = iam.get_policy(PolicyArn=arn)["Policy"]
        assert {t["Key"]: t["Value"] for t in policy["Tags"]}["RequestId"] == request_id
        version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
        document = version["Document"]
        document = json.loads(document) if isinstance(document, str) else document
        assert "s3:PutObject" in json.dumps(document) and "arn:aws:s3:::reports-e2e/*" in json.dumps(document)
        active = live.dms("UALICE")[-1]
        assert active.startswith(f"{request_id} is active: `{arn}`, until ")
        assert [c.params["text"] for c in live.thread(ts)][-1] == active
        assert "Active" in live.card(request_id)[1]["text"]
    finally:
        live.close()
