"""Approval → ACTIVE time, submit → approve → provision throughput with 20 requesters, and AWS calls per grant.

Run: .venv/bin/python benchmarks/lifecycle.py [--grants 100] [--requesters 20]
Everything runs against the embedded world (moto's server on loopback): the DynamoDB store, STS into
the target account and IAM there, exactly as the worker does it. The anchor, in the same run: the
bare AWS calls one grant cannot do without (AssumeRole, CreatePolicy, AttachRolePolicy), timed alone.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bot.aws.provisioner import IamProvisioner
from bot.aws.sessions import add_client_hook, bot_session, make_client, remove_client_hook, spoke_session
from bot.aws.store import DynamoStore
from bot.domain.accounts import embedded_registry
from bot.domain.models import AccessRequest, Actor, Decision, Front, Grant, ValidationResult
from bot.domain.rules import load_rules
from bot.lifecycle.memory import InlineJobs, NoScheduler
from bot.lifecycle.service import RequestService
from bot.lifecycle.worker import LifecycleWorker
from bot.local.world import EmbeddedWorld

ADVISORY = ValidationResult(decision=Decision.ALLOW, findings=())
APPROVER = Actor(id="sam", front=Front.SLACK, groups=frozenset({"accessbot-approvers"}))
_names = itertools.count()


class CallCounter:
    """Counts every AWS call the bot's clients send (a botocore before-send hook on each client)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()

    def install(self, client: Any) -> None:
        service = client.meta.service_model.service_name

        def count(**kwargs: Any) -> None:
            operation = kwargs["event_name"].rsplit(".", 1)[-1]
            with self.lock:
                self.calls[f"{service}:{operation}"] += 1

        client.meta.events.register("before-send", count)


def request(who: str) -> AccessRequest:
    bucket = f"bench-{next(_names)}"
    grant = Grant(service="s3", access_levels=("Write",), resources=(bucket,), resource_type="object")  # type: ignore[arg-type]
    return AccessRequest(account="sandbox", grants=(grant,), duration=timedelta(hours=1), justification="bench",
                         requester=who)


def build(world: EmbeddedWorld) -> RequestService:
    store = DynamoStore(world.table_name, region="us-east-1")
    holder: list[LifecycleWorker] = []
    service = RequestService(store, registry=embedded_registry(), rules=load_rules(), scheduler=NoScheduler(),
                             jobs=InlineJobs(lambda *a, **k: holder[0].run(*a, **k)))  # noqa: PLW0108 (bound later)
    holder.append(LifecycleWorker(service, IamProvisioner()))
    return service


def grant(service: RequestService, who: str) -> tuple[float, float]:
    """(submit ms, approval → ACTIVE ms) for one request."""
    actor = Actor(id=who, front=Front.WEB)
    start = time.perf_counter()
    outcome = service.submit(request(who), ADVISORY, actor=actor)
    submitted = time.perf_counter()
    decided = service.decide(str(outcome.request_id), approve=True, reason=None, actor=APPROVER)
    done = time.perf_counter()
    assert decided.status == "ACTIVE", decided
    return (submitted - start) * 1000, (done - submitted) * 1000


_DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::floor/*"}]})


def _bare_grant(sts: Any) -> float:
    """The anchor: AssumeRole + CreatePolicy + AttachRolePolicy, nothing else (ms)."""
    account = embedded_registry().resolve("sandbox")
    start = time.perf_counter()
    iam = make_client(spoke_session(account, purpose="floor", sts=sts), "iam")
    arn = iam.create_policy(PolicyName=f"accessbot-floor-{next(_names)}", PolicyDocument=_DOCUMENT)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="Developer", PolicyArn=arn)
    return (time.perf_counter() - start) * 1000


def floor(world: EmbeddedWorld, rounds: int) -> list[float]:
    sts = make_client(bot_session(), "sts")
    return [_bare_grant(sts) for _ in range(rounds)]


def _concurrent_floor(world: EmbeddedWorld, grants: int, threads: int) -> float:
    sts = make_client(bot_session(), "sts")
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda _: _bare_grant(sts), range(grants)))
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, default=100)
    parser.add_argument("--requesters", type=int, default=20)
    parser.add_argument("--port", type=int, default=4599)
    args = parser.parse_args()
    world = EmbeddedWorld(port=args.port, table_name="accessbot-bench").start()
    try:
        counter = CallCounter()
        add_client_hook(counter.install)  # every client the bot builds from here on is counted
        service = build(world)
        grant(service, "warmup")
        counter.calls.clear()
        grant(service, "alice")  # alice has a principal mapping: the grant is attached too
        per_grant = Counter(counter.calls)

        sequential = [grant(service, f"seq{i}") for i in range(30)]
        anchor = floor(world, 30)
        approval = [s[1] for s in sequential]
        print(f"approval → ACTIVE (sequential, n=30): p50 {statistics.median(approval):.1f} ms, "
              f"p95 {percentile(approval, 0.95):.1f} ms")
        print(f"  anchor, bare AssumeRole+CreatePolicy+AttachRolePolicy: p50 {statistics.median(anchor):.1f} ms, "
              f"p95 {percentile(anchor, 0.95):.1f} ms")
        print(f"submit (write + validate + store): p50 {statistics.median([s[0] for s in sequential]):.1f} ms")

        people = [f"user{i}" for i in range(args.requesters)]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.requesters) as pool:
            results = list(pool.map(lambda i: grant(service, people[i % len(people)]), range(args.grants)))
        wall = time.perf_counter() - start
        print(f"{args.grants} grants by {args.requesters} concurrent requesters: {wall:.2f} s, "
              f"{args.grants / wall:.1f} grants/s (submit → approve → ACTIVE), "
              f"approval → ACTIVE p95 {percentile([r[1] for r in results], 0.95):.0f} ms under load")
        concurrent_floor = _concurrent_floor(world, args.grants, args.requesters)
        print(f"  anchor, the bare calls of {args.grants} grants on {args.requesters} threads: "
              f"{concurrent_floor:.2f} s, "
              f"{args.grants / concurrent_floor:.1f} grants/s")
        remove_client_hook(counter.install)
        total = sum(per_grant.values())
        by_service: Counter[str] = Counter()
        for key, count in per_grant.items():
            by_service[key.split(":")[0]] += count
        print(f"AWS calls per grant (submit → ACTIVE): {total} — " +
              ", ".join(f"{service} {count}" for service, count in sorted(by_service.items())))
        print("  " + ", ".join(f"{k} {v}" for k, v in sorted(per_grant.items())))
    finally:
        world.stop()


if __name__ == "__main__":
    main()
