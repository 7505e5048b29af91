"""Intent accuracy and slot precision/recall/F1 of the embedded parser on benchmarks/data/nlu_eval.yml.

Run: .venv/bin/python benchmarks/nlu_eval.py [--verbose]
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.domain.accounts import embedded_registry
from intents.parser import parse

DATA = Path(__file__).parent / "data" / "nlu_eval.yml"
HOLDOUT = Path(__file__).parent / "data" / "nlu_eval_holdout.yml"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
KEYS = (
    "service",
    "access_level",
    "action",
    "resource",
    "account",
    "region",
    "duration",
    "justification",
    "tag_key",
    "tag_value",
    "principal",
    "request_id",
    "days",
    "reason",
)


def _norm(value: Any) -> str:
    return re.sub(r"[^\w:/*.\-]+", " ", str(value)).strip().lower()


def _pairs(slots: dict[str, Any]) -> set[tuple[str, str]]:
    out = set()
    for key in KEYS:
        value = slots.get(key)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            out.add((key, _norm(item)))
    return out


def main() -> int:
    verbose = "--verbose" in sys.argv
    holdout = "held-out set (its failures were read to find weakness classes, 2026-12)"
    for name, path in (("evaluation set", DATA), (holdout, HOLDOUT)):
        print(f"== {name}: {path.name}")
        _report(yaml.safe_load(path.read_text(encoding="utf-8")), verbose)
    return 0


def _report(cases: list[dict[str, Any]], verbose: bool) -> None:
    registry = embedded_registry()
    right = tp = fp = fn = 0
    for case in cases:
        got = parse(case["text"], registry=registry, now=NOW)
        ok = got.intent == case["intent"]
        right += ok
        expected, predicted = _pairs(case.get("slots") or {}), _pairs(got.slots)
        tp += len(expected & predicted)
        fp += len(predicted - expected)
        fn += len(expected - predicted)
        if verbose and (not ok or expected != predicted):
            print(
                f"- {case['text'][:90]!r}\n    intent {got.intent} (want {case['intent']})"
                f"\n    missing {sorted(expected - predicted)}\n    extra   {sorted(predicted - expected)}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"utterances: {len(cases)}")
    print(f"intent accuracy: {right / len(cases):.1%}  (target >= 95%)")
    print(f"slot precision: {precision:.1%}  recall: {recall:.1%}  F1: {f1:.1%}  (target F1 >= 90%)")


if __name__ == "__main__":
    raise SystemExit(main())
