"""Dialog session state: the SessionStore protocol, an in-memory store with a TTL, and a JSON file store (CLI)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

#: How long a half-finished conversation is kept.
DEFAULT_TTL_SECONDS = 30 * 60
MAX_SESSIONS = 10_000


class SessionStore(Protocol):
    """Where the dialog keeps its state between turns (the lifecycle's DynamoDB store implements it too)."""

    def get(self, session_id: str) -> dict[str, Any] | None: ...

    def put(self, session_id: str, state: dict[str, Any], ttl_seconds: int) -> None: ...

    def delete(self, session_id: str) -> None: ...


class MemorySessionStore:
    """A process-local store; expired entries vanish on read, and the oldest go first past MAX_SESSIONS."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def get(self, session_id: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(session_id)
            if item is None:
                return None
            if item[0] <= self._clock():
                del self._items[session_id]
                return None
            return json.loads(json.dumps(item[1]))  # type: ignore[no-any-return]

    def put(self, session_id: str, state: dict[str, Any], ttl_seconds: int) -> None:
        with self._lock:
            if len(self._items) >= MAX_SESSIONS and session_id not in self._items:
                oldest = min(self._items, key=lambda k: self._items[k][0])
                del self._items[oldest]
            self._items[session_id] = (self._clock() + ttl_seconds, json.loads(json.dumps(state)))

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._items.pop(session_id, None)


class FileSessionStore:
    """Sessions in one small JSON file (the CLI's one-shot turns: `accessbot chat "..."` twice continues)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        now = self._clock()
        return {k: v for k, v in data.items() if isinstance(v, dict) and v.get("expires", 0) > now}

    def _save(self, data: dict[str, Any]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(json.dumps(data), encoding="utf-8")
        self._path.chmod(0o600)

    def get(self, session_id: str) -> dict[str, Any] | None:
        item = self._load().get(session_id)
        return dict(item["state"]) if item else None

    def put(self, session_id: str, state: dict[str, Any], ttl_seconds: int) -> None:
        data = self._load()
        data[session_id] = {"expires": self._clock() + ttl_seconds, "state": state}
        self._save(data)

    def delete(self, session_id: str) -> None:
        data = self._load()
        if data.pop(session_id, None) is not None:
            self._save(data)
