"""Account reports: every role, a bounded number of jobs in flight, throttling absorbed, progress, a deadline."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.accounts import embedded_registry
from bot.domain.models import Actor, Front
from bot.domain.replies import Outcome
from bot.domain.usage import AccountReport
from bot.errors import Forbidden
from bot.usage import UsageService
from tests.functional.usage_fakes import AccountFake, FakeSession

ALICE = Actor(id="alice", front=Front.WEB)


def service(fake: AccountFake, **kwargs: Any) -> UsageService:
    return UsageService(
        embedded_registry(), submit=lambda *a: Outcome(replies=()), session_factory=lambda a: FakeSession(fake.client),
        **kwargs,
    )


def test_every_role_with_at_most_n_jobs_in_flight_sorted_by_unused() -> None:
    fake = AccountFake(40, latency=0.005, polls=1)
    seen: list[tuple[int, int]] = []
    report = service(fake, max_in_flight=6, progress=lambda d, t: seen.append((d, t))).report("account sandbox", 90)
    assert isinstance(report, AccountReport)
    assert report.total == report.checked == 40 and report.pending == 0
    assert fake.peak <= 6 and fake.calls["GenerateServiceLastAccessedDetails"] == 40
    assert seen[-1] == (40, 40) and len(seen) == 40
    unused = [r.unused for r in report.rows]
    assert unused == sorted(unused, reverse=True) and unused[0] == 5  # Role with 5 services, none used
    assert fake.calls["GetServiceLastAccessedDetails"] >= 80  # one IN_PROGRESS read each, then the result


def test_throttling_is_absorbed_by_the_shared_pacer() -> None:
    fake = AccountFake(12, throttle_every=5)
    report = service(fake, max_in_flight=4, sleep=lambda s: None).report("account sandbox", 90)
    assert isinstance(report, AccountReport) and report.checked == 12
    assert all(r.error is None for r in report.rows)


def test_at_the_deadline_the_rest_is_pending_and_asking_again_reuses_the_jobs() -> None:
    fake = AccountFake(10, polls=10**6)  # never completes
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    usage = service(fake, max_in_flight=2, sleep=sleep, clock=lambda: clock[0], deadline_seconds=3)
    outcome = usage.usage("account sandbox", 90, actor=ALICE)
    assert outcome.status == "partial"
    assert "still running — ask again in a minute, I'll reuse the jobs." in outcome.replies[0].text
    started = fake.calls["GenerateServiceLastAccessedDetails"]
    assert 0 < started < 10  # workers stop starting jobs at the deadline
    fake.polls = 0  # now everything is done
    clock[0] += 60
    report = usage.report("account sandbox", 90)
    assert isinstance(report, AccountReport) and report.pending == 0 and report.checked == 10
    assert fake.calls["GenerateServiceLastAccessedDetails"] == 10  # the started ones were reused


def test_every_role_refused_is_said_once() -> None:
    fake = AccountFake(3, deny=True)
    with pytest.raises(Forbidden, match=r"^The spoke role in sandbox .* may not iam:GenerateServiceLastAccess"):
        service(fake).usage("account sandbox", 90, actor=ALICE)
