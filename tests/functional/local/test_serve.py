"""`accessbot serve` as a user runs it: prints the URLs, serves the page and the API, stops on Ctrl-C."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
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


def _env(home: Path) -> dict[str, str]:
    """A new user's environment: a fresh HOME, no AWS variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ACCESSBOT_", "XDG_STATE"))}
    return env | {"HOME": str(home)}


def test_serve_runs_the_bot_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    aws_port = free_port()
    while aws_port == port:
        aws_port = free_port()
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--aws-port", str(aws_port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=_env(tmp_path))
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
        (record,) = (tmp_path / ".local" / "state" / "accessbot" / "bots").glob("*.json")  # the CLI finds it here
        assert json.loads(record.read_text())["url"] == f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"Web chat:      http://127.0.0.1:{port}/" in out
    assert f"AWS endpoint:  http://127.0.0.1:{aws_port}" in out
    assert "alice" in out and "sam" in out
    assert out.rstrip().endswith("Stopped.")
    assert not list((tmp_path / ".local" / "state" / "accessbot" / "bots").glob("*.json"))


def test_an_idle_bot_stops_by_itself(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", "0", "--aws-port", "0", "--idle-minutes", "0.001"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=_env(tmp_path), timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "No request for 0.001 minutes: stopping." in done.stdout and done.stdout.rstrip().endswith("Stopped.")
    assert not list((tmp_path / ".local" / "state" / "accessbot" / "bots").glob("*.json"))


def test_a_port_in_use_is_one_line_not_a_hang(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in (("ACCESSBOT_STAGE", "local"), ("POWERTOOLS_METRICS_DISABLED", "true"),
                        ("POWERTOOLS_TRACE_DISABLED", "true"), ("POWERTOOLS_LOG_LEVEL", "WARNING")):
        monkeypatch.setenv(name, value)  # serve sets them for itself: put them back afterwards
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", "0", "--aws-port", str(port)]) == 2
    assert capsys.readouterr().err == "accessbot: cannot listen: Address already in use\n"


def test_a_background_bot_that_cannot_start_says_why(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESSBOT_STATE_DIR", str(tmp_path / "state"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--background", "--port", "0", "--aws-port", str(port)]) == 2
    log = tmp_path / "state" / "serve.log"
    assert capsys.readouterr().err == (
        f"accessbot: The local bot did not start: accessbot: cannot listen: Address already in use (log: {log})\n"
    )
    assert not list((tmp_path / "state" / "bots").glob("*.json"))
