"""Policy generation: AccessBot's writer next to policy_sentry (CRUD mode) on the same inputs, in one run.

Each case in data/generation_cases.json is one task: AccessBot gets the grant (service, access level,
resource name); policy_sentry gets the same access level on the ARNs of every resource type the task
touches (the most favourable input for it). Both run in their own process, policy_sentry in
benchmarks/.venvs/policy_sentry (created on first run). Reported per case: actions granted, whether
they cover what the task needs, and the time per request (warm mean; first call in brackets).
Run: .venv/bin/python benchmarks/generation.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "generation_cases.json"
VENV = HERE / ".venvs" / "policy_sentry"
# Destructive or configuration actions nobody asking for item/object access needs.
NOTABLE = (
    "dynamodb:DeleteTable",
    "dynamodb:CreateTable",
    "dynamodb:UpdateTable",
    "s3:DeleteBucket",
    "s3:PutBucketPolicy",
)


def _driver(python: Path, name: str, cases: str) -> dict[str, Any]:
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "policy_sentry"], check=True)
    done = subprocess.run(
        [str(python), str(HERE / "drivers" / name)],
        input=cases,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    cases = CASES.read_text()
    needs = {c["name"]: set(c["needs"]) for c in json.loads(cases)["cases"]}
    ours = _driver(Path(sys.executable), "gen_accessbot.py", cases)["results"]
    theirs = _driver(VENV / "bin" / "python", "gen_policy_sentry.py", cases)["results"]
    head = f"{'AccessBot actions':>17} {'covers':>6} {'ms':>12}   {'policy_sentry':>13} {'covers':>6} {'ms':>12}"
    print(f"{'task':32} {head}")
    totals = [0, 0]
    for mine, other in zip(ours, theirs, strict=True):
        name = mine["name"]
        row = [name[:32].ljust(32)]
        for index, data in enumerate((mine, other)):
            actions = set(data["actions"])
            totals[index] += len(actions)
            covers = "yes" if needs[name] <= actions else "NO"
            timing = f"{data['warm'] * 1000:.3f} ({data['first'] * 1000:.1f})"
            width = 17 if index == 0 else 13
            row.append(f"{len(actions):>{width}} {covers:>6} {timing:>12}")
        print(" ".join(row[:1]) + " " + "   ".join(row[1:]))
        extra = sorted(a for a in set(other["actions"]) & set(NOTABLE))
        if extra:
            print(f"{'':32}   policy_sentry also grants {', '.join(extra)}")
    ours_ms = sum(r["warm"] for r in ours) / len(ours) * 1000
    theirs_ms = sum(r["warm"] for r in theirs) / len(theirs) * 1000
    print(f"total actions: AccessBot {totals[0]}, policy_sentry {totals[1]}")
    print(f"mean time per request (warm): AccessBot {ours_ms:.3f} ms, policy_sentry {theirs_ms:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
