"""Powertools logging and X-Ray tracing at the Lambda entry points (bot.observability).

The Lambda cases run in a fresh interpreter: they configure process-wide loggers and patch botocore.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import observability

ROOT = Path(__file__).resolve().parents[2]

CONTEXT = """
class Ctx:
    function_name = "accessbot-worker"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:accessbot-worker"
    aws_request_id = "req-42"
"""


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LAMBDA_", "POWERTOOLS_", "AWS_", "_X_AMZN"))}
    return subprocess.run(
        [sys.executable, "-c", CONTEXT + code],
        env=base | {"PYTHONPATH": str(ROOT), "AWS_DEFAULT_REGION": "us-east-1"} | env,
        capture_output=True, text=True, timeout=60, check=True,
    )


@pytest.mark.parametrize(
    ("env", "on"),
    [
        ({}, False),  # a laptop, the tests, `accessbot serve`
        ({"LAMBDA_TASK_ROOT": "/var/task"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "0"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"}, False),
    ],
)
def test_tracing_is_on_only_where_powertools_would_trace(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], on: bool
) -> None:
    for name in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED", "AWS_SAM_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert observability.tracing_on() is on


def test_outside_lambda_the_router_never_imports_the_xray_sdk() -> None:
    done = _run("import sys, bot.api, bot.web.routes; print('aws_xray_sdk.core' in sys.modules)")
    assert done.stdout.strip() == "False"


def test_without_a_context_the_entry_point_runs_with_a_local_one() -> None:
    seen: list[str] = []

    def handler(event: dict[str, object], context: object) -> dict[str, object]:
        seen.append(getattr(context, "function_name", ""))
        return {"ok": event["n"]}

    assert observability.entry("accessbot-test", handler)({"n": 1}, None) == {"ok": 1}
    assert seen == ["accessbot-test-local"]


def test_in_lambda_the_bots_own_loggers_write_powertools_json_without_the_event() -> None:
    done = _run(
        """
import logging
from bot.observability import entry
def handler(event, context):
    logging.getLogger("bot.worker").warning("job refused", extra={"job": "rm -rf"})
    return {"done": True}
print(entry("accessbot-worker", handler)({"token": "xoxb-secret-token"}, Ctx()))
""",
        LAMBDA_TASK_ROOT="/var/task",
        POWERTOOLS_TRACE_DISABLED="true",
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{\"")]
    record = next(line for line in lines if line.get("message") == "job refused")
    assert record["level"] == "WARNING"
    assert record["service"] == "accessbot-worker"
    assert record["name"] == "bot.worker"
    assert record["function_request_id"] == "req-42"
    assert record["job"] == "rm -rf"
    assert "xoxb-secret-token" not in done.stdout + done.stderr
    assert done.stdout.strip().endswith("{'done': True}")


def test_in_lambda_with_tracing_on_the_handler_runs_in_an_xray_segment_with_botocore_patched() -> None:
    done = _run(
        """
import sys
from bot.observability import entry
print(entry("accessbot-worker", lambda event, context: {"ok": True})({}, Ctx()))
from aws_xray_sdk.core import patcher
print(sorted(patcher._PATCHED_MODULES))
""",
        LAMBDA_TASK_ROOT="/var/task",
        # The Lambda facade segment X-Ray expects; the daemon address is a closed local UDP port.
        _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        AWS_XRAY_DAEMON_ADDRESS="127.0.0.1:9",
        AWS_XRAY_CONTEXT_MISSING="RUNTIME_ERROR",  # fail loudly rather than log if the segment is absent
    )
    result, patched = done.stdout.strip().splitlines()[-2:]
    assert result == "{'ok': True}"
    assert patched == "['botocore', 'httplib']"
