"""Times AccessBot's validate over the files named on stdin, next to json.loads of the same texts; prints JSON.

Runs in the project's venv (or with PYTHONPATH pointing at another checkout, for a before/after).
The floor (json.loads alone) takes turns with validate, pass by pass, in this same process.
"""

import json
import os
import sys
import time

WARM_PASSES = int(os.environ.get("BENCH_WARM_PASSES", "3"))
t0 = time.perf_counter()
from bot.domain.validation import validate  # noqa: E402

import_seconds = time.perf_counter() - t0
paths = sys.stdin.read().split("\n")
texts = [open(p, "rb").read() for p in paths if p]  # noqa: SIM115


def one_pass():
    crashes = 0
    findings = 0
    invalid_actions = 0
    start = time.perf_counter()
    for text in texts:
        try:
            result = validate(text, account_type="sandbox")
            findings += len(result.findings)
            invalid_actions += sum(
                1 for f in result.findings if f.code in ("INVALID_ACTION", "INVALID_SERVICE_IN_ACTION")
            )
        except Exception:
            crashes += 1
    return time.perf_counter() - start, crashes, findings, invalid_actions


def floor_pass():
    start = time.perf_counter()
    for text in texts:
        json.loads(text)
    return time.perf_counter() - start


first_seconds, *_ = one_pass()  # catalogue/data loading included
# warm: the best of several passes (the least disturbed by other work on the machine); the floor alternates with it
passes = []
floors = []
for _ in range(WARM_PASSES):
    floors.append(floor_pass())
    passes.append(one_pass())
seconds, crashes, findings, invalid_actions = min(passes, key=lambda r: r[0])
print(
    json.dumps(
        {
            "tool": "accessbot",
            "policies": len(texts),
            "seconds": seconds,
            "first_seconds": first_seconds,
            "floor_seconds": min(floors),
            "warm_passes": WARM_PASSES,
            "crashes": crashes,
            "findings": findings,
            "unknown_action_findings": invalid_actions,
            "import_seconds": import_seconds,
        }
    )
)
