"""Every finding and final policy of the validator, dumped for before/after comparison of a speed change.

Dumps, under a fixed PYTHONHASHSEED, each corpus policy validated for every account type and with the rules
as written (no central denies, as agreement.py runs them), plus the inputs recorded from the unit tests
(`record_validate.py`, a pytest plugin) replayed through the current code. Keep the dump outside the repo.

Run:
  ACCESSBOT_RECORD=/tmp/validate-inputs.pickle .venv/bin/pytest -p record_validate tests/unit   (once, any code)
  .venv/bin/python benchmarks/findings_snapshot.py dump /tmp/before.jsonl [--inputs /tmp/validate-inputs.pickle]
  .venv/bin/python benchmarks/findings_snapshot.py compare /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import managed_policies

from bot.domain.models import ValidationResult
from bot.domain.rules import CentralRules, load_rules
from bot.domain.validation import validate

ACCOUNT_TYPES = ("sandbox", "dev", "test", "prod")
HASH_SEED = "0"


def as_record(key: str, result: ValidationResult) -> dict[str, Any]:
    return {
        "key": key,
        "decision": result.decision.value,
        "account_type": result.account_type,
        "findings": [
            [f.code, f.severity.value, f.message, f.statement, f.action, f.fix, f.blocking] for f in result.findings
        ],
        # Not sorted: key order of the final document is part of the output.
        "policy": json.dumps(result.policy, ensure_ascii=False),
    }


def rules_as_written() -> CentralRules:
    rules = load_rules()
    return CentralRules(
        account_types={k: v.model_copy(update={"central_deny": ()}) for k, v in rules.account_types.items()}
    )


def corpus_records() -> Iterator[dict[str, Any]]:
    written = rules_as_written()
    for path in managed_policies():
        data = path.read_bytes()
        for account_type in ACCOUNT_TYPES:
            yield as_record(f"corpus/{path.stem}/{account_type}", validate(data, account_type=account_type))  # type: ignore[arg-type]
        yield as_record(f"corpus/{path.stem}/as-written", validate(data, account_type="sandbox", rules=written))


def replayed_records(inputs: Path) -> Iterator[dict[str, Any]]:
    with inputs.open("rb") as handle:
        calls: list[tuple[str, Any, dict[str, Any]]] = pickle.load(handle)
    for key, document, recorded in calls:
        kwargs = dict(recorded)
        if kwargs.get("rules") is not None:
            kwargs["rules"] = CentralRules.model_validate(kwargs["rules"])
        yield as_record(f"tests/{key}", validate(document, **kwargs))


def dump(out: Path, inputs: Path | None) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for record in corpus_records():
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        if inputs is not None:
            for record in replayed_records(inputs):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    print(f"{count} results written to {out} (PYTHONHASHSEED={os.environ.get('PYTHONHASHSEED')})")
    return 0


def compare(before: Path, after: Path) -> int:
    old = [json.loads(line) for line in before.read_text(encoding="utf-8").splitlines()]
    new = [json.loads(line) for line in after.read_text(encoding="utf-8").splitlines()]
    if [r["key"] for r in old] != [r["key"] for r in new]:
        print(f"the two dumps hold different inputs ({len(old)} against {len(new)})")
        return 1
    diffs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    policies = len({r["key"].rsplit("/", 1)[0] for r in old if r["key"].startswith("corpus/")})
    tests = sum(1 for r in old if r["key"].startswith("tests/"))
    sets = len(ACCOUNT_TYPES) + 1
    print(f"compared {len(old)} results: {policies} corpus policies x {sets} rule sets, {tests} test inputs")
    for a, b in diffs[:20]:
        print(f"DIFF {a['key']}")
        for field in a:
            if a[field] != b[field]:
                print(f"  {field}:\n    before {a[field]}\n    after  {b[field]}")
    print(f"diffs: {len(diffs)}")
    return 1 if diffs else 0


def main() -> int:
    if "PYTHONHASHSEED" not in os.environ:
        # Same seed in every run (unless one is given): a set's order must not make two dumps differ.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": HASH_SEED})
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--inputs", type=Path, help="validate() calls recorded by record_validate.py")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.out, args.inputs)
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
