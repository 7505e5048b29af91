"""Slack ack latency: AccessBot's Lambda handler next to a minimal bolt app, same signed `/access` command.

Cold: a fresh process imports the handler and acks one signed slash command (median over --runs; the
rows take turns run by run, so the machine's busy spells fall on all of them alike).
Four rows: a minimal bolt app, AccessBot's Slack adapter called directly (bot.slack.lambda_adapter),
the real entry point (bot.handlers.api: the Powertools router in front of the adapter), and that entry
point as Lambda runs it with active tracing (LAMBDA_TASK_ROOT and a trace header set, so the X-Ray SDK
is imported and botocore patched; segments go to a closed local UDP port).
Warm: one process acks --warm commands in a row (p50, p99). Both apps run their lazy listener the
Lambda way (bolt re-invokes the function through boto3), against a local stand-in for the Lambda
and Slack APIs, so the numbers include boto3's import and the Invoke call, not the network.
Every row prints its ratio to the minimal bolt app of the same run (the anchor; goal: at most 1.1x
for the real entry point). --baseline REV adds that git revision's entry point as a row of the same
interleaved runs; --importtime runs each app once under `python -X importtime` and prints what it
imports beyond the minimal bolt app, by package.

Run: .venv/bin/python benchmarks/slack_cold_start.py [--runs 10] [--warm 500] [--baseline REV] [--importtime]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from baseline import describe, exported

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO = 1.1
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"

CONTEXT = """
class Ctx:
    function_name = "accessbot-api"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:accessbot-api"
    aws_request_id = "bench"
    def get_remaining_time_in_millis(self):
        return 30000
"""

ACCESSBOT = """
def build():
    from bot.handlers import api
    return api
"""

ADAPTER = """
def build():
    from bot.slack.lambda_adapter import handle
    return handle
"""

MINIMAL = """
def build():
    import os
    from slack_bolt import App
    from slack_bolt.adapter.aws_lambda import SlackRequestHandler
    from slack_sdk import WebClient
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], process_before_response=True,
              token_verification_enabled=False,
              client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["ACCESSBOT_SLACK_API_URL"]))
    def ack(ack):
        ack(response_type="ephemeral", text="Working on it…")
    def work(respond):
        respond("done")
    app.command("/access")(ack=ack, lazy=[work])
    handler = SlackRequestHandler(app)
    return handler.handle
"""

COLD = """
import json, os, sys, time
start = time.perf_counter()
{app}
{context}
handle = build()
event = json.load(open(os.environ["BENCH_EVENT"]))
result = handle(event, Ctx())
elapsed = (time.perf_counter() - start) * 1000
assert result["statusCode"] == 200, result
print(json.dumps({{"ack_ms": elapsed}}))
"""

WARM = """
import json, os, sys, time
{app}
{context}
handle = build()
sys.path.insert(0, os.environ["BENCH_DIR"])
from slack_cold_start import signed_event
times = []
for i in range(int(os.environ["BENCH_WARM"]) + 1):
    event = signed_event()
    start = time.perf_counter()
    result = handle(event, Ctx())
    times.append((time.perf_counter() - start) * 1000)
    assert result["statusCode"] == 200, result
print(json.dumps({{"times": times[1:]}}))
"""


def signed_event() -> dict[str, Any]:
    """A signed `/access read the reports bucket` as an API Gateway REST event."""
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(
        {
            "token": "x",
            "team_id": "T0001",
            "channel_id": "C1",
            "user_id": "UALICE",
            "user_name": "alice",
            "command": "/access",
            "text": "read the reports bucket in sandbox for 4h",
            "response_url": os.environ.get("BENCH_RESPONSE_URL", "http://127.0.0.1:9/response"),
            "trigger_id": "1.2.3",
        }
    )
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    return {
        "resource": "/slack/events",
        "path": "/slack/events",
        "httpMethod": "POST",
        "headers": {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        },
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "requestContext": {
            "httpMethod": "POST",
            "path": "/slack/events",
            "stage": "prod",
            "requestId": "r",
            "resourcePath": "/slack/events",
        },
        "body": body,
        "isBase64Encoded": False,
    }


class _StandIn(BaseHTTPRequestHandler):
    """Answers Lambda Invoke (202) and any Slack Web API method (ok) at once."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/2015-03-31/functions/"):
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = json.dumps({"ok": True, "user_id": "UBOT", "bot_id": "B1", "team_id": "T0001"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SLACK_", "ACCESSBOT_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_BOT_TOKEN": TOKEN,
            "ACCESSBOT_SLACK_API_URL": url + "/api/",
            "ACCESSBOT_SECURITY_CHANNEL": "CSECURITY",
            "AWS_LAMBDA_FUNCTION_NAME": "accessbot-api",  # lazy listeners re-invoke the function, as in Lambda
            "AWS_ENDPOINT_URL_LAMBDA": url,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here
            "POWERTOOLS_METRICS_NAMESPACE": "AccessBot",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            "BENCH_RESPONSE_URL": url + "/response",
            "BENCH_DIR": str(Path(__file__).parent),
        }
    )
    return env


def _run(code: str, env: dict[str, str], *flags: str) -> tuple[dict[str, Any], float, str]:
    start = time.perf_counter()
    # cwd too: `python -c` puts the current folder first on sys.path, before PYTHONPATH.
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], env=env, cwd=env["PYTHONPATH"], check=True, capture_output=True, text=True
    )
    wall = (time.perf_counter() - start) * 1000
    return json.loads(done.stdout.strip().splitlines()[-1]), wall, done.stderr


def cold(apps: list[tuple[str, dict[str, str]]], runs: int) -> list[tuple[float, float]]:
    """Median (ack, wall) per app; the apps take turns run by run, so a busy spell hits them all alike."""
    acks: list[list[float]] = [[] for _ in apps]
    walls: list[list[float]] = [[] for _ in apps]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        for _ in range(runs):
            for i, (app, env) in enumerate(apps):
                path.write_text(json.dumps(signed_event()))
                result, wall, _ = _run(COLD.format(app=app, context=CONTEXT), env | {"BENCH_EVENT": str(path)})
                acks[i].append(result["ack_ms"])
                walls[i].append(wall)
    return [(statistics.median(a), statistics.median(w)) for a, w in zip(acks, walls, strict=True)]


def warm(app: str, env: dict[str, str], count: int) -> tuple[float, float]:
    result, _, _ = _run(WARM.format(app=app, context=CONTEXT), env | {"BENCH_WARM": str(count)})
    times = sorted(result["times"])
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


_IMPORT = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)")


def imports(app: str, env: dict[str, str]) -> dict[str, int]:
    """Self import time (us) of every module one cold ack loads, from `python -X importtime`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_text(json.dumps(signed_event()))
        _, _, stderr = _run(COLD.format(app=app, context=CONTEXT), env | {"BENCH_EVENT": str(path)}, "-X", "importtime")
    found: dict[str, int] = {}
    for line in stderr.splitlines():
        match = _IMPORT.match(line)
        if match:
            found[match.group(3)] = int(match.group(1))
    return found


def print_imports(apps: list[tuple[str, str, dict[str, str]]]) -> None:
    """What each app imports beyond the first (the minimal bolt app), summed by top-level package."""
    loaded = [imports(app, env) for _, app, env in apps]
    anchor = loaded[0]
    print("\n-X importtime, one cold ack each: self time of the modules the minimal bolt app does not load")
    for (name, _, _), modules in zip(apps, loaded, strict=True):
        extra = {m: t for m, t in modules.items() if m not in anchor}
        by_package: dict[str, int] = {}
        for module, micros in extra.items():
            by_package[module.split(".")[0]] = by_package.get(module.split(".")[0], 0) + micros
        top = ", ".join(f"{p} {t / 1000:.1f}" for p, t in sorted(by_package.items(), key=lambda x: -x[1])[:8])
        print(f"{name:32} {len(modules):4d} modules, {sum(modules.values()) / 1000:6.1f} ms; "
              f"beyond the anchor {len(extra):3d} modules, {sum(extra.values()) / 1000:5.1f} ms: {top}")


XRAY = {
    "LAMBDA_TASK_ROOT": str(ROOT),
    "POWERTOOLS_TRACE_DISABLED": "false",
    "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
    "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:9",
    "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warm", type=int, default=500)
    parser.add_argument("--baseline", metavar="REV", help="also run this git revision's bot.handlers.api")
    parser.add_argument("--importtime", action="store_true", help="print each app's imports beyond the anchor")
    args = parser.parse_args()
    apps = [
        ("minimal bolt app", MINIMAL, {}),
        ("AccessBot Slack adapter only", ADAPTER, {}),
        ("AccessBot bot.handlers.api", ACCESSBOT, {}),
        ("  same, X-Ray on (Lambda)", ACCESSBOT, XRAY),
    ]
    rows = []
    with ExitStack() as stack:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stack.callback(server.shutdown)
        env = _env(f"http://127.0.0.1:{server.server_port}")
        os.environ["BENCH_RESPONSE_URL"] = env["BENCH_RESPONSE_URL"]
        if args.baseline:
            old = stack.enter_context(exported(args.baseline))
            apps.append((f"  same at {args.baseline[:20]}", ACCESSBOT, {"PYTHONPATH": str(old)}))
        startup = statistics.median(_run("print('{\"x\": 0}')", env)[1] for _ in range(args.runs))
        colds = cold([(app, env | extra) for _, app, extra in apps], args.runs)
        for (name, app, extra), (ack, wall) in zip(apps, colds, strict=True):
            p50, p99 = warm(app, env | extra, args.warm)
            rows.append((name, ack, wall, p50, p99))
        if args.importtime:
            print_imports([(name, app, env | extra) for name, app, extra in apps])
    print(f"\ncold: median of {args.runs} fresh processes, the rows taking turns; warm: {args.warm} acks in a process")
    if args.baseline:
        print(f"baseline {args.baseline}: {describe(args.baseline)}")
    print(f"python start-up alone: {startup:6.1f} ms wall")
    print(f"{'':32} {'cold ack (import+ack)':>22} {'vs anchor':>10} {'process wall':>13} "
          f"{'warm p50':>9} {'warm p99':>9}")
    anchor = rows[0][1]
    for name, ack, wall, p50, p99 in rows:
        print(f"{name:32} {ack:19.1f} ms {ack / anchor:9.2f}x {wall:10.1f} ms {p50:6.2f} ms {p99:6.2f} ms")
    entry = rows[2][1] / anchor
    verdict = "met" if entry <= GOAL_RATIO else "not met"
    print(f"goal: bot.handlers.api cold ack <= {GOAL_RATIO}x the minimal bolt app: {entry:.2f}x, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
