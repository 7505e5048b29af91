"""Cold start: a fresh process importing the validator and validating one policy, next to `python -c pass`.

Run: .venv/bin/python benchmarks/cold_start.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

VALIDATE = (
    "from bot.domain.validation import validate\n"
    'r = validate(\'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]}\')\n'
    "assert r.decision.value == 'allow', r.findings\n"
)


def median_ms(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    baseline = median_ms("pass", args.runs)
    validator = median_ms(VALIDATE, args.runs)
    print(f"python -c pass:                 {baseline:7.1f} ms (median of {args.runs})")
    print(f"import + validate one policy:   {validator:7.1f} ms (median of {args.runs})")
    print(f"validator's own cost:           {validator - baseline:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
