"""Access-advisor job ids per ARN in this process, reused for a while: asking again reads the same job."""

from __future__ import annotations

import threading
from collections.abc import Callable


class JobCache:
    """Access-advisor job ids per ARN in this process, for `ttl` seconds: asking again reuses the job."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl, self.clock = ttl, clock
        self._jobs: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, arn: str) -> str | None:
        with self._lock:
            found = self._jobs.get(arn)
            if found is None:
                return None
            if self.clock() - found[1] > self.ttl:
                del self._jobs[arn]
                return None
            return found[0]

    def put(self, arn: str, job_id: str) -> None:
        with self._lock:
            self._jobs[arn] = (job_id, self.clock())
            if len(self._jobs) > 10_000:  # a long-lived process: forget the oldest
                oldest = min(self._jobs, key=lambda k: self._jobs[k][1])
                del self._jobs[oldest]

    def drop(self, arn: str) -> None:
        with self._lock:
            self._jobs.pop(arn, None)
