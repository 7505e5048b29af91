"""The state machine under every sequence of events hypothesis finds: no illegal state, no grant without approvals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bot.domain import lifecycle as sm
from bot.domain.lifecycle import FINAL, GRANTING, TRANSITIONS, RequestRecord, Status
from bot.domain.models import AccessRequest, Actor, Front, Grant
from bot.errors import AccessBotError

NOW = datetime(2026, 12, 2, tzinfo=UTC)
PEOPLE = ["alice", "sam", "jo", "kim"]
actors = st.builds(
    lambda who, approver: Actor(id=who, front=Front.SLACK,
                                groups=frozenset({sm.APPROVER_GROUP}) if approver else frozenset()),
    st.sampled_from(PEOPLE), st.booleans(),
)


def _record(required: int) -> RequestRecord:
    request = AccessRequest(account="sandbox", grants=(Grant(service="s3", access_levels=("Read",)),),  # type: ignore[arg-type]
                            duration=timedelta(hours=1))
    return RequestRecord(id="AR-TEST2", status=Status.PENDING_APPROVAL, requester="alice", front=Front.SLACK,
                         request=request, account_id="123456789012", account_alias="sandbox", account_type="sandbox",
                         policy={}, approvals_required=required, created_at=NOW, updated_at=NOW)


class Lifecycle(RuleBasedStateMachine):
    record: RequestRecord

    @initialize(required=st.integers(min_value=1, max_value=3))
    def submitted(self, required: int) -> None:
        self.record = _record(required)
        self.seen: list[Status] = [self.record.status]

    def _try(self, step: object) -> None:
        before = self.record.status
        try:
            moved, event = step()  # type: ignore[operator]
        except AccessBotError:
            return
        assert event.before is before and event.after is moved.status
        assert moved.status in TRANSITIONS[before], (before, moved.status)
        self.record = moved
        self.seen.append(moved.status)

    @rule(actor=actors)
    def approve(self, actor: Actor) -> None:
        self._try(lambda: sm.approve(self.record, actor, NOW))

    @rule(actor=actors, reason=st.sampled_from(["", "too broad", None]))
    def deny(self, actor: Actor, reason: str | None) -> None:
        self._try(lambda: sm.deny(self.record, actor, reason, NOW))

    @rule(actor=actors)
    def cancel(self, actor: Actor) -> None:
        def step() -> object:
            sm.can_cancel(self.record, actor)
            return sm.move(self.record, Status.CANCELLED, actor=actor.id, front=actor.front, action="cancelled",
                           now=NOW)
        self._try(step)

    @rule(after=st.sampled_from(list(Status)))
    def system(self, after: Status) -> None:
        """Anything the worker might attempt (provision, fail, activate, expire, time out...)."""
        self._try(lambda: sm.move(self.record, after, actor=sm.SYSTEM, front=Front.SYSTEM, action="x", now=NOW,
                                  expires_at=NOW + timedelta(hours=1)))

    @rule(actor=actors, hours=st.integers(min_value=1, max_value=10))
    def extend(self, actor: Actor, hours: int) -> None:
        self._try(lambda: sm.extend(self.record, actor, timedelta(hours=hours), timedelta(hours=8), NOW))

    @invariant()
    def never_grants_without_the_approvals(self) -> None:
        record = self.record
        if record.status in GRANTING or Status.APPROVED in self.seen[-1:]:
            approvers = set(record.approvals)
            assert "alice" not in approvers
            assert len(approvers) == len(record.approvals) >= record.approvals_required
        if record.extension is not None:
            assert "alice" not in record.extension.approvals
            assert len(set(record.extension.approvals)) == len(record.extension.approvals)

    @invariant()
    def access_only_after_approval(self) -> None:
        if Status.PROVISIONING in self.seen or Status.ACTIVE in self.seen:
            first = min(i for i, s in enumerate(self.seen) if s in {Status.PROVISIONING, Status.ACTIVE})
            assert Status.APPROVED in self.seen[:first]

    @invariant()
    def final_states_stay_final(self) -> None:
        finals = [i for i, s in enumerate(self.seen) if s in FINAL]
        if finals:
            assert all(s == self.seen[finals[0]] for s in self.seen[finals[0]:])


Lifecycle.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
TestLifecycle = Lifecycle.TestCase
