"""The whole product on the embedded world, over the real HTTP server of `accessbot serve`.

alice asks in words, answers the follow-up, submits; sam (an approver) sees it pending and approves;
the policy `accessbot-<id>` exists in moto's sandbox account, attached to alice's role, with its
expiry scheduled. Every refusal on the way is checked for the message the user sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import pytest

from tests.functional.local.serving import ASK, SANDBOX, WHY, Client, serving, texts_of

REQUEST_ID = re.compile(r"^AR-[A-Z0-9]{5}$")


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as monkeypatch, serving(monkeypatch) as running:
        yield running


def submit(client: Client, ask: str = ASK, why: str = WHY) -> str:
    """Ask in words, answer the follow-up, confirm; the request id."""
    first = client.say(ask)
    assert first.status == 200, first.body
    assert "request_id" not in first.body
    assert "Why do you need it?" in texts_of(first)  # the follow-up question
    summary = client.say(why)
    assert summary.status == 200, summary.body
    (draft,) = [r for r in summary.body["replies"] if "policy" in r]
    assert [b["value"] for b in draft["buttons"]] == ["submit", "cancel"]
    submitted = client.say("submit")
    assert submitted.status == 200, submitted.body
    assert submitted.body["status"] == "PENDING_APPROVAL"
    assert REQUEST_ID.match(submitted.body["request_id"])
    request_id: str = submitted.body["request_id"]
    return request_id


def test_alice_asks_sam_approves_and_the_policy_is_in_the_sandbox(serve: Any) -> None:
    alice, sam = Client(serve, "alice"), Client(serve, "sam")
    request_id = submit(alice)

    status = alice.call("GET", f"/requests/{request_id}")
    assert (status.status, status.body["status"]) == (200, "PENDING_APPROVAL")
    mine = alice.call("GET", "/requests/mine").body["replies"][0]["table"]["rows"]
    assert mine[0][:3] == [request_id, "waiting for approval", "sandbox"]

    # A requester can neither list nor decide; an approver's denial needs a reason.
    refused = alice.call("GET", "/requests/pending")
    assert (refused.status, refused.body) == (403, {"error": "Only the security team sees the pending requests."})
    refused = alice.call("POST", f"/requests/{request_id}/decision", {"approve": True})
    assert (refused.status, refused.body) == (403, {"error": "Only the security team can approve or deny requests."})
    refused = sam.call("POST", f"/requests/{request_id}/decision", {"approve": False})
    assert (refused.status, refused.body) == (400, {"error": "Say why you deny the request."})

    pending = sam.call("GET", "/requests/pending")
    assert pending.status == 200
    assert request_id in [row[0] for row in pending.body["replies"][0]["table"]["rows"]]

    approved = sam.call("POST", f"/requests/{request_id}/decision", {"approve": True})
    assert approved.status == 200, approved.body
    assert (approved.body["request_id"], approved.body["status"]) == (request_id, "ACTIVE")
    assert texts_of(approved).startswith(f"Approved {request_id}: the policy is in place in sandbox")
    again = sam.call("POST", f"/requests/{request_id}/decision", {"approve": True})
    assert again.status == 409 and request_id in again.body["error"]

    seen = alice.call("GET", f"/requests/{request_id}")
    assert (seen.status, seen.body["status"]) == (200, "ACTIVE")
    assert f"{request_id}: active" in texts_of(seen)
    assert alice.call("GET", "/requests/pending").status == 403
    assert sam.call("GET", "/requests/pending").body["replies"][0]["text"] == "Nothing is waiting for your approval."

    # The policy, in moto's sandbox account: ours (tagged), the asked-for actions, time-bound, attached.
    iam = serve.world.client("iam", SANDBOX)
    arn = f"arn:aws:iam::{SANDBOX}:policy/accessbot-{request_id}"
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    assert {t["Key"]: t["Value"] for t in policy["Tags"]}["RequestId"] == request_id
    document = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
    document = json.loads(unquote(document)) if isinstance(document, str) else document
    (grant,) = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert "s3:PutObject" in grant["Action"] and grant["Resource"] == ["arn:aws:s3:::analytics-raw/*"]
    until = datetime.fromisoformat(grant["Condition"]["DateLessThan"]["aws:CurrentTime"].replace("Z", "+00:00"))
    assert abs(until - (datetime.now(UTC) + timedelta(hours=2))) < timedelta(minutes=5)
    attached = iam.list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert arn in [p["PolicyArn"] for p in attached]

    # The expiry is scheduled on the local scheduler at the same instant; an early delivery changes nothing.
    due = serve.scheduler.pending()[f"accessbot-expire-{request_id}"]
    assert abs(due - until) < timedelta(minutes=1)
    from bot.handlers import expiry

    assert "skipped" in expiry({"action": "expire", "request_id": request_id}, None)
    assert alice.call("GET", f"/requests/{request_id}").body["status"] == "ACTIVE"


def test_an_approver_denies_by_chat_with_a_reason_and_the_requester_sees_it(serve: Any) -> None:
    bob, jo = Client(serve, "bob"), Client(serve, "jo")
    request_id = submit(bob, ask="write access to objects in bucket analytics-curated in sandbox for 1 hour")
    asked = jo.say(f"deny {request_id}")  # no reason: the bot asks for one, nothing is decided yet
    assert (asked.status, texts_of(asked)) == (
        200, f"Why are you denying {request_id}? The requester will read your reason.",
    )
    assert bob.call("GET", f"/requests/{request_id}").body["status"] == "PENDING_APPROVAL"
    denied = jo.say("too broad for a reload")
    assert denied.status == 200, denied.body
    assert texts_of(denied).startswith(f"Denied {request_id}: too broad for a reload")
    assert denied.body["status"] == "DENIED"
    seen = bob.call("GET", f"/requests/{request_id}")
    assert seen.body["status"] == "DENIED"
    assert "too broad for a reload" in texts_of(seen)
    assert f"accessbot-{request_id}" not in iam_policies(serve)

def iam_policies(serve: Any) -> set[str]:
    iam = serve.world.client("iam", SANDBOX)
    return {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]}


@pytest.mark.parametrize(
    ("user", "method", "path", "body", "status", "message"),
    [
        (None, "POST", "/chat", {"text": "hi"}, 401, "Sign in first."),
        (None, "GET", "/requests/mine", None, 401, "Sign in first."),
        ("alice", "GET", "/requests/AR-ZZZZZ", None, 404, "There is no request AR-ZZZZZ."),
        ("alice", "GET", "/requests/AR", None, 400, "That is not a request id (like AR-7F3K2)."),
        ("sam", "POST", "/requests/AR-ZZZZZ/decision", {"approve": True}, 404, "There is no request AR-ZZZZZ."),
        ("alice", "POST", "/chat", {"text": ""}, 400, "Type a message first."),
        ("alice", "POST", "/chat", {"text": "x" * 70_000}, 413, "That message is too large (at most 64 KB)."),
        (None, "POST", "/dev/login", {"user": "mallory"}, 400, "Unknown demo user. Pick one of: alice, bob, sam, jo."),
    ],
)
def test_refusals_over_http_say_why(
    serve: Any, user: str | None, method: str, path: str, body: Any, status: int, message: str
) -> None:
    answer = Client(serve, user).call(method, path, body)
    assert (answer.status, answer.body) == (status, {"error": message})
    assert "content-security-policy" in answer.headers


def test_conversations_stay_in_the_serve_process_and_only_requests_reach_the_table(serve: Any) -> None:
    bob = Client(serve, "bob")
    first = bob.say("read the app-logs bucket in dev for 1 hour")
    assert first.status == 200 and "Why do you need it?" in texts_of(first)  # a conversation in progress
    dynamodb = serve.world.client("dynamodb")
    items = dynamodb.scan(TableName=serve.world.table_name, ProjectionExpression="pk")["Items"]
    assert not [i for i in items if i["pk"]["S"].startswith("SESSION#")]
    summary = bob.say(WHY)  # and it goes on, from memory
    assert summary.status == 200 and [r for r in summary.body["replies"] if "policy" in r]
