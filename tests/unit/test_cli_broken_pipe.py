"""`accessbot ... | head -1`: a reader that goes away early ends the command quietly with 141, no traceback."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from bot import cli


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_main_returns_141_when_stdout_is_a_closed_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert cli.main(["generate", "read the reports bucket in sandbox"]) == cli.EXIT_BROKEN_PIPE == 141
    assert not isinstance(sys.stdout, _ClosedPipe)  # stdout now goes nowhere, so the exit flush can't fail


def test_a_reader_that_closes_early_gets_no_traceback() -> None:
    command = [sys.executable, "-m", "bot.cli", "generate", "read the reports bucket in sandbox"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the child has written anything: it is still importing
    errors = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
