"""A usage ask by name: every registered account checked at once (bounded), one answer, a choice, or a plain no."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from bot.domain.accounts import DEFAULT_SPOKE_ROLE, Account, AccountRegistry
from bot.domain.models import Actor, Front
from bot.domain.replies import Outcome
from bot.domain.usage import UsageReport
from bot.domain.usage_lookup import CHOOSE_ACCOUNT, Choice
from bot.errors import ConfigurationError, NotFound
from bot.local.answers import Refused, answer_with
from bot.usage import UsageService
from tests.functional.usage_fakes import FakeSession

ALICE = Actor(id="alice", front=Front.WEB)
NOW = datetime.now(UTC)


def registry(count: int) -> AccountRegistry:
    accounts = tuple(
        Account(id=f"{100000000000 + i}", alias=f"a{i:02d}", type="dev",
                role_arn=f"arn:aws:iam::{100000000000 + i}:role/{DEFAULT_SPOKE_ROLE}", external_id="x" * 8)
        for i in range(count)
    )
    return AccountRegistry(security_account_id="111111111111", accounts=accounts)


class Directory:
    """IAM in each account, answered in-process: who holds which role or user, and how many calls run at once."""

    def __init__(self, count: int, *, roles: dict[str, str] | None = None, users: dict[str, str] | None = None,
                 broken: frozenset[str] = frozenset(), together: int = 0) -> None:
        self.registry = registry(count)
        self.roles, self.users, self.broken = roles or {}, users or {}, broken  # name -> "alias[,alias]"
        self.calls: Counter[tuple[str, str]] = Counter()
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()
        # The first `together` lookups wait for each other: they can only all pass if they run at the same time.
        self.barrier = threading.Barrier(together, timeout=30) if together else None

    def session(self, account: Account) -> Any:
        if account.alias in self.broken:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "AssumeRole")
        client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")

        def get(kind: str) -> Any:
            def answer(_: Any, params: dict[str, Any]) -> dict[str, Any]:
                name = params[f"{kind}Name"]
                self._enter(account.alias, kind)
                holders = (self.roles if kind == "Role" else self.users).get(name, "")
                if account.alias not in holders.split(","):
                    raise Refused("NoSuchEntity", f"The {kind.lower()} with name {name} cannot be found.", 404)
                arn = f"arn:aws:iam::{account.id}:{kind.lower()}/ops/{name}"
                return {kind: {"Path": "/ops/", f"{kind}Name": name, f"{kind}Id": "AROA" + "X" * 16, "Arn": arn,
                               "CreateDate": NOW, **({"AssumeRolePolicyDocument": "{}"} if kind == "Role" else {})}}
            return answer

        answer_with(client, {
            "GetRole": get("Role"), "GetUser": get("User"),
            "GenerateServiceLastAccessedDetails": lambda _, p: {"JobId": "j" * 36},
            "GetServiceLastAccessedDetails": lambda _, p: {
                "JobStatus": "COMPLETED", "JobCreationDate": NOW, "JobCompletionDate": NOW,
                "ServicesLastAccessed": [{"ServiceName": "Amazon S3", "ServiceNamespace": "s3",
                                          "LastAuthenticated": NOW - timedelta(days=2)}],
            },
            "ListPoliciesGrantingServiceAccess": lambda _, p: {
                "PoliciesGrantingServiceAccess": [], "IsTruncated": False,
            },
        })
        return FakeSession(client)

    def _enter(self, alias: str, kind: str) -> None:
        with self.lock:
            self.calls[(alias, kind)] += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            first = self.barrier is not None and sum(self.calls.values()) <= self.barrier.parties
        try:
            if first and self.barrier is not None:
                self.barrier.wait()
        finally:
            with self.lock:
                self.in_flight -= 1

    def service(self, **kwargs: Any) -> UsageService:
        return UsageService(self.registry, submit=lambda *a: Outcome(replies=()), session_factory=self.session,
                            sleep=lambda s: None, **kwargs)


def test_found_in_one_account_the_report_is_of_that_role_under_its_real_arn() -> None:
    directory = Directory(4, roles={"DBAdminRole": "a02"})
    report = directory.service().report("DBAdminRole", 90)
    assert isinstance(report, UsageReport)
    assert report.principal.arn == "arn:aws:iam::100000000002:role/ops/DBAdminRole" and report.account == "a02"
    assert [s.namespace for s in report.used()] == ["s3"]


def test_several_accounts_make_a_choice_in_the_registry_order() -> None:
    directory = Directory(5, roles={"DataScientist": "a03,a00,a04"})
    outcome = directory.service().usage("DataScientist", 30, actor=ALICE)
    assert outcome.status == CHOOSE_ACCOUNT
    (reply,) = outcome.replies
    assert reply.text == "DataScientist is in a00, a03 and a04. Which account do you mean?"
    assert [b.value for b in reply.buttons] == ["a00", "a03", "a04"]


def test_a_name_nobody_holds_is_said_plainly() -> None:
    with pytest.raises(NotFound) as raised:
        Directory(3).service().report("GhostRole", 90)
    assert str(raised.value) == (
        "I found no role or user named GhostRole in a00, a01 or a02. Check the spelling, or give its ARN."
    )


def test_an_account_that_cannot_be_checked_is_named_and_never_hides_a_match() -> None:
    with pytest.raises(NotFound) as raised:
        Directory(3, broken=frozenset({"a01"})).service().report("role GhostRole", 90)
    assert str(raised.value).startswith(
        "I found no role named GhostRole in a00, a01 or a02. Check the spelling, or give its ARN. "
        "I couldn't check a01: I can't assume the spoke role in a01 (100000000001, dev) (AccessDenied)"
    )
    found = Directory(3, roles={"DBAdminRole": "a02"}, broken=frozenset({"a01"})).service().report("DBAdminRole", 90)
    assert isinstance(found, Choice) and [m.account for m in found.matches] == ["a02"]
    assert [a for a, _ in found.unchecked] == ["a01"]


def test_when_every_account_fails_the_same_way_it_is_said_once() -> None:
    directory = Directory(2, broken=frozenset({"a00", "a01"}))
    with pytest.raises(ConfigurationError, match=r"^I can't assume the spoke role in a00"):
        directory.service().report("DBAdminRole", 90)


def test_accounts_are_checked_together_but_never_more_than_the_bound() -> None:
    directory = Directory(12, roles={"DBAdminRole": "a07"}, together=3)
    seen: list[tuple[int, int]] = []
    report = directory.service(max_in_flight=3, progress=lambda done, total: seen.append((done, total)))
    found = report.report("role DBAdminRole", 90)
    assert isinstance(found, UsageReport) and found.account == "a07"
    assert directory.peak == 3  # three at once (the barrier), and never a fourth
    assert sorted(seen)[-1] == (12, 12) and len(seen) == 12


def test_the_kind_and_the_account_narrow_the_calls() -> None:
    directory = Directory(4, users={"deploy-bot": "a01"})
    found = directory.service().report("user deploy-bot", 90)
    assert isinstance(found, UsageReport) and found.principal.arn.endswith(":user/ops/deploy-bot")
    assert {kind for _, kind in directory.calls} == {"User"}
    directory.calls.clear()
    directory.service().report("deploy-bot in a01", 90)
    assert set(directory.calls) == {("a01", "Role"), ("a01", "User")}  # one account: the role first, then the user


def test_trim_by_name_asks_the_same_way() -> None:
    directory = Directory(2, roles={"DataScientist": "a00,a01"})
    outcome = directory.service().trim("DataScientist", 90, actor=ALICE)
    assert outcome.status == CHOOSE_ACCOUNT
    assert outcome.replies[0].buttons[1].value == "a01"
    report = directory.service().report("DataScientist in a01", 90)  # what the dialog asks once answered
    assert isinstance(report, UsageReport) and report.principal.arn.endswith("100000000001:role/ops/DataScientist")
