"""Validation throughput on the 1,522 AWS managed policies: AccessBot next to parliament and cloudsplaining.

Each tool runs in its own process (parliament and cloudsplaining in their own virtualenvs under
benchmarks/.venvs/, created on first run), over the same files, timing itself after imports.
The three take turns for --rounds rounds (default 3) and the ratios are medians over the rounds, so a busy
spell of the shared machine does not land on one tool only.
Run: .venv/bin/python benchmarks/validation_corpus.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, managed_policies

HERE = Path(__file__).resolve().parent
VENVS = HERE / ".venvs"
TOOLS = {
    # tool: (python, driver, pip requirements for its venv)
    "accessbot": (Path(sys.executable), HERE / "drivers" / "run_accessbot.py", ()),
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


def ensure_venv(python: Path, requirements: tuple[str, ...]) -> None:
    if not requirements or python.exists():
        return
    venv = python.parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True)


def run(tool: str, files: str) -> dict[str, object]:
    python, driver, requirements = TOOLS[tool]
    ensure_venv(python, requirements)
    done = subprocess.run(
        [str(python), str(driver)], input=files, capture_output=True, text=True, cwd=REPO, check=False
    )
    if done.returncode != 0:
        return {"tool": tool, "error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = managed_policies()
    files = "\n".join(str(p) for p in paths)
    rounds = [{tool: run(tool, files) for tool in TOOLS} for _ in range(max(1, args.rounds))]
    failed = {tool: r[tool]["error"] for r in rounds for tool in TOOLS if "error" in r[tool]}
    ours = rounds[0]["accessbot"]
    print(f"{len(paths)} AWS managed policies, each tool in its own process, same files, {len(rounds)} rounds")
    passes = ours.get("warm_passes", 1)
    print(f"warm = best of {passes} passes after the first; first = first pass (lazy data loading included)")
    print("rates are medians over the rounds")
    print(f"{'tool':16} {'warm p/s':>9} {'first p/s':>10} {'crashes':>8} {'findings':>9} {'unknown-action':>15}")
    for tool in TOOLS:
        if tool in failed:
            print(f"{tool:16} failed: {failed[tool]}")
            continue
        data = rounds[0][tool]
        rate = statistics.median(float(r[tool]["policies"]) / float(r[tool]["seconds"]) for r in rounds)  # type: ignore[arg-type]
        first = statistics.median(float(r[tool]["policies"]) / float(r[tool]["first_seconds"]) for r in rounds)  # type: ignore[arg-type]
        unknown = data.get("unknown_action_findings", "-")
        print(f"{tool:16} {rate:9.0f} {first:10.0f} {data['crashes']!s:>8} {data['findings']!s:>9} {unknown!s:>15}")
    if "accessbot" not in failed:
        for other in ("parliament", "cloudsplaining"):
            if other in failed:
                continue
            warm = [float(r[other]["seconds"]) / float(r["accessbot"]["seconds"]) for r in rounds]  # type: ignore[arg-type]
            cold = [float(r[other]["first_seconds"]) / float(r["accessbot"]["first_seconds"]) for r in rounds]  # type: ignore[arg-type]
            print(
                f"AccessBot vs {other}: {statistics.median(warm):.1f}x warm (rounds {min(warm):.1f}-{max(warm):.1f}), "
                f"{statistics.median(cold):.1f}x first pass"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
