"""A bounded load test of the web chat: N concurrent /chat turns against a real `accessbot serve`.

Run: .venv/bin/python benchmarks/chat_load.py [--turns 200] [--concurrency 200] [--rounds 3] [--baseline REV]
The script starts `accessbot serve` on free loopback ports, signs in the demo requesters, and per round
fires the anchor burst then the chat burst, each all at once: GET /healthz (the HTTP adapter and router,
no identity, no dialog) and POST /chat (each a first turn in its own session, parsed and answered by the
embedded dialog). It prints every burst (p50/p90/p99/max, errors, the server's CPU per request) and the
medians over the rounds, chat next to its anchor, then stops the server with Ctrl-C's signal.
With --baseline REV, that git revision's `accessbot serve` runs beside the work tree's, and the rounds
alternate between the two, so both see the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from baseline import describe, exported

ROOT = Path(__file__).resolve().parents[1]
GOAL_P99_MS = 1000.0
TEXTS = (
    "read the analytics-raw bucket in sandbox for 2 hours because debugging",
    "list objects in the app-logs bucket in dev for 1 hour to check the deploy",
    "what have I asked for",
    "help",
)


def free_port(first: int = 8100, last: int = 8199, taken: tuple[int, ...] = ()) -> int:
    """A free loopback port in [first, last] (the range this project's tools use)."""
    for port in range(first, last + 1):
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {first}-{last}")


def request(
    port: int, method: str, path: str, body: dict[str, object] | None = None, token: str = ""
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"accessbot serve exited with {server.returncode}")
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("accessbot serve did not answer /healthz in time")


def burst(port: int, concurrency: int, turns: int, call: object) -> tuple[list[float], int]:
    """Run `turns` calls, `concurrency` at once, all released together; latencies (ms) and errors."""
    gate = threading.Barrier(min(concurrency, turns))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(i: int) -> None:
        nonlocal errors
        if i < concurrency:
            gate.wait()
        started = time.perf_counter()
        try:
            ok = call(i)  # type: ignore[operator]
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            errors += 0 if ok else 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(turns)))
    return latencies, errors


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(name: str, latencies: list[float], errors: int, wall: float, cpu_ms: float | None) -> str:
    ordered = sorted(latencies)
    cpu = f"  server CPU {cpu_ms:5.2f} ms/request" if cpu_ms is not None else ""
    return (
        f"{name:<28} n={len(ordered):<4} p50={statistics.median(ordered):7.1f} ms  "
        f"p90={percentile(ordered, 0.9):7.1f} ms  p99={percentile(ordered, 0.99):7.1f} ms  "
        f"max={ordered[-1]:7.1f} ms  errors={errors}  "
        f"throughput={len(ordered) / wall:6.1f}/s{cpu}"
    )


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Served:
    """One `accessbot serve` (this work tree's, or a baseline revision's) with its signed-in demo requesters."""

    def __init__(self, name: str, root: Path, taken: tuple[int, ...]) -> None:
        self.name = name
        self.port = free_port(taken=taken)
        self.aws_port = free_port(taken=(*taken, self.port))
        env = dict(os.environ, POWERTOOLS_LOG_LEVEL="ERROR", PYTHONPATH=str(root))
        command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port), "--aws-port", str(self.aws_port)]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.tokens: list[str] = []
        self.results: dict[str, list[tuple[float, float, int, float | None]]] = {"healthz": [], "chat": []}

    def ready(self) -> None:
        wait_ready(self.port, self.process)
        print(f"{self.name}: serve ready in {time.perf_counter() - self.started:.1f} s (port {self.port})")
        self.tokens = [
            json.loads(request(self.port, "POST", "/dev/login", {"user": u})[1])["token"] for u in ("alice", "bob")
        ]
        # One warm-up turn, as a user's first message would find a warm Lambda container.
        request(self.port, "POST", "/chat", {"text": "help", "session_id": "warmup"}, self.tokens[0])

    def burst(self, kind: str, round_: int, turns: int, concurrency: int) -> str:
        def health(_: int) -> bool:
            return request(self.port, "GET", "/healthz")[0] == 200

        def chat(i: int) -> bool:
            body = {"text": TEXTS[i % len(TEXTS)], "session_id": f"load-{round_}-{i}"}
            status, data = request(self.port, "POST", "/chat", body, self.tokens[i % 2])
            return status == 200 and bool(json.loads(data).get("replies"))

        cpu_before, wall = cpu_seconds(self.process.pid), time.perf_counter()
        latencies, errors = burst(self.port, concurrency, turns, health if kind == "healthz" else chat)
        wall = time.perf_counter() - wall
        cpu_after = cpu_seconds(self.process.pid)
        cpu_ms = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) * 1000 / turns
        ordered = sorted(latencies)
        self.results[kind].append((statistics.median(ordered), percentile(ordered, 0.99), errors, cpu_ms))
        label = "anchor: GET /healthz" if kind == "healthz" else "POST /chat (turn)"
        return summary(f"{self.name} {label}", latencies, errors, wall, cpu_ms)

    def medians(self, kind: str) -> tuple[float, float, int, float | None]:
        rows = self.results[kind]
        cpus = [r[3] for r in rows if r[3] is not None]
        return (
            statistics.median(r[0] for r in rows),
            statistics.median(r[1] for r in rows),
            sum(r[2] for r in rows),
            statistics.median(cpus) if cpus else None,
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.returncode not in (0, -signal.SIGINT):
            err = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace")
            print(f"{self.name}: serve exited with {self.process.returncode}:\n{err[-2000:]}", file=sys.stderr)


def report(servers: list[Served], rounds: int) -> None:
    print(f"\nmedians of {rounds} rounds (each round: the anchor burst, then the chat burst, on each server in turn)")
    print(f"{'':12} {'chat p50':>9} {'chat p99':>9} {'healthz p50':>12} {'healthz p99':>12} "
          f"{'p99 / anchor':>13} {'errors':>7} {'CPU/turn':>9} {'CPU/healthz':>12}")
    for served in servers:
        c50, c99, cerr, ccpu = served.medians("chat")
        h50, h99, herr, hcpu = served.medians("healthz")
        cpu = f"{ccpu:6.2f} ms {hcpu:9.2f} ms" if ccpu is not None and hcpu is not None else ""
        print(f"{served.name:12} {c50:6.0f} ms {c99:6.0f} ms {h50:9.0f} ms {h99:9.0f} ms {c99 / h99:12.1f}x "
              f"{cerr + herr:7d} {cpu}")
        verdict = "met" if c99 <= GOAL_P99_MS and cerr == 0 else "not met"
        print(f"{'':12} goal chat p99 <= {GOAL_P99_MS:,.0f} ms with 0 errors: {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", help="also measure this git revision's serve, rounds alternating")
    args = parser.parse_args()
    with ExitStack() as stack:
        roots = [("work tree", ROOT)]
        if args.baseline:
            roots.append((args.baseline[:12], stack.enter_context(exported(args.baseline))))
            print(f"baseline {args.baseline}: {describe(args.baseline)}")
        servers: list[Served] = []
        for name, root in roots:
            served = Served(name, root, tuple(p for s in servers for p in (s.port, s.aws_port)))
            stack.callback(served.stop)
            servers.append(served)
        for served in servers:
            served.ready()
        print(f"{args.turns} requests a burst, {args.concurrency} concurrent, loopback, {os.cpu_count()} CPUs")
        for round_ in range(args.rounds):
            for served in servers:
                for kind in ("healthz", "chat"):
                    print(served.burst(kind, round_, args.turns, args.concurrency), flush=True)
        report(servers, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
