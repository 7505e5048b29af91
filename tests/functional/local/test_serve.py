"""`accessbot serve` as a user runs it: prints the URLs, serves the page and the API, stops on Ctrl-C."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.functional.web.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]


def test_serve_refuses_a_non_loopback_host_with_the_embedded_world(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "listens on loopback only" in capsys.readouterr().err


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_serve_runs_the_bot_and_stops_cleanly_on_ctrl_c() -> None:
    port = free_port()
    aws_port = free_port()
    while aws_port == port:
        aws_port = free_port()
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--aws-port", str(aws_port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, data = get(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        assert (status, json.loads(data)) == (200, {"ok": True, "stage": "local"})
        assert get(port, "/")[0] == 200
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"Web chat:      http://127.0.0.1:{port}/" in out
    assert f"AWS endpoint:  http://127.0.0.1:{aws_port}" in out
    assert "alice" in out and "sam" in out
    assert out.rstrip().endswith("Stopped.")
