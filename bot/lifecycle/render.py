"""Request records as front-neutral replies: a status line, a list table, the audit history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.durations import largest_unit
from bot.domain.lifecycle import AuditEvent, RequestRecord, Status
from bot.domain.replies import Button, Outcome, Reply, Table
from bot.lifecycle import texts

STATUS_WORDS = {
    Status.PENDING_APPROVAL: "waiting for approval",
    Status.APPROVED: "approved, being created",
    Status.PROVISIONING: "being created",
    Status.ACTIVE: "active",
    Status.DENIED: "denied",
    Status.CANCELLED: "cancelled",
    Status.TIMED_OUT: "timed out",
    Status.FAILED: "failed",
    Status.EXPIRED: "expired",
    Status.REVOKED: "revoked",
}


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else texts.UNTIL_REVOKED


def duration_words(duration: timedelta | None) -> str:
    if duration is None:
        return texts.UNTIL_REVOKED
    count, unit = largest_unit(duration)
    return f"{count} {unit}(s)"


def account_label(record: RequestRecord) -> str:
    return f"{record.account_alias} ({record.account_id}, {record.account_type})"


def detail_lines(record: RequestRecord) -> list[str]:
    """What a requester or approver wants to know about one request, one fact a line."""
    lines = [
        texts.STATUS_LINE.format(id=record.id, status=STATUS_WORDS[record.status]),
        f"Account: {account_label(record)}",
        f"Requested by: {record.requester} ({record.front.value}), {when(record.created_at)}",
        f"Duration: {duration_words(record.request.duration)}",
    ]
    if record.request.justification:
        lines.append(f"Why: {record.request.justification}")
    approvers = ", ".join(record.approvals) or "none yet"
    lines.append(f"Approvals: {approvers} ({len(record.approvals)} of {record.approvals_required})")
    if record.status is Status.PENDING_APPROVAL and record.decide_by:
        lines.append(f"Times out: {when(record.decide_by)}")
    if record.principal_arn:
        lines.append(f"Attached to: {record.principal_arn}")
    if record.policy_arn:
        lines.append(f"Policy: {record.policy_arn}")
    if record.status is Status.ACTIVE:
        lines.append(f"Expires: {when(record.expires_at)}")
    if record.extension is not None:
        lines.append(f"Extension asked: {duration_words(record.extension.duration)} "
                     f"({len(record.extension.approvals)} of {record.approvals_required} approvals)")
    if record.reason:
        lines.append(f"Reason: {record.reason}")
    if record.failure:
        lines.append(f"Failure: {record.failure}")
    return lines


def buttons_for(record: RequestRecord, *, approver: bool) -> tuple[Button, ...]:
    if approver and (record.status is Status.PENDING_APPROVAL or record.extension is not None):
        return (Button(label="Approve", value=f"approve {record.id}", style="primary"),
                Button(label="Deny", value=f"deny {record.id}", style="danger"))
    if record.status in {Status.PENDING_APPROVAL, Status.APPROVED, Status.FAILED}:
        return (Button(label="Cancel", value=f"cancel {record.id}", style="danger"),)
    if record.status is Status.ACTIVE and record.expires_at is not None and record.extension is None:
        return (Button(label="Extend 4 hours", value=f"extend {record.id} by 4 hours"),)
    return ()


def one(record: RequestRecord, *, approver: bool = False, lead: str | None = None) -> Outcome:
    text = "\n".join(([lead] if lead else []) + detail_lines(record))
    reply = Reply(text=text, policy=record.policy, findings=record.findings,
                  buttons=buttons_for(record, approver=approver))
    return Outcome(replies=(reply,), request_id=record.id, status=record.status.value)


def table(records: Sequence[RequestRecord]) -> Table:
    rows = tuple(
        (r.id, STATUS_WORDS[r.status], r.account_alias, r.requester,
         when(r.expires_at) if r.status is Status.ACTIVE else "") for r in records
    )
    return Table(columns=texts.COLUMNS, rows=rows)


def listing(title: str, records: Sequence[RequestRecord], *, approver: bool = False) -> Outcome:
    buttons: tuple[Button, ...] = ()
    if approver:
        buttons = tuple(b for r in records[:3] for b in buttons_for(r, approver=True))
    return Outcome(replies=(Reply(text=title, table=table(records), buttons=buttons),))


def history(events: Sequence[AuditEvent]) -> Table:
    rows = tuple(
        (when(e.at), e.actor, e.front.value, e.action, e.before.value if e.before else "", e.after.value,
         e.reason or "") for e in events
    )
    return Table(columns=texts.HISTORY_COLUMNS, rows=rows)
