"""A whole account of roles for access advisor: a real IAM client whose calls are answered in-process, thread-safe."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from bot.local.answers import Refused, answer_with

ACCOUNT = "123456789012"


class AccountFake:
    """`roles` roles; role i was granted i % 5 + 1 services and used the first i % 3 of them.

    Jobs stay IN_PROGRESS for `polls` reads; every `throttle_every`-th call is throttled; each call takes `latency`;
    with `deny`, starting a job is AccessDenied.
    """

    def __init__(
        self, roles: int, *, latency: float = 0.0, polls: int = 0, throttle_every: int = 0, deny: bool = False
    ) -> None:
        self.roles = [f"Role{i:03d}" for i in range(roles)]
        self.latency, self.polls, self.throttle_every, self.deny = latency, polls, throttle_every, deny
        self.calls: Counter[str] = Counter()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()
        self.now = datetime.now(UTC)
        self.client = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        answer_with(
            self.client,
            {
                "ListRoles": self._list_roles,
                "GenerateServiceLastAccessedDetails": self._generate,
                "GetServiceLastAccessedDetails": self._get,
            },
        )

    def _enter(self, operation: str) -> None:
        with self.lock:
            self.calls[operation] += 1
            total = sum(self.calls.values())
        if self.latency:
            time.sleep(self.latency)
        if self.throttle_every and total % self.throttle_every == 0:
            raise Refused("Throttling", "Rate exceeded")

    def _list_roles(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._enter("ListRoles")
        start, size = int(params.get("Marker") or 0), int(params.get("MaxItems") or 100)
        page = self.roles[start : start + size]
        roles = [
            {"Path": "/", "RoleName": n, "RoleId": "AROA" + "X" * 16, "Arn": f"arn:aws:iam::{ACCOUNT}:role/{n}",
             "CreateDate": self.now}
            for n in page
        ]
        more = start + size < len(self.roles)
        return {"Roles": roles, "IsTruncated": more, **({"Marker": str(start + size)} if more else {})}

    def _generate(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._enter("GenerateServiceLastAccessedDetails")
        if self.deny:
            raise Refused("AccessDenied", "User is not authorized", 403)
        job_id = str(uuid.uuid4())
        with self.lock:
            self.jobs[job_id] = {"arn": params["Arn"], "reads": 0}
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        return {"JobId": job_id}

    def _get(self, client: Any, params: dict[str, Any]) -> dict[str, Any]:
        self._enter("GetServiceLastAccessedDetails")
        with self.lock:
            job = self.jobs[params["JobId"]]
            job["reads"] += 1
            done = job["reads"] > self.polls
            if done and not job.get("done"):
                job["done"] = True
                self.in_flight -= 1
        page: dict[str, Any] = {"JobCreationDate": self.now, "JobCompletionDate": self.now}
        if not done:
            return {**page, "JobStatus": "IN_PROGRESS", "ServicesLastAccessed": []}
        index = int(job["arn"].rpartition("Role")[2])
        services = []
        for n in range(index % 5 + 1):
            item: dict[str, Any] = {"ServiceName": f"Service {n}", "ServiceNamespace": f"svc{n}"}
            if n < index % 3:
                item["LastAuthenticated"] = self.now - timedelta(days=n + 1)
            services.append(item)
        return {**page, "JobStatus": "COMPLETED", "ServicesLastAccessed": services}


class FakeSession:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, **_: Any) -> Any:
        return self._client
