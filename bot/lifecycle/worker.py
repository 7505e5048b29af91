"""The lifecycle's slow half: provision, extend, revoke, clean up, time out and re-notify; every job resumable."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.domain import lifecycle as sm
from bot.domain.accounts import Account
from bot.domain.lifecycle import AuditEvent, RequestRecord, Status
from bot.domain.models import Front
from bot.errors import AccessBotError, Conflict, NotFound, ProvisioningFailed
from bot.lifecycle import texts
from bot.lifecycle.ports import Change, Provisioner
from bot.lifecycle.service import NOTIFY_RETRY, RequestService, expiry_schedule

logger = logging.getLogger(__name__)

#: (account, principal ARN, policy, since) -> a line on what of the grant was used (access advisor).
GrantSummary = Callable[[Account, str, dict[str, Any], datetime], str | None]
#: Expiry schedules fire at their minute; a grant is revoked when it is due within this skew.
EXPIRY_SKEW = timedelta(minutes=2)
MAX_NOTIFY_ATTEMPTS = 10


class LifecycleWorker:
    """Runs jobs (`provision`, `extend`, `revoke`, `cleanup`) and scheduled actions (`expire`, `timeout`, `notify`)."""

    def __init__(
        self, service: RequestService, provisioner: Provisioner, *, grant_summary: GrantSummary | None = None
    ) -> None:
        self.service, self.provisioner, self.grant_summary = service, provisioner, grant_summary

    def run(self, job: str, request_id: str, **extra: Any) -> dict[str, Any]:
        """One job; returns the request's status. RetryLater propagates (the Lambda retries the event)."""
        jobs: dict[str, Callable[..., RequestRecord]] = {
            "provision": self.provision, "extend": self.extend, "revoke": self.revoke, "cleanup": self.cleanup,
        }
        if job not in jobs:
            raise NotFound(f"There is no job '{job[:40]}'.")
        record = jobs[job](request_id, **extra)
        return {"request_id": record.id, "status": record.status.value}

    def scheduled(self, payload: dict[str, Any]) -> dict[str, Any]:
        """What an EventBridge Scheduler schedule delivers: expire, timeout, or a notification to send again."""
        action, request_id = str(payload.get("action", "")), str(payload.get("request_id", ""))
        try:
            if action == "expire":
                record = self.expire(request_id)
            elif action == "timeout":
                record = self.timeout(request_id)
            elif action == "notify":
                return self.renotify(payload)
            else:
                raise NotFound(f"There is no scheduled action '{action[:40]}'.")
        except (Conflict, NotFound) as error:  # already decided, cancelled or gone: nothing to do
            return {"request_id": request_id, "skipped": str(error)}
        return {"request_id": record.id, "status": record.status.value}

    # ---- provisioning ----------------------------------------------------------------------------

    def provision(self, request_id: str, *, actor: str = sm.SYSTEM, front: str = Front.SYSTEM.value) -> RequestRecord:
        record = self.service._get(request_id)
        if record.status in {Status.APPROVED, Status.FAILED}:
            record = self._start_provisioning(record, actor, Front(front))
        elif record.status is not Status.PROVISIONING:
            return record  # already active (a duplicate delivery), or decided otherwise
        account = self.service._account(record)
        boundary = self._boundary(account)
        try:
            done = self.provisioner.provision(record, account, boundary_arn=boundary)
        except ProvisioningFailed as error:
            return self._fail(record, str(error))
        self._schedule_expiry(record)
        _, active, event = self.service._transition(record.id, lambda current: sm.move(
            current, Status.ACTIVE, actor=sm.SYSTEM, front=Front.SYSTEM, action="activated", now=self.service.now(),
            policy_arn=done.policy_arn, steps=done.steps, activated_at=self.service.now(), failure=None,
        ))
        self.service.tell(Change("active", active, f"{active.id}-{event.seq}"))
        return active

    def _start_provisioning(self, record: RequestRecord, actor: str, front: Front) -> RequestRecord:
        """PROVISIONING, with the policy re-validated and its aws:CurrentTime bound set from now."""
        account = self.service._account(record)
        now = self.service.now()
        result = self.service._validated(record.request, account, now)
        if not result.allowed or result.policy is None:
            blocking = next((f.message for f in result.findings if f.blocking), "rejected")
            return self._fail(record, texts.POLICY_CHANGED.format(account=account.alias, message=blocking))
        expires = now + record.request.duration if record.request.duration else None
        action = "retried" if record.status is Status.FAILED else "provisioning"

        def step(current: RequestRecord) -> tuple[RequestRecord, AuditEvent]:
            if current.status not in {Status.APPROVED, Status.FAILED}:
                raise Conflict(f"{current.id} is already {current.status.value.lower()}.")
            return sm.move(current, Status.PROVISIONING, actor=actor, front=front, action=action, now=now,
                           policy=result.policy, findings=result.findings, expires_at=expires, failure=None,
                           remember=True)

        try:
            _, moved, _ = self.service._transition(record.id, step)
        except Conflict:  # another worker started it: carry on with what it stored (steps are idempotent)
            return self.service._get(record.id)
        return moved

    def _boundary(self, account: Account) -> str | None:
        boundary = self.service.rules.for_type(account.type).permissions_boundary
        return boundary.replace("${AccountId}", account.id) if boundary else None

    def _schedule_expiry(self, record: RequestRecord) -> None:
        if record.expires_at is not None:
            self.service._schedule(expiry_schedule(record.id), record.expires_at,
                                   {"action": "expire", "request_id": record.id})

    def _fail(self, record: RequestRecord, message: str) -> RequestRecord:
        logger.warning("provisioning failed", extra={"request": record.id, "failure": message})
        _, failed, event = self.service._transition(record.id, lambda current: sm.move(
            current, Status.FAILED, actor=sm.SYSTEM, front=Front.SYSTEM, action="failed", now=self.service.now(),
            reason=message, remember=True, failure=message,
        ))
        self.service.tell(Change("failed", failed, f"{failed.id}-{event.seq}", reason=message))
        return failed

    def extend(self, request_id: str, **_: Any) -> RequestRecord:
        """After an approved extension: move the policy's aws:CurrentTime bound and the expiry schedule."""
        record = self.service._get(request_id)
        if record.status is not Status.ACTIVE or record.expires_at is None:
            return record
        account = self.service._account(record)
        from bot.domain.writer import write_policy

        document = write_policy(record.request, account_id=account.id, expires_at=record.expires_at)
        final = self.service.rules.for_type(account.type).with_central_deny(document)
        updated = record.model_copy(update={"policy": final})
        self.provisioner.update(updated, account)
        self._schedule_expiry(updated)
        return record

    # ---- the end of a grant ----------------------------------------------------------------------

    def expire(self, request_id: str) -> RequestRecord:
        record = self.service._get(request_id)
        if record.status is not Status.ACTIVE:
            raise Conflict(f"{record.id} is {record.status.value.lower()}.")
        if record.expires_at and record.expires_at - EXPIRY_SKEW > self.service.now():
            raise Conflict(f"{record.id} was extended; it expires later.")
        return self._end(record, Status.EXPIRED, sm.SYSTEM, Front.SYSTEM, "expired")

    def revoke(self, request_id: str, *, actor: str = sm.SYSTEM, front: str = Front.SYSTEM.value) -> RequestRecord:
        record = self.service._get(request_id)
        if record.status is not Status.ACTIVE:
            return record
        return self._end(record, Status.REVOKED, actor, Front(front), "revoked")

    def _end(self, record: RequestRecord, after: Status, actor: str, front: Front, kind: str) -> RequestRecord:
        account = self.service._account(record)
        used = self._usage_line(record, account)
        self.provisioner.revoke(record, account)  # RetryLater/ProvisioningFailed: the schedule retries
        self.service.scheduler.cancel(expiry_schedule(record.id))
        _, ended, event = self.service._transition(record.id, lambda current: sm.move(
            current, after, actor=actor, front=front, action=kind, now=self.service.now(), reason=used,
        ))
        self.service.tell(Change(kind, ended, f"{ended.id}-{event.seq}", who=actor, reason=used))
        return ended

    def _usage_line(self, record: RequestRecord, account: Account) -> str | None:
        if self.grant_summary is None or not record.principal_arn or record.activated_at is None:
            return None
        try:
            return self.grant_summary(account, record.principal_arn, record.policy, record.activated_at)
        except Exception:  # a report is a courtesy: it must never keep access alive
            logger.warning("grant usage summary failed", extra={"request": record.id})
            return None

    def cleanup(self, request_id: str, **_: Any) -> RequestRecord:
        """A cancelled request whose provisioning had started: remove whatever exists of its policy."""
        record = self.service._get(request_id)
        if record.status is Status.CANCELLED:
            self.provisioner.revoke(record, self.service._account(record))
        return record

    def timeout(self, request_id: str) -> RequestRecord:
        now = self.service.now()

        def step(current: RequestRecord) -> tuple[RequestRecord, AuditEvent]:
            if current.status is not Status.PENDING_APPROVAL:
                raise Conflict(f"{current.id} was decided.")
            if current.decide_by and current.decide_by - EXPIRY_SKEW > now:
                raise Conflict(f"{current.id} is not due yet.")
            return sm.move(current, Status.TIMED_OUT, actor=sm.SYSTEM, front=Front.SYSTEM, action="timed out",
                           now=now, reason="nobody decided in time", remember=True)

        _, moved, event = self.service._transition(request_id, step)
        self.service.tell(Change("timed_out", moved, f"{moved.id}-{event.seq}"))
        return moved

    def renotify(self, payload: dict[str, Any]) -> dict[str, Any]:
        record = self.service._get(str(payload.get("request_id", "")))
        attempt = int(payload.get("attempt", 1))
        change = Change(str(payload.get("kind", "")), record, str(payload.get("event_id", "")),
                        who=payload.get("who"), reason=payload.get("reason"), missing=int(payload.get("missing", 0)))
        notifier = self.service.notifier
        if notifier is None:
            return {"request_id": record.id, "skipped": "no notifier"}
        notify = self.service.store.notify_state(record.id)
        try:
            notify = notifier.send(change, notify)
        except AccessBotError as error:
            notify = dict(getattr(error, "notify", notify))
            if attempt < MAX_NOTIFY_ATTEMPTS:
                self.service._schedule(f"accessbot-notify-{change.event_id}-{attempt}",
                                       self.service.now() + NOTIFY_RETRY * (2 ** attempt),
                                       {**payload, "attempt": attempt + 1})
            self.service.store.set_notify_state(record.id, notify)
            return {"request_id": record.id, "pending": change.kind, "attempt": attempt}
        self.service.store.set_notify_state(record.id, notify)
        return {"request_id": record.id, "notified": change.kind}
