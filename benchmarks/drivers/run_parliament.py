"""Times parliament's core checks (analyze_policy_string) over the files named on stdin; prints JSON.

Runs inside benchmarks/.venvs/parliament (setuptools<81: parliament imports pkg_resources).
"""

import json
import os
import sys
import time

WARM_PASSES = int(os.environ.get("BENCH_WARM_PASSES", "3"))
t0 = time.perf_counter()
from parliament import analyze_policy_string  # noqa: E402

import_seconds = time.perf_counter() - t0
paths = sys.stdin.read().split("\n")
texts = [open(p, encoding="utf-8").read() for p in paths if p]  # noqa: SIM115


def one_pass():
    crashes = 0
    unknown_actions = 0
    findings = 0
    start = time.perf_counter()
    for text in texts:
        try:
            policy = analyze_policy_string(text)
            findings += len(policy.findings)
            unknown_actions += sum(1 for f in policy.findings if f.issue == "UNKNOWN_ACTION")
        except Exception:
            crashes += 1
    return time.perf_counter() - start, crashes, unknown_actions, findings


first_seconds, *_ = one_pass()  # catalogue/data loading included
# warm: the best of several passes (the least disturbed by other work on the machine)
seconds, crashes, unknown_actions, findings = min((one_pass() for _ in range(WARM_PASSES)), key=lambda r: r[0])
print(
    json.dumps(
        {
            "tool": "parliament",
            "policies": len(texts),
            "seconds": seconds,
            "first_seconds": first_seconds,
            "warm_passes": WARM_PASSES,
            "crashes": crashes,
            "findings": findings,
            "unknown_action_findings": unknown_actions,
            "import_seconds": import_seconds,
        }
    )
)
