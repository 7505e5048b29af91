"""Approval to real IAM across accounts (moto), and every fault the issue names: each ends clear, nothing lost."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest

from bot.domain.lifecycle import Status
from bot.domain.models import AccessRequest
from bot.errors import RetryLater
from tests.functional.lifecycle.conftest import Live
from tests.functional.lifecycle.faults import Fault, injected
from tests.unit.lifecycle.fakes import ADVISORY, ALICE, JO, SAM, write_request

SANDBOX, DEV, PROD = "123456789012", "234567890123", "456789012345"
OTHERS = ("111111111111", DEV, "345678901234", PROD)
_BUCKETS = itertools.count()


def _ours(live: Live, account: str) -> list[str]:
    policies = live.iam(account).list_policies(Scope="Local")["Policies"]
    return [p["PolicyName"] for p in policies if p["PolicyName"].startswith("accessbot-AR-")]


def _request(account: str = "sandbox") -> AccessRequest:
    """A request of its own (the same request twice within ten minutes is the same request)."""
    return write_request(account, bucket=f"reports-{next(_BUCKETS)}")


def _approved(live: Live, account: str = "sandbox") -> str:
    request_id = str(live.service.submit(_request(account), ADVISORY, actor=ALICE).request_id)
    live.service.decide(request_id, approve=True, reason=None, actor=SAM)
    return request_id


def test_the_policy_lands_in_the_target_account_only_attached_and_tagged(live: Live) -> None:
    request_id = _approved(live)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.ACTIVE
    arn = f"arn:aws:iam::{SANDBOX}:policy/accessbot-{request_id}"
    assert record.policy_arn == arn
    iam = live.iam(SANDBOX)
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    tags = {t["Key"]: t["Value"] for t in policy["Tags"]}
    assert tags["RequestId"] == request_id and tags["Requester"] == "alice"
    assert tags["ExpiresAt"] == record.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[union-attr]
    assert policy["Description"] == f"AccessBot {request_id} for alice: monthly report"
    attached = iam.list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert arn in {p["PolicyArn"] for p in attached}
    document = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
    document = json.loads(document) if isinstance(document, str) else document
    assert document == record.policy
    assert {s.get("Sid") for s in document["Statement"]} >= {"CentralDenyProtectedResources"}
    for account in OTHERS:
        assert f"accessbot-{request_id}" not in _ours(live, account)


def test_expiry_detaches_and_deletes_the_policy(live: Live) -> None:
    request_id = _approved(live)
    live.service.extend(request_id, timedelta(hours=1), actor=ALICE)
    live.service.decide(request_id, approve=True, reason=None, actor=JO)  # a second version now exists
    record = live.store.get(request_id)
    assert record is not None
    live.service.now = lambda: record.expires_at  # type: ignore[assignment, return-value, method-assign]
    assert live.worker.scheduled({"action": "expire", "request_id": request_id})["status"] == "EXPIRED"
    assert f"accessbot-{request_id}" not in _ours(live, SANDBOX)
    attached = live.iam(SANDBOX).list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert not [p for p in attached if request_id in p["PolicyArn"]]
    assert ("expired", request_id) in live.notifier.sent


def test_a_worker_that_dies_between_create_and_attach_finishes_on_the_rerun(live: Live) -> None:
    crash = Fault("iam", "AttachRolePolicy", "", crash=True)
    with injected(crash), pytest.raises(RuntimeError, match="the worker died here"):
        _approved(live)
    (record,) = [r for r in live.store.by_status(Status.PROVISIONING) if r.requester == "alice"]
    assert _ours(live, SANDBOX).count(f"accessbot-{record.id}") == 1  # created, not attached
    assert live.worker.run("provision", record.id) == {"request_id": record.id, "status": "ACTIVE"}
    assert _ours(live, SANDBOX).count(f"accessbot-{record.id}") == 1  # no duplicate
    attached = live.iam(SANDBOX).list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert [p for p in attached if record.id in p["PolicyArn"]]
    live.worker.revoke(record.id)


def test_throttling_is_retried_with_backoff_and_the_grant_goes_through(live: Live) -> None:
    throttle = Fault("iam", "CreatePolicy", "Throttling", times=2)
    with injected(throttle):
        request_id = _approved(live)
    assert throttle.calls == 3  # two throttled tries, then AWS took it
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.ACTIVE
    live.worker.revoke(request_id)


def test_assume_role_access_denied_fails_with_the_fix_and_a_retry(live: Live) -> None:
    denied = Fault("sts", "AssumeRole", "AccessDenied", times=None, status=403,
                   message="not authorized to perform: sts:AssumeRole")
    with injected(denied):
        request_id = _approved(live)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.FAILED
    assert record.failure is not None
    assert record.failure.startswith("AccessBot cannot assume central-account-role in sandbox (123456789012, "
                                     "sandbox): its trust policy must allow AccessBot's worker role")
    assert ("failed", request_id) in live.notifier.sent
    assert live.service.retry(request_id, actor=SAM).status == "ACTIVE"
    live.worker.revoke(request_id)


def test_a_missing_permission_names_the_action(live: Live) -> None:
    denied = Fault("iam", "CreatePolicy", "AccessDenied", times=None, status=403,
                   message="User is not authorized to perform: iam:CreatePolicy")
    with injected(denied):
        request_id = _approved(live)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.FAILED
    assert "The spoke role in sandbox (123456789012, sandbox) may not call iam:CreatePolicy" in str(record.failure)


def test_the_managed_policy_quota_is_reported(live: Live) -> None:
    limit = Fault("iam", "AttachRolePolicy", "LimitExceeded", times=None, status=409,
                  message="Cannot exceed quota for PoliciesPerRole: 10")
    with injected(limit):
        request_id = _approved(live)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.FAILED
    assert "Cannot exceed quota for PoliciesPerRole: 10. Detach an unused policy" in str(record.failure)
    live.service.cancel(request_id, actor=ALICE)  # cancelling cleans up the half-made policy
    assert f"accessbot-{request_id}" not in _ours(live, SANDBOX)


def test_a_policy_of_the_same_name_that_is_not_ours_is_never_adopted(live: Live) -> None:
    request_id = str(live.service.submit(_request(), ADVISORY, actor=ALICE).request_id)
    live.iam(SANDBOX).create_policy(PolicyName=f"accessbot-{request_id}", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    live.service.decide(request_id, approve=True, reason=None, actor=SAM)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.FAILED
    assert f"A policy named accessbot-{request_id} already exists in sandbox" in str(record.failure)
    attached = live.iam(SANDBOX).list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert not [p for p in attached if request_id in p["PolicyArn"]]
    live.service.cancel(request_id, actor=ALICE)
    assert f"accessbot-{request_id}" in _ours(live, SANDBOX)  # someone else's: left alone


def test_prod_attaches_only_to_principals_with_the_boundary(live: Live) -> None:
    request_id = str(live.service.submit(_request("prod"), ADVISORY, actor=ALICE).request_id)
    live.service.decide(request_id, approve=True, reason=None, actor=SAM)
    live.service.decide(request_id, approve=True, reason=None, actor=JO)
    record = live.store.get(request_id)
    assert record is not None and record.status is Status.FAILED
    boundary = f"arn:aws:iam::{PROD}:policy/accessbot-boundary"
    assert f"must carry the permissions boundary {boundary}" in str(record.failure)
    iam = live.iam(PROD)
    iam.create_policy(PolicyName="accessbot-boundary", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    iam.put_role_permissions_boundary(RoleName="DataScientist", PermissionsBoundary=boundary)
    assert live.service.retry(request_id, actor=SAM).status == "ACTIVE"
    live.worker.revoke(request_id)


def test_the_five_version_limit_is_handled(live: Live) -> None:
    request_id = _approved(live)
    record = live.store.get(request_id)
    assert record is not None
    account = live.service.registry.resolve("sandbox")
    for hour in range(1, 8):
        updated = record.model_copy(update={"policy": {**record.policy, "Statement": [
            {**record.policy["Statement"][0], "Sid": f"V{hour}"}]}})
        live.worker.provisioner.update(updated, account)
    versions = live.iam(SANDBOX).list_policy_versions(PolicyArn=record.policy_arn)["Versions"]
    assert len(versions) == 5
    default = next(v for v in versions if v["IsDefaultVersion"])
    document = live.iam(SANDBOX).get_policy_version(PolicyArn=record.policy_arn,
                                                    VersionId=default["VersionId"])["PolicyVersion"]["Document"]
    document = json.loads(document) if isinstance(document, str) else document
    assert document["Statement"][0]["Sid"] == "V7"
    live.worker.revoke(request_id)
    assert f"accessbot-{request_id}" not in _ours(live, SANDBOX)


def test_dynamodb_unavailable_is_a_retry_not_a_traceback(live: Live) -> None:
    down = Fault("dynamodb", "GetItem", "ServiceUnavailable", times=None, status=503)
    with injected(down):
        live.store._client = None  # a client built with the fault in place
        with pytest.raises(RetryLater, match="The request store is busy or unavailable; nothing was lost"):
            live.service.status("AR-ABCDE", actor=ALICE)
    live.store._client = None
