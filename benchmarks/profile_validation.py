"""Where warm validation spends its time: py-spy samples validate() on the corpus after a first pass.

py-spy (pip install py-spy) attaches once the first pass is over, so catalogue loading stays out of the picture.
Writes an SVG flame graph and prints a text summary (share of the samples inside validate() per function,
inclusive, and the functions that spend the most samples themselves).
Run: .venv/bin/python benchmarks/profile_validation.py docs/profiles/validate-after.svg [--seconds 12]
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import managed_policies

ENTRY = "validate (bot/domain/validation/__init__.py"


def loop(seconds: float) -> None:
    """The profiled process: a first pass, a line on stdout, then warm passes until the time is up."""
    from bot.domain.validation import validate

    texts = [p.read_bytes() for p in managed_policies()]
    for text in texts:
        validate(text, account_type="sandbox")
    print("ready", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for text in texts:
            validate(text, account_type="sandbox")


def summary(raw: Path, top: int) -> str:
    """Inclusive and self shares of the samples inside validate(), from py-spy's raw (collapsed stacks) output."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        start = next((i for i, f in enumerate(frames) if f.startswith(ENTRY)), None)
        if start is None:
            continue
        samples = int(count)
        total += samples
        names = [re.sub(r":\d+\)$", ")", f) for f in frames[start:]]
        for name in dict.fromkeys(names):
            inclusive[name] += samples
        own[names[-1]] += samples
    lines = [f"{total} samples inside validate()", "", "inclusive:"]
    lines += [f"{100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "self:"]
    lines += [f"{100 * n / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("svg", type=Path, nargs="?", help="where to write the flame graph")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--loop", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop:
        loop(args.seconds + 5)
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    child = subprocess.Popen(
        [sys.executable, __file__, "--loop", "--seconds", str(args.seconds)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    child.stdout.readline()  # "ready": the first pass is over
    raw = (args.svg or Path("validate")).with_suffix(".txt")
    common = [spy, "record", "--pid", str(child.pid), "--rate", "500", "--duration", str(int(args.seconds / 2))]
    subprocess.run([*common, "--format", "raw", "--output", str(raw)], check=True, capture_output=True)
    if args.svg is not None:
        subprocess.run([*common, "--output", str(args.svg)], check=True, capture_output=True)
    child.kill()
    child.wait()
    text = summary(raw, args.top)
    raw.unlink()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
