"""Account usage report, 200 roles at 100 ms per AWS call: UsageService (bounded parallel) vs a sequential loop."""

from __future__ import annotations

import argparse
import math
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from bot.aws import advisor
from bot.domain.accounts import embedded_registry
from bot.domain.replies import Outcome
from bot.domain.usage import AccountReport, RoleRow, parse_principal, role_row, sort_rows
from bot.domain.usage_pages import report_from_advisor
from bot.local.answers import answer_with
from bot.usage import UsageService

# Run: .venv/bin/python benchmarks/advisor.py [--roles 200] [--latency 0.1] [--in-flight 12] [--polls 0]
# The account is a real botocore IAM client whose ListRoles, GenerateServiceLastAccessedDetails and
# GetServiceLastAccessedDetails are answered in-process after sleeping `latency` (each request still
# built and validated against IAM's API model). The anchor, in the same run: the same roles one after
# the other, as the seed post's CLI loop does it (generate, poll until COMPLETED, read); both must
# produce the same rows.
ACCOUNT = "123456789012"


class SlowAccount:
    """`roles` roles, every call `latency` seconds; jobs are IN_PROGRESS for `polls` reads. Thread-safe."""

    def __init__(self, roles: int, latency: float, polls: int) -> None:
        self.names = [f"Role{i:03d}" for i in range(roles)]
        self.latency, self.polls = latency, polls
        self.calls: Counter[str] = Counter()
        self.jobs: dict[str, list[Any]] = {}
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()
        self.now = datetime.now(UTC)
        self.client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        answer_with(self.client, {
            "ListRoles": self.list_roles,
            "GenerateServiceLastAccessedDetails": self.generate,
            "GetServiceLastAccessedDetails": self.get,
        })

    def _call(self, operation: str) -> None:
        with self.lock:
            self.calls[operation] += 1
        time.sleep(self.latency)

    def list_roles(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._call("ListRoles")
        start, size = int(params.get("Marker") or 0), int(params.get("MaxItems") or 100)
        roles = [{"Path": "/", "RoleName": n, "RoleId": "AROA" + "X" * 16, "CreateDate": self.now,
                  "Arn": f"arn:aws:iam::{ACCOUNT}:role/{n}"} for n in self.names[start : start + size]]
        more = start + size < len(self.names)
        return {"Roles": roles, "IsTruncated": more, **({"Marker": str(start + size)} if more else {})}

    def generate(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._call("GenerateServiceLastAccessedDetails")
        job_id = str(uuid.uuid4())
        with self.lock:
            self.jobs[job_id] = [params["Arn"], 0]
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        return {"JobId": job_id}

    def get(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._call("GetServiceLastAccessedDetails")
        with self.lock:
            job = self.jobs[params["JobId"]]
            job[1] += 1
            done = job[1] > self.polls
            if done and job[1] == self.polls + 1:
                self.in_flight -= 1
        page: dict[str, Any] = {"JobCreationDate": self.now, "JobCompletionDate": self.now}
        if not done:
            return {**page, "JobStatus": "IN_PROGRESS", "ServicesLastAccessed": []}
        index = int(job[0].rpartition("Role")[2])
        services = [{"ServiceName": f"Service {n}", "ServiceNamespace": f"svc{n}",
                     **({"LastAuthenticated": self.now - timedelta(days=n * 40)} if n < index % 4 else {})}
                    for n in range(index % 6 + 1)]
        return {**page, "JobStatus": "COMPLETED", "ServicesLastAccessed": services}


class Session:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, **_: Any) -> Any:
        return self._client


def parallel(roles: int, latency: float, polls: int, in_flight: int) -> tuple[float, AccountReport, SlowAccount]:
    account = SlowAccount(roles, latency, polls)
    service = UsageService(
        embedded_registry(), submit=lambda *a: Outcome(replies=()), session_factory=lambda a: Session(account.client),
        max_in_flight=in_flight, deadline_seconds=600,
    )
    start = time.perf_counter()
    report = service.report("account sandbox", 90)
    wall = time.perf_counter() - start
    assert isinstance(report, AccountReport) and report.pending == 0
    return wall, report, account


def sequential(roles: int, latency: float, polls: int) -> tuple[float, tuple[RoleRow, ...], SlowAccount]:
    """The anchor: list the roles, then for each: generate, poll with the same backoff, read — one at a time."""
    account = SlowAccount(roles, latency, polls)
    calls = advisor.Calls(account.client, advisor.Pacer(time.sleep, time.monotonic), "sandbox")
    start = time.perf_counter()
    listed, _ = advisor.list_roles(calls, limit=1000)
    rows = []
    for role in listed:
        principal = parse_principal(role.arn)
        job = advisor.start_job(calls, role.arn)
        pages = advisor.poll_job(calls, job, name=role.name, sleep=time.sleep, clock=time.monotonic,
                                 deadline=time.monotonic() + 600)
        assert pages is not None
        rows.append(role_row(report_from_advisor(principal, "sandbox", pages, days=90, now=datetime.now(UTC))))
    return time.perf_counter() - start, sort_rows(rows), account


def _calls(account: SlowAccount) -> str:
    total = sum(account.calls.values())
    return f"{total} calls (" + ", ".join(f"{k} {v}" for k, v in sorted(account.calls.items())) + ")"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per AWS call")
    parser.add_argument("--in-flight", type=int, default=12)
    parser.add_argument("--polls", type=int, default=0, help="IN_PROGRESS reads before a job completes")
    args = parser.parse_args()

    wall, report, fast = parallel(args.roles, args.latency, args.polls, args.in_flight)
    print(f"account report, {args.roles} roles, {args.latency * 1000:.0f} ms per call, "
          f"{args.in_flight} in flight: {wall:.2f} s, {_calls(fast)}; peak jobs in flight {fast.peak}")
    seq_wall, seq_rows, slow = sequential(args.roles, args.latency, args.polls)
    print(f"  anchor, sequential loop over the same roles: {seq_wall:.2f} s, {_calls(slow)}")
    same = [(r.name, r.granted, r.unused) for r in report.rows] == [(r.name, r.granted, r.unused) for r in seq_rows]
    bound = math.ceil(max(args.roles, 1) / 1000) + args.roles * (2 + args.polls)
    print(f"speed-up {seq_wall / wall:.1f}x; same rows: {same}; calls {sum(fast.calls.values())} "
          f"(bound: ListRoles pages + roles x (1 generate + {args.polls + 1} get) = {bound})")


if __name__ == "__main__":
    main()
