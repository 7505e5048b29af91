"""The request service: what requesters and approvers do (submit, decide, cancel, extend), over the ports."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.domain import lifecycle as sm
from bot.domain.accounts import Account, AccountRegistry
from bot.domain.lifecycle import AuditEvent, RequestRecord, Status
from bot.domain.models import AccessRequest, Actor, Front, ValidationResult, utcnow
from bot.domain.replies import Outcome, Reply
from bot.domain.rules import CentralRules
from bot.errors import Conflict, Forbidden, InvalidInput, NotFound, RetryLater
from bot.lifecycle import render, texts
from bot.lifecycle.ports import Change, Jobs, Notifier, Scheduler, Store

logger = logging.getLogger(__name__)

#: Optimistic writes retried this often when another writer got in first (then: try again later).
MAX_RACES = 60
DEFAULT_PENDING_TIMEOUT = timedelta(hours=24)
IDEMPOTENCY_WINDOW_SECONDS = 600
READ_LEVELS = frozenset({"List", "Read"})
NOTIFY_RETRY = timedelta(minutes=1)


def timeout_schedule(request_id: str) -> str:
    return f"accessbot-timeout-{request_id}"


def expiry_schedule(request_id: str) -> str:
    return f"accessbot-expire-{request_id}"


class RequestService:
    """Implements the lifecycle half of intents.backend.Backend; the worker half lives in bot.lifecycle.worker."""

    def __init__(
        self,
        store: Store,
        *,
        registry: AccountRegistry,
        rules: CentralRules,
        scheduler: Scheduler,
        jobs: Jobs,
        notifier: Notifier | None = None,
        now: Callable[[], datetime] = utcnow,
        pending_timeout: timedelta = DEFAULT_PENDING_TIMEOUT,
    ) -> None:
        self.store, self.registry, self.rules = store, registry, rules
        self.scheduler, self.jobs, self.notifier = scheduler, jobs, notifier
        self.now, self.pending_timeout = now, pending_timeout

    # ---- requesters ------------------------------------------------------------------------------

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor,
               principal_arn: str | None = None) -> Outcome:
        """Validate centrally (the front's result is only advisory) and store PENDING_APPROVAL, or auto-approve.

        `principal_arn` is for the bot's own callers (a trim names the role it trims); fronts never pass
        it, so a requester's grant goes to their mapped principal. Approvers see the target on the card.
        """
        account = self.registry.resolve(request.account)
        if principal_arn is not None and not principal_arn.startswith(f"arn:aws:iam::{account.id}:"):
            raise InvalidInput(texts.PRINCIPAL_ELSEWHERE.format(principal=principal_arn[:200], account=account.alias))
        request = request.model_copy(update={"requester": actor.id, "account": account.alias})
        rules = self.rules.for_type(account.type)
        self._check_duration(request, account)
        now = self.now()
        result = self._validated(request, account, now)
        if not result.allowed or result.policy is None:
            return Outcome(replies=(Reply(text=texts.REJECTED.format(account=account.label),
                                          findings=result.findings),), status="REJECTED")
        auto = rules.auto_approve_read_only and _read_only(result.policy)
        record = RequestRecord(
            id=sm.new_request_id(), status=Status.PENDING_APPROVAL, requester=actor.id, front=actor.front,
            request=request, account_id=account.id, account_alias=account.alias, account_type=account.type,
            policy=result.policy, findings=result.findings, approvals_required=rules.approvals_required,
            created_at=now, updated_at=now, decide_by=now + self.pending_timeout,
            principal_arn=principal_arn or account.principal_for(actor.id),
        )
        first = AuditEvent(request_id=record.id, seq=0, at=now, actor=actor.id, front=actor.front,
                           action="submitted", before=None, after=Status.PENDING_APPROVAL,
                           reason=request.justification or None)
        record = record.model_copy(update={"events": 1})
        stored_id = self.store.create(record, first, idempotency_key=self._idempotency_key(request, now))
        if stored_id != record.id:
            found = self._get(stored_id)
            return render.one(found, lead=texts.SUBMITTED_AGAIN.format(id=stored_id))
        stored = self._get(record.id)
        self.tell(Change("submitted", stored, f"{stored.id}-0", who=actor.id))
        if auto:
            return self._auto_approve(stored, account)
        self._schedule(timeout_schedule(stored.id), now + self.pending_timeout,
                       {"action": "timeout", "request_id": stored.id})
        lead = texts.SUBMITTED.format(id=stored.id, account=account.label, needed=stored.approvals_required)
        return render.one(stored, lead=lead)

    def _auto_approve(self, record: RequestRecord, account: Account) -> Outcome:
        moved, event = sm.move(record, Status.APPROVED, actor=sm.SYSTEM, front=Front.SYSTEM,
                               action="auto-approved", now=self.now(), decided_by=sm.SYSTEM,
                               reason="read-only access in a sandbox account")
        if not self.store.save(moved, event, expected_version=record.version):
            raise RetryLater(texts.BUSY.format(id=record.id))
        self.tell(Change("approved", moved, f"{moved.id}-{event.seq}", who=sm.SYSTEM))
        self.jobs.start("provision", moved.id)
        auto = texts.AUTO_APPROVED.format(id=moved.id, account=account.label)
        outcome = self._after_approval(moved.id)
        return outcome.model_copy(update={"replies": (Reply(text=auto), *outcome.replies)})

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        record = self._visible(request_id, actor)
        return render.one(record, approver=sm.is_approver(actor) and actor.id != record.requester)

    def mine(self, *, actor: Actor) -> Outcome:
        records = self.store.by_requester(actor.id)
        if not records:
            return Outcome(replies=(Reply(text=texts.NO_REQUESTS),))
        return render.listing(texts.MINE_TITLE, records)

    def history(self, request_id: str, *, actor: Actor) -> tuple[RequestRecord, list[AuditEvent]]:
        record = self._visible(request_id, actor)
        return record, self.store.events(record.id)

    def listing(self, status: Status | None, *, actor: Actor, limit: int = 50) -> list[RequestRecord]:
        """Requests by status for approvers (all states when None), else the actor's own."""
        if not sm.is_approver(actor):
            mine = self.store.by_requester(actor.id, limit=limit)
            return [r for r in mine if status is None or r.status is status]
        states = [status] if status else list(Status)
        found = [r for s in states for r in self.store.by_status(s, limit=limit)]
        return sorted(found, key=lambda r: r.created_at, reverse=True)[:limit]

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome:
        record = self._get(request_id)
        if record.status is Status.ACTIVE and sm.is_approver(actor):
            return self.revoke(request_id, actor=actor)

        def step(current: RequestRecord) -> tuple[RequestRecord, AuditEvent]:
            sm.can_cancel(current, actor)
            return sm.move(current, Status.CANCELLED, actor=actor.id, front=actor.front, action="cancelled",
                           now=self.now(), decided_by=actor.id)

        before, moved, event = self._transition(request_id, step)
        self.scheduler.cancel(timeout_schedule(moved.id))
        if before.status is Status.FAILED or before.steps:
            self.jobs.start("cleanup", moved.id)  # a half-made policy must not stay behind
        self.tell(Change("cancelled", moved, f"{moved.id}-{event.seq}", who=actor.id))
        return render.one(moved, lead=texts.CANCELLED.format(id=moved.id))

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        account = self._account(self._get(request_id))
        limit = self.rules.for_type(account.type).max_duration

        def step(current: RequestRecord) -> tuple[RequestRecord, AuditEvent]:
            return sm.extend(current, actor, duration, limit, self.now())

        _, moved, event = self._transition(request_id, step)
        self.tell(Change("extension_requested", moved, f"{moved.id}-{event.seq}", who=actor.id))
        lead = texts.EXTENSION_REQUESTED.format(id=moved.id, duration=render.duration_words(duration))
        return render.one(moved, lead=lead)

    # ---- approvers -------------------------------------------------------------------------------

    def pending(self, *, actor: Actor) -> Outcome:
        if not sm.is_approver(actor):
            raise Forbidden(texts.ONLY_APPROVERS_LIST)
        waiting = [r for r in self.store.by_status(Status.PENDING_APPROVAL) if r.requester != actor.id]
        waiting += [r for r in self.store.by_status(Status.ACTIVE)
                    if r.extension is not None and r.requester != actor.id]
        waiting = [r for r in waiting if actor.id not in r.approvals]
        if not waiting:
            return Outcome(replies=(Reply(text=texts.NOTHING_PENDING),))
        return render.listing(texts.PENDING_TITLE.format(count=len(waiting)), waiting, approver=True)

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        """Approve or deny; a lost race reads the winner's decision back ("already approved by …")."""

        def step(current: RequestRecord) -> tuple[RequestRecord, AuditEvent]:
            if approve:
                return sm.approve(current, actor, self.now())
            return sm.deny(current, actor, reason, self.now())

        before, moved, event = self._transition(request_id, step)
        event_id = f"{moved.id}-{event.seq}"
        if before.extension is not None:
            return self._after_extension_decision(before, moved, event_id, actor)
        if moved.status is Status.DENIED:
            self.scheduler.cancel(timeout_schedule(moved.id))
            self.tell(Change("denied", moved, event_id, who=actor.id, reason=moved.reason))
            return render.one(moved, lead=texts.DENIED.format(id=moved.id, reason=moved.reason))
        if moved.status is Status.PENDING_APPROVAL:
            missing = moved.approvals_required - len(moved.approvals)
            self.tell(Change("approval_recorded", moved, event_id, who=actor.id, missing=missing))
            return render.one(moved, lead=texts.APPROVAL_RECORDED.format(id=moved.id, missing=missing))
        self.scheduler.cancel(timeout_schedule(moved.id))
        self.tell(Change("approved", moved, event_id, who=actor.id))
        self.jobs.start("provision", moved.id)
        return self._after_approval(moved.id)

    def _after_approval(self, request_id: str) -> Outcome:
        """Where the request stands once provisioning was handed off (inline, it is already active or failed)."""
        latest = self._get(request_id)
        account = render.account_label(latest)
        if latest.status is Status.ACTIVE:
            lead = texts.NOW_ACTIVE.format(id=latest.id, account=account)
        elif latest.status is Status.FAILED:
            lead = texts.NOW_FAILED.format(id=latest.id)
        else:
            lead = texts.APPROVED.format(id=latest.id, account=account)
        return render.one(latest, lead=lead)

    def _after_extension_decision(self, before: RequestRecord, moved: RequestRecord, event_id: str,
                                  actor: Actor) -> Outcome:
        if moved.extension is not None:
            missing = moved.approvals_required - len(moved.extension.approvals)
            self.tell(Change("approval_recorded", moved, event_id, who=actor.id, missing=missing))
            return render.one(moved, lead=texts.APPROVAL_RECORDED.format(id=moved.id, missing=missing))
        if moved.expires_at == before.expires_at:  # denied
            self.tell(Change("extension_denied", moved, event_id, who=actor.id, reason=moved.reason))
            return render.one(moved, lead=texts.EXTENSION_DENIED.format(id=moved.id, reason=moved.reason))
        self.jobs.start("extend", moved.id)
        self.tell(Change("extended", moved, event_id, who=actor.id))
        return render.one(moved, lead=texts.EXTENDED.format(id=moved.id, expires=render.when(moved.expires_at)))

    def revoke(self, request_id: str, *, actor: Actor) -> Outcome:
        if not sm.is_approver(actor):
            raise Forbidden("Only the security team can revoke access.")
        record = self._get(request_id)
        if record.status is not Status.ACTIVE:
            raise Conflict(f"{record.id} is {render.STATUS_WORDS[record.status]}: only active access can be revoked.")
        self.jobs.start("revoke", record.id, actor=actor.id, front=actor.front.value)
        latest = self._get(record.id)
        return render.one(latest, lead=texts.REVOKED.format(id=record.id, account=render.account_label(record))
                          if latest.status is Status.REVOKED else None)

    def retry(self, request_id: str, *, actor: Actor) -> Outcome:
        """Provision a FAILED (or stuck PROVISIONING) request again; approvers only."""
        if not sm.is_approver(actor):
            raise Forbidden("Only the security team can retry a request.")
        record = self._get(request_id)
        if record.status not in {Status.FAILED, Status.PROVISIONING}:
            raise Conflict(texts.RETRY_NOT_FAILED.format(id=record.id, status=render.STATUS_WORDS[record.status]))
        self.jobs.start("provision", record.id, actor=actor.id, front=actor.front.value)
        return render.one(self._get(record.id), lead=texts.RETRYING.format(id=record.id))

    # ---- plumbing shared with the worker ---------------------------------------------------------

    def _transition(
        self, request_id: str, step: Callable[[RequestRecord], tuple[RequestRecord, AuditEvent]]
    ) -> tuple[RequestRecord, RequestRecord, AuditEvent]:
        """Apply `step` with a conditional write, re-reading and re-deciding when another writer won."""
        for _ in range(MAX_RACES):
            current = self._get(request_id)
            try:
                moved, event = step(current)
            except Forbidden as refused:
                self._refused(current, refused)
                raise
            if self.store.save(moved, event, expected_version=current.version):
                return current, moved.model_copy(update={"version": current.version + 1}), event
        raise RetryLater(texts.BUSY.format(id=request_id))

    def _refused(self, record: RequestRecord, refused: Forbidden) -> None:
        """A refusal changes nothing, but the audit trail shows who tried what (no state change, `refused`)."""
        actor = getattr(refused, "actor", None)
        logger.warning("refused", extra={"request": record.id, "why": str(refused)})
        if actor is None:
            return
        note = AuditEvent(request_id=record.id, seq=record.events, at=self.now(), actor=actor.id, front=actor.front,
                          action="refused", before=record.status, after=record.status, reason=str(refused))
        try:
            self.store.note(note)
        except RetryLater:
            logger.warning("refusal not recorded", extra={"request": record.id})

    def _get(self, request_id: str) -> RequestRecord:
        key = request_id.strip().upper()[:32]
        record = self.store.get(key)
        if record is None:
            raise NotFound(texts.NOT_FOUND.format(id=key))
        return record

    def _visible(self, request_id: str, actor: Actor) -> RequestRecord:
        record = self._get(request_id)
        if record.requester != actor.id and not sm.is_approver(actor):
            raise Forbidden(texts.NOT_YOURS.format(id=record.id))
        return record

    def _account(self, record: RequestRecord) -> Account:
        found = self.registry.find(record.account_id)
        if found is None:
            raise NotFound(texts.NO_ACCOUNT.format(id=record.id, account=record.account_id))
        return found

    def _check_duration(self, request: AccessRequest, account: Account) -> None:
        rules = self.rules.for_type(account.type)
        limit = rules.max_duration
        if request.duration is None and rules.require_duration:
            raise InvalidInput(texts.DURATION_REQUIRED.format(account=account.alias,
                                                              limit=render.duration_words(limit)))
        if limit is not None and request.duration is not None and request.duration > limit:
            raise InvalidInput(texts.DURATION_TOO_LONG.format(account=account.alias,
                                                              limit=render.duration_words(limit)))

    def _validated(self, request: AccessRequest, account: Account, now: datetime) -> ValidationResult:
        """The policy written from the request and run through the central validation, expiring at `now` + duration."""
        from bot.domain.validation import validate
        from bot.domain.writer import write_policy

        expires = now + request.duration if request.duration else None
        policy = write_policy(request, account_id=account.id, expires_at=expires)
        return validate(policy, account_type=account.type, rules=self.rules)

    @staticmethod
    def _idempotency_key(request: AccessRequest, now: datetime) -> str:
        # The same person submitting the same request twice within the window (a double click, a
        # retried Slack delivery) gets the first request back instead of a second one.
        window = int(now.timestamp()) // IDEMPOTENCY_WINDOW_SECONDS
        digest = hashlib.sha256(f"{window}|{request.model_dump_json()}".encode()).hexdigest()
        return f"submit#{digest[:40]}"

    def _schedule(self, name: str, at: datetime, payload: dict[str, Any]) -> None:
        try:
            self.scheduler.schedule(name, at, payload)
        except RetryLater:
            # The request is stored and visible; without the schedule it only misses the automatic
            # timeout/revocation, which the policy's own aws:CurrentTime bound still enforces.
            logger.warning("schedule not created", extra={"schedule": name})

    def tell(self, change: Change) -> None:
        """Notify; when the front fails, keep its bookkeeping and schedule another try (nothing is lost)."""
        if self.notifier is None:
            return
        notify = self.store.notify_state(change.record.id)
        try:
            notify = self.notifier.send(change, notify)
        except RetryLater as error:
            notify = dict(getattr(error, "notify", notify))
            self._schedule(f"accessbot-notify-{change.event_id}", self.now() + NOTIFY_RETRY,
                           {"action": "notify", "request_id": change.record.id, "kind": change.kind,
                            "event_id": change.event_id, "who": change.who, "reason": change.reason,
                            "missing": change.missing, "attempt": 1})
        self.store.set_notify_state(change.record.id, notify)


def _read_only(policy: dict[str, Any]) -> bool:
    """True when every allowed action is List or Read (auto-approval in sandbox, by the rules)."""
    from bot.domain import catalog

    for statement in policy.get("Statement", []):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        for text in [actions] if isinstance(actions, str) else actions:
            if "*" in text or "?" in text or ":" not in text:
                return False
            action = catalog.get_action(text)
            if action is None or not {level.value for level in action.access_levels} <= READ_LEVELS:
                return False
    return True
