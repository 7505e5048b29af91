"""Validation throughput on the 1,522 AWS managed policies: AccessBot next to json.loads, parliament and cloudsplaining.

One run, interleaved rounds (default 3); every rate is the median over the rounds, so a busy spell of a shared
machine does not land on one contender only. Each round, in turn:
  - AccessBot in one process (drivers/run_accessbot.py): warm = the best of BENCH_WARM_PASSES passes after the
    first, the floor (json.loads of the same texts) taking turns with it pass by pass; first = the first pass,
    the catalogue loading on demand included.
  - with --before SRC, the same driver on another checkout of AccessBot (e.g. `git worktree add /tmp/before main`).
  - the batch command, whole (start-up, workers warming the catalogue, every file read and validated once):
    `accessbot validate DIR --json --jobs 1`, then `--jobs N`.
  - parliament and cloudsplaining, each in its own venv under benchmarks/.venvs/ (created on first run).
Run: .venv/bin/python benchmarks/validation_corpus.py [--rounds 3] [--jobs 2] [--passes 5] [--before SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, corpus_dir, managed_policies

HERE = Path(__file__).resolve().parent
VENVS = HERE / ".venvs"
ANCHORS = {
    # tool: (python, driver, pip requirements for its venv)
    "parliament": (
        VENVS / "parliament" / "bin" / "python",
        HERE / "drivers" / "run_parliament.py",
        ("setuptools<81", "parliament"),
    ),
    "cloudsplaining": (
        VENVS / "cloudsplaining" / "bin" / "python",
        HERE / "drivers" / "run_cloudsplaining.py",
        ("cloudsplaining",),
    ),
}
ACCESSBOT = HERE / "drivers" / "run_accessbot.py"


def ensure_venv(python: Path, requirements: tuple[str, ...]) -> None:
    if not requirements or python.exists():
        return
    venv = python.parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True)


def driver(python: Path, script: Path, files: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), str(script)], input=files, capture_output=True, text=True, cwd=REPO, check=False, env=env
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def batch(folder: Path, jobs: int, env: dict[str, str]) -> dict[str, Any]:
    """The whole `accessbot validate DIR --json --jobs N`: wall time, CPU time of it and its workers, rows."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "validate", str(folder), "--json", "--jobs", str(jobs)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env=env,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        return {"error": done.stderr.strip().splitlines()[-1:]}
    rows = json.loads(done.stdout)
    return {
        "seconds": seconds,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "files": len(rows),
        "rejected": sum(1 for r in rows if r["decision"] == "reject"),
        "unreadable": sum(1 for r in rows for f in r["findings"] if f["code"] == "UNREADABLE_FILE"),
    }


def median_rate(rounds: list[dict[str, Any]], name: str, seconds: str) -> float:
    return statistics.median(float(r[name]["policies"]) / float(r[name][seconds]) for r in rounds)


def machine() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=False
    ).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), load average {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="processes of the batch run (next to --jobs 1)")
    parser.add_argument("--passes", type=int, default=5, help="warm passes per tool and round (BENCH_WARM_PASSES)")
    parser.add_argument("--before", type=Path, help="another AccessBot checkout, timed the same way")
    parser.add_argument("--no-anchors", action="store_true", help="skip parliament and cloudsplaining")
    args = parser.parse_args()
    paths = managed_policies()
    files = "\n".join(str(p) for p in paths)
    folder = corpus_dir() / "aws-managed-policies"
    env = {**os.environ, "BENCH_WARM_PASSES": str(args.passes)}
    singles: dict[str, tuple[Path, Path, dict[str, str]]] = {"AccessBot": (Path(sys.executable), ACCESSBOT, env)}
    if args.before is not None:
        singles["AccessBot before"] = (Path(sys.executable), ACCESSBOT, {**env, "PYTHONPATH": str(args.before)})
    if not args.no_anchors:
        for tool, (python, script, requirements) in ANCHORS.items():
            ensure_venv(python, requirements)
            singles[tool] = (python, script, env)
    started = machine()
    rounds: list[dict[str, Any]] = []
    for _ in range(max(1, args.rounds)):
        row: dict[str, Any] = {}
        for name, (python, script, tool_env) in singles.items():
            row[name] = driver(python, script, files, tool_env)
            if name == "AccessBot":
                for jobs in dict.fromkeys((1, args.jobs)):
                    row[f"batch {jobs}"] = batch(folder, jobs, env)
        rounds.append(row)
    report(rounds, len(paths), folder, args, started)
    return 0


def report(rounds: list[dict[str, Any]], count: int, folder: Path, args: argparse.Namespace, started: str) -> None:
    failed = {name: r[name]["error"] for r in rounds for name in r if "error" in r[name]}
    print(f"{count} AWS managed policies ({folder}), {len(rounds)} interleaved rounds, rates = medians over rounds")
    print(f"start: {started}")
    print(f"end:   {machine()}")
    print(f"warm = best of {args.passes} passes after the first, in one process; first = the first pass (lazy loads)")
    print()
    head = ("warm p/s", "first p/s", "crashes", "findings", "unknown-action")
    print(f"{'single process':24} {head[0]:>9} {head[1]:>10} {head[2]:>8} {head[3]:>9} {head[4]:>15}")
    ours = rounds[0]["AccessBot"]
    if "error" not in ours:
        floor = statistics.median(count / float(r["AccessBot"]["floor_seconds"]) for r in rounds)
        print(f"{'json.loads (the floor)':24} {floor:9,.0f} {'-':>10}")
    for name in rounds[0]:
        if name.startswith("batch"):
            continue
        if name in failed:
            print(f"{name:24} failed: {failed[name]}")
            continue
        data = rounds[0][name]
        warm = median_rate(rounds, name, "seconds")
        first = median_rate(rounds, name, "first_seconds")
        unknown = data.get("unknown_action_findings", "-")
        print(
            f"{name:24} {warm:9,.0f} {first:10,.0f} {data['crashes']!s:>8} {data['findings']!s:>9} {unknown!s:>15}"
        )
    if "AccessBot" in failed:
        return
    print()
    ratios = [float(r["AccessBot"]["seconds"]) / float(r["AccessBot"]["floor_seconds"]) for r in rounds]
    print(
        f"AccessBot takes {statistics.median(ratios):.1f}x the time of json.loads alone "
        f"(rounds {min(ratios):.1f}-{max(ratios):.1f}x; goal: within 10x)"
    )
    for other in (name for name in rounds[0] if name not in ("AccessBot", *failed) and not name.startswith("batch")):
        warm = [float(r[other]["seconds"]) / float(r["AccessBot"]["seconds"]) for r in rounds]
        cold = [float(r[other]["first_seconds"]) / float(r["AccessBot"]["first_seconds"]) for r in rounds]
        print(
            f"AccessBot vs {other}: {statistics.median(warm):.1f}x warm (rounds {min(warm):.1f}-{max(warm):.1f}), "
            f"{statistics.median(cold):.1f}x first pass"
        )
    print()
    print("batch: `accessbot validate DIR --json --jobs N`, the whole command (start-up, workers, every file once)")
    print(f"{'':14} {'seconds':>8} {'files/s':>8} {'CPU s':>6} {'files':>6} {'rejected':>9} {'unreadable':>11}")
    single = None
    for name in (n for n in rounds[0] if n.startswith("batch")):
        if name in failed:
            print(f"{name:14} failed: {failed[name]}")
            continue
        seconds = statistics.median(float(r[name]["seconds"]) for r in rounds)
        cpu = statistics.median(float(r[name]["cpu_seconds"]) for r in rounds)
        data = rounds[0][name]
        label = f"--jobs {name.split()[1]}"
        speedup = f"  ({single / seconds:.1f}x --jobs 1)" if single is not None else ""
        print(
            f"{label:14} {seconds:8.2f} {data['files'] / seconds:8,.0f} {cpu:6.2f} {data['files']:6} "
            f"{data['rejected']:9} {data['unreadable']:11}{speedup}"
        )
        single = seconds if single is None else single


if __name__ == "__main__":
    raise SystemExit(main())
