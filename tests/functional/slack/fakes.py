"""A Backend and a Dialog for the Slack tests that record what they were asked (the real ones have their own tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.domain.models import AccessRequest, Actor, Finding, Grant, Severity, ValidationResult
from bot.domain.replies import Button, Outcome, Reply, Table
from bot.errors import Conflict, Forbidden, NotFound
from bot.slack.card import CardView
from bot.slack.notifier import Notice, SlackNotifier

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                  "Resource": "arn:aws:s3:::reports/*"}]}
ONLY_SECURITY = "Only the security team can approve or deny requests."
NO_SELF = "You cannot approve your own request."


@dataclass
class Record:
    id: str
    requester: str
    status: str = "PENDING_APPROVAL"
    approvals: list[str] = field(default_factory=list)
    notify: dict[str, str] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=lambda: POLICY)
    events: int = 0


class FakeBackend:
    """Approver rights as the lifecycle decides them: the approver claim, never the requester themself."""

    def __init__(self, notifier: SlackNotifier | None = None) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.records: dict[str, Record] = {}
        self.notifier = notifier

    def add(self, request_id: str, requester: str, **kwargs: Any) -> Record:
        record = Record(request_id, requester, **kwargs)
        self.records[request_id] = record
        self._notify(record, "submitted", None)
        return record

    def _notify(self, record: Record, kind: str, who: str | None, reason: str | None = None) -> None:
        if self.notifier is None:
            return
        record.events += 1
        view = CardView(request_id=record.id, status=record.status, requester=record.requester,
                        account="sandbox (123456789012, sandbox)", account_type="sandbox",
                        justification="monthly report", duration=timedelta(hours=4),
                        grants=("Read objects in bucket reports",),
                        findings=(Finding(code="MISSING_CONDITION", severity=Severity.SUGGESTION,
                                          message="add aws:RequestedRegion", fix="name a region"),),
                        approvals=tuple(record.approvals), reason=reason)
        notice = Notice(kind=kind, event_id=f"{record.id}-{record.events}", card=view, who=who, reason=reason,
                        notify=record.notify)
        record.notify = self.notifier.send(notice)

    def _get(self, request_id: str) -> Record:
        if request_id not in self.records:
            raise NotFound(f"There is no request {request_id}.")
        return self.records[request_id]

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        self.calls.append(("submit", (request, validation, actor)))
        record = self.add("AR-NEW01", actor.id)
        return Outcome(replies=(Reply(text=f"Submitted {record.id}."),), request_id=record.id, status=record.status)

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        self.calls.append(("status", (request_id, actor)))
        record = self._get(request_id)
        return Outcome(replies=(Reply(text=f"{request_id} is {record.status}", policy=record.policy),),
                       request_id=request_id, status=record.status)

    def mine(self, *, actor: Actor) -> Outcome:
        self.calls.append(("mine", (actor,)))
        rows = tuple((r.id, r.status) for r in self.records.values() if r.requester == actor.id)
        return Outcome(replies=(Reply(text="Your requests", table=Table(columns=("id", "status"), rows=rows)),))

    def pending(self, *, actor: Actor) -> Outcome:
        self.calls.append(("pending", (actor,)))
        return Outcome(replies=(Reply(text="Nothing pending"),))

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome:
        self.calls.append(("cancel", (request_id, actor)))
        record = self._get(request_id)
        record.status = "CANCELLED"
        return Outcome(replies=(Reply(text=f"Cancelled {request_id}"),))

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        self.calls.append(("extend", (request_id, duration, actor)))
        return Outcome(replies=(Reply(text=f"Asked to extend {request_id} by {duration}"),))

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        self.calls.append(("decide", (request_id, approve, reason, actor)))
        record = self._get(request_id)
        if "accessbot-approvers" not in actor.groups:
            raise Forbidden(ONLY_SECURITY)
        if actor.id == record.requester:
            raise Forbidden(NO_SELF)
        if record.status != "PENDING_APPROVAL":
            raise Conflict(f"{request_id} was already {record.status.lower()}.")
        record.status = "APPROVED" if approve else "DENIED"
        if approve:
            record.approvals.append(actor.id)
        self._notify(record, "approved" if approve else "denied", actor.id, reason)
        return Outcome(replies=(Reply(text=f"{request_id} {record.status}"),), request_id=request_id)

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        self.calls.append(("usage", (principal_arn, days, actor)))
        rows = (("s3", "2020-01-01T00:00:00Z"), ("ec2", ""))
        return Outcome(replies=(Reply(text="Usage", table=Table(columns=("service", "last used"), rows=rows),
                                      buttons=(Button(label="Trim unused", value=f"trim {principal_arn} {days}"),)),))

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        self.calls.append(("trim", (principal_arn, days, actor)))
        return Outcome(replies=(Reply(text="Trimmed"),))

    def retry(self, request_id: str, *, actor: Actor) -> Outcome:
        self.calls.append(("retry", (request_id, actor)))
        return Outcome(replies=(Reply(text="Retrying"),))


@dataclass
class FakeTurn:
    replies: list[Reply]
    request: AccessRequest | None = None
    request_id: str | None = None


class FakeDialog:
    def __init__(self) -> None:
        self.turns: list[tuple[Actor, str, str]] = []

    def turn(self, actor: Actor, text: str, session_id: str) -> FakeTurn:
        self.turns.append((actor, text, session_id))
        if text == "which account?":
            choices = tuple(Button(label=a, value=a) for a in ("sandbox", "dev", "test", "prod", "audit", "logs"))
            return FakeTurn([Reply(text="Which account?", buttons=choices)])
        request = AccessRequest(account="sandbox", grants=(Grant(service="s3", access_levels=("Read",)),),
                                duration=timedelta(hours=4), justification="monthly <!channel> report")
        return FakeTurn([Reply(text=f"You asked: {text}", policy=POLICY,
                               buttons=(Button(label="Submit", value="yes", style="primary"),
                                        Button(label="Cancel", value="cancel")))], request=request)
