"""The request service over in-memory ports: what requesters and approvers see at each step."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from bot.domain.lifecycle import Status
from bot.domain.models import AccessRequest, Grant
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound, ProvisioningFailed
from tests.unit.lifecycle.fakes import ADVISORY, ALICE, JO, MALLORY, SAM, harness, write_request


def test_a_submitted_request_waits_for_approval_and_times_out_later() -> None:
    h = harness()
    outcome = h.service.submit(write_request(), ADVISORY, actor=ALICE)
    assert outcome.status == "PENDING_APPROVAL"
    assert "needs 1 approval(s)" in outcome.replies[0].text
    assert outcome.replies[0].policy is not None
    assert f"accessbot-timeout-{outcome.request_id}" in h.scheduler.schedules
    assert h.notifier.sent == [("submitted", outcome.request_id)]


def test_the_requester_is_whoever_acts_not_what_the_front_wrote() -> None:
    h = harness()
    forged = write_request().model_copy(update={"requester": "sam"})
    outcome = h.service.submit(forged, ADVISORY, actor=ALICE)
    record = h.store.get(str(outcome.request_id))
    assert record is not None and record.requester == "alice" and record.request.requester == "alice"
    with pytest.raises(Forbidden, match=re.escape("You cannot approve your own request.")):
        h.service.decide(str(outcome.request_id), approve=True, reason=None, actor=ALICE.model_copy(
            update={"groups": frozenset({"accessbot-approvers"})}))


def test_approval_provisions_and_schedules_the_expiry() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    outcome = h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    assert outcome.status == "ACTIVE"
    assert outcome.replies[0].text.startswith(f"Approved {request_id}: the policy is in place in sandbox")
    assert h.provisioner.calls == [("provision", request_id)]
    at, payload = h.scheduler.schedules[f"accessbot-expire-{request_id}"]
    assert at == h.clock.now + timedelta(hours=4)
    assert payload == {"action": "expire", "request_id": request_id}
    assert f"accessbot-timeout-{request_id}" not in h.scheduler.schedules
    record = h.store.get(request_id)
    assert record is not None
    bound = record.policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"]
    assert bound == "2026-12-02T13:00:00Z"  # set when provisioned, not when asked
    actions = [(e.action, e.after.value) for e in h.store.events(request_id)]
    assert actions == [("submitted", "PENDING_APPROVAL"), ("approved", "APPROVED"),
                       ("provisioning", "PROVISIONING"), ("activated", "ACTIVE")]


def test_only_approvers_decide_and_never_on_their_own_request() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    with pytest.raises(Forbidden, match=re.escape("Only the security team can approve or deny requests.")):
        h.service.decide(request_id, approve=True, reason=None, actor=MALLORY)
    own = str(h.service.submit(write_request(bucket="sams"), ADVISORY, actor=SAM).request_id)
    with pytest.raises(Forbidden, match=re.escape("You cannot approve your own request.")):
        h.service.decide(own, approve=True, reason=None, actor=SAM)
    assert [e.action for e in h.store.events(request_id)] == ["submitted", "refused"]  # nothing moved


def test_prod_needs_two_distinct_approvers() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request("prod"), ADVISORY, actor=ALICE).request_id)
    first = h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    assert first.status == "PENDING_APPROVAL"
    assert "needs 1 more approval(s) from someone else" in first.replies[0].text
    with pytest.raises(Conflict, match=f"You already approved {request_id}"):
        h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    assert h.provisioner.calls == []
    second = h.service.decide(request_id, approve=True, reason=None, actor=JO)
    assert second.status == "ACTIVE"
    record = h.store.get(request_id)
    assert record is not None and record.approvals == ("sam", "jo")


def test_deny_needs_a_reason_and_tells_the_requester() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    with pytest.raises(InvalidInput, match="A denial needs a reason"):
        h.service.decide(request_id, approve=False, reason="  ", actor=SAM)
    outcome = h.service.decide(request_id, approve=False, reason="too broad", actor=SAM)
    assert outcome.status == "DENIED"
    assert outcome.replies[0].text.startswith(f"Denied {request_id}: too broad")
    assert ("denied", request_id) in h.notifier.sent
    with pytest.raises(Conflict, match=f"{request_id} is already denied by sam."):
        h.service.decide(request_id, approve=True, reason=None, actor=JO)


def test_read_only_in_the_sandbox_is_approved_by_the_rules() -> None:
    h = harness()
    outcome = h.service.submit(write_request(levels=("Read",)), ADVISORY, actor=ALICE)
    assert outcome.status == "ACTIVE"
    assert "approved automatically" in outcome.replies[0].text
    events = h.store.events(str(outcome.request_id))
    assert [(e.action, e.actor) for e in events][:2] == [("submitted", "alice"), ("auto-approved", "AccessBot")]
    # ... but not in dev, where the rules do not say so.
    assert h.service.submit(write_request("dev", levels=("Read",)), ADVISORY, actor=ALICE).status == "PENDING_APPROVAL"


def test_the_central_rules_are_checked_again_whatever_the_front_said() -> None:
    h = harness()
    grant = Grant(service="lambda", actions=("UpdateFunctionCode",),
                  resources=("arn:aws:lambda:us-east-1:123456789012:function:security-audit",))
    request = AccessRequest(account="sandbox", grants=(grant,), duration=timedelta(hours=1))
    outcome = h.service.submit(request, ADVISORY, actor=ALICE)  # the front claimed ALLOW
    assert outcome.status == "REJECTED" and outcome.request_id is None
    assert outcome.replies[0].text.startswith("The central rules reject this request for sandbox")
    assert "PROTECTED_RESOURCE" in {f.code for f in outcome.replies[0].findings}
    assert h.store.by_requester("alice") == []


def test_prod_access_must_be_temporary_and_short() -> None:
    h = harness()
    with pytest.raises(InvalidInput, match="Access to prod must be temporary: say for how long"):
        h.service.submit(write_request("prod", hours=None), ADVISORY, actor=ALICE)
    with pytest.raises(InvalidInput, match="The longest access the rules allow in prod is 12 hour"):
        h.service.submit(write_request("prod", hours=13), ADVISORY, actor=ALICE)


def test_submitting_twice_gives_the_first_request_back() -> None:
    h = harness()
    first = h.service.submit(write_request(), ADVISORY, actor=ALICE)
    again = h.service.submit(write_request(), ADVISORY, actor=ALICE)
    assert again.request_id == first.request_id
    assert again.replies[0].text.startswith(f"You already submitted this request as {first.request_id}")
    assert len(h.store.by_requester("alice")) == 1


def test_unknown_and_foreign_requests() -> None:
    h = harness()
    with pytest.raises(NotFound, match=re.escape("There is no request AR-ZZZZZ.")):
        h.service.status("ar-zzzzz", actor=ALICE)
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    with pytest.raises(Forbidden, match=f"{request_id} is not your request."):
        h.service.status(request_id, actor=MALLORY)
    assert h.service.status(request_id, actor=SAM).replies[0].buttons[0].value == f"approve {request_id}"


def test_fifty_approvers_at_once_grant_exactly_once() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    approvers = [SAM.model_copy(update={"id": f"approver{i}"}) for i in range(50)]
    results: list[str] = []
    barrier = threading.Barrier(50)

    def approve(actor: object) -> None:
        barrier.wait()
        try:
            outcome = h.service.decide(request_id, approve=True, reason=None, actor=actor)  # type: ignore[arg-type]
            results.append(f"ok {outcome.status}")
        except Conflict as refused:
            results.append(str(refused))

    threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert h.provisioner.calls == [("provision", request_id)]
    assert results.count("ok ACTIVE") + results.count("ok PROVISIONING") + results.count("ok APPROVED") == 1
    refusals = [r for r in results if not r.startswith("ok")]
    assert len(refusals) == 49 and all(f"{request_id} was already approved by approver" in r for r in refusals)
    record = h.store.get(request_id)
    assert record is not None and record.status is Status.ACTIVE and len(record.approvals) == 1


def test_a_failed_provisioning_says_why_and_can_be_retried() -> None:
    h = harness()
    h.provisioner.fail = ProvisioningFailed("AccessBot cannot assume central-account-role in sandbox")
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    outcome = h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    assert outcome.status == "FAILED"
    assert "Failure: AccessBot cannot assume central-account-role in sandbox" in outcome.replies[0].text
    assert ("failed", request_id) in h.notifier.sent
    with pytest.raises(Forbidden, match="Only the security team can retry"):
        h.service.retry(request_id, actor=ALICE)
    h.provisioner.fail = None
    assert h.service.retry(request_id, actor=SAM).status == "ACTIVE"
    assert [e.action for e in h.store.events(request_id)][-2:] == ["retried", "activated"]


def test_expiry_revokes_and_tells_the_requester() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    early = h.worker.scheduled({"action": "expire", "request_id": request_id})
    assert "expires later" in early["skipped"]
    h.clock.advance(timedelta(hours=4))
    assert h.worker.scheduled({"action": "expire", "request_id": request_id})["status"] == "EXPIRED"
    assert h.provisioner.calls[-1] == ("revoke", request_id)
    assert ("expired", request_id) in h.notifier.sent
    again = h.worker.scheduled({"action": "expire", "request_id": request_id})
    assert "is expired" in again["skipped"]  # a second delivery does nothing


def test_pending_requests_time_out() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    h.clock.advance(timedelta(hours=24))
    assert h.worker.scheduled({"action": "timeout", "request_id": request_id})["status"] == "TIMED_OUT"
    assert ("timed_out", request_id) in h.notifier.sent
    with pytest.raises(Conflict, match="is already timed out"):
        h.service.decide(request_id, approve=True, reason=None, actor=SAM)


def test_extension_is_a_new_approval_round() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    h.service.decide(request_id, approve=True, reason=None, actor=SAM)
    with pytest.raises(Forbidden, match="Only the requester can ask to extend"):
        h.service.extend(request_id, timedelta(hours=2), actor=MALLORY)
    asked = h.service.extend(request_id, timedelta(hours=2), actor=ALICE)
    assert "Asked the security team to extend" in asked.replies[0].text
    assert h.service.pending(actor=JO).replies[0].table is not None
    done = h.service.decide(request_id, approve=True, reason=None, actor=JO)
    assert done.replies[0].text == f"Extended {request_id}: it now expires 2026-12-02 15:00 UTC." or \
        done.replies[0].text.startswith(f"Extended {request_id}: it now expires 2026-12-02 15:00 UTC.")
    assert ("update", request_id) in h.provisioner.calls
    assert h.scheduler.schedules[f"accessbot-expire-{request_id}"][0].hour == 15


def test_cancel_by_the_requester_and_revoke_by_the_security_team() -> None:
    h = harness()
    pending = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    with pytest.raises(Forbidden, match="Only the requester or the security team can cancel"):
        h.service.cancel(pending, actor=MALLORY)
    assert h.service.cancel(pending, actor=ALICE).status == "CANCELLED"
    active = str(h.service.submit(write_request(bucket="other"), ADVISORY, actor=ALICE).request_id)
    h.service.decide(active, approve=True, reason=None, actor=SAM)
    with pytest.raises(Conflict, match="is active: ask the security team to revoke it"):
        h.service.cancel(active, actor=ALICE)
    assert h.service.cancel(active, actor=SAM).status == "REVOKED"
    assert ("revoke", active) in h.provisioner.calls


def test_when_slack_is_down_the_notice_is_scheduled_again() -> None:
    h = harness()
    h.notifier.down = True
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    name = f"accessbot-notify-{request_id}-0"
    at, payload = h.scheduler.schedules[name]
    assert payload["kind"] == "submitted" and at == h.clock.now + timedelta(minutes=1)
    assert h.store.notify_state(request_id) == {"seen": "1"}  # what Slack already took is kept
    h.notifier.down = False
    assert h.worker.scheduled(payload) == {"request_id": request_id, "notified": "submitted"}
    assert h.notifier.sent == [("submitted", request_id)]


def test_listings() -> None:
    h = harness()
    assert "You have no requests yet" in h.service.mine(actor=ALICE).replies[0].text
    request_id = str(h.service.submit(write_request(), ADVISORY, actor=ALICE).request_id)
    table = h.service.mine(actor=ALICE).replies[0].table
    assert table is not None and table.rows[0][:3] == (request_id, "waiting for approval", "sandbox")
    with pytest.raises(Forbidden, match=re.escape("Only the security team sees the pending requests.")):
        h.service.pending(actor=ALICE)
    pending = h.service.pending(actor=SAM).replies[0]
    assert pending.text == "1 request(s) waiting for approval:"
    assert [b.value for b in pending.buttons] == [f"approve {request_id}", f"deny {request_id}"]


def test_refused_decisions_are_audited_without_changing_anything() -> None:
    h = harness()
    request_id = str(h.service.submit(write_request(bucket="audit"), ADVISORY, actor=ALICE).request_id)
    with pytest.raises(Forbidden):
        h.service.decide(request_id, approve=True, reason=None, actor=MALLORY)
    events = h.store.events(request_id)
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("submitted", "alice", "monthly report"),
        ("refused", "mallory", "Only the security team can approve or deny requests."),
    ]
    record = h.store.get(request_id)
    assert record is not None and record.status is Status.PENDING_APPROVAL and record.version == 1


def test_a_trim_attaches_to_the_trimmed_role_in_its_own_account_only() -> None:
    h = harness()
    role = "arn:aws:iam::123456789012:role/DBAdminRole"
    outcome = h.service.submit(write_request(bucket="trim"), ADVISORY, actor=ALICE, principal_arn=role)
    assert f"Attached to: {role}" in outcome.replies[0].text
    with pytest.raises(InvalidInput, match=re.escape("is not in sandbox: a grant is attached in its own account")):
        h.service.submit(write_request(bucket="trim2"), ADVISORY, actor=ALICE,
                         principal_arn="arn:aws:iam::456789012345:role/DBAdminRole")
