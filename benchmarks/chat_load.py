"""A bounded load test of the web chat: N concurrent /chat turns against a real `accessbot serve`.

Run: .venv/bin/python benchmarks/chat_load.py [--turns 200] [--concurrency 200]
The script starts `accessbot serve` on free loopback ports, signs in the demo requesters, fires the
turns all at once (each a first turn in its own session, parsed and answered by the embedded
dialog), prints p50/p90/p99/max latency and the error count, and stops the server with Ctrl-C's
signal. Anchor, in the same run and at the same concurrency: GET /healthz (the HTTP adapter and
router with no identity and no dialog), so the chat's own cost is the difference.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def summary(name: str, latencies: list[float], errors: int, wall: float) -> str:
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (
        f"{name:<22} n={len(ordered):<4} p50={statistics.median(ordered):7.1f} ms  p90={pick(0.90):7.1f} ms  "
        f"p99={pick(0.99):7.1f} ms  max={ordered[-1]:7.1f} ms  errors={errors}  throughput={len(ordered) / wall:6.1f}/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    aws_port = free_port(taken=(port,))
    env = dict(os.environ, POWERTOOLS_LOG_LEVEL="ERROR")
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--aws-port", str(aws_port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        started = time.perf_counter()
        wait_ready(port, server)
        print(f"accessbot serve ready in {time.perf_counter() - started:.1f} s (port {port}, AWS port {aws_port})")
        tokens = [json.loads(request(port, "POST", "/dev/login", {"user": u})[1])["token"] for u in ("alice", "bob")]
        # One warm-up turn, as a user's first message would find a warm Lambda container.
        request(port, "POST", "/chat", {"text": "help", "session_id": "warmup"}, tokens[0])

        def health(_: int) -> bool:
            return request(port, "GET", "/healthz")[0] == 200

        def chat(i: int) -> bool:
            body = {"text": TEXTS[i % len(TEXTS)], "session_id": f"load-{i}"}
            status, data = request(port, "POST", "/chat", body, tokens[i % 2])
            return status == 200 and bool(json.loads(data).get("replies"))

        print(f"{args.turns} requests, {args.concurrency} concurrent, loopback, {os.cpu_count()} CPUs")
        results = []
        for name, call in (("anchor: GET /healthz", health), ("POST /chat (turn)", chat)):
            wall = time.perf_counter()
            latencies, errors = burst(port, args.concurrency, args.turns, call)
            results.append(summary(name, latencies, errors, time.perf_counter() - wall))
        print("\n".join(results))
        return 0
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.returncode not in (0, -signal.SIGINT):
            err = (server.stderr.read() if server.stderr else b"").decode(errors="replace")
            print(f"serve exited with {server.returncode}:\n{err[-2000:]}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
