"""The local bot in the background: start `accessbot serve` detached, know when it is ready, stop it.

The started process forks once more and its parent exits, so the bot is nobody's child (no zombie in a
long-lived caller such as a test run) and lives on after the command that started it. It tells it is
ready through a pipe, then records itself in the state directory (bot.commands.statedir).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.commands import statedir
from bot.errors import ConfigurationError, RetryLater

#: Minutes without a request after which a background bot stops (its embedded world goes with it).
DEFAULT_IDLE_MINUTES = 60.0
START_SECONDS = 120.0  # moto and the seeding take a few seconds; a busy machine many more
STOP_SECONDS = 30.0
READY = b"ready\n"

TEXTS = {
    "failed": "The local bot did not start: {reason} (log: {log})",
    "slow": "The local bot did not start within {seconds:.0f} s (log: {log})",
}


@contextmanager
def _start_lock(directory: Path) -> Iterator[None]:
    """One starter at a time: two commands run at once share one bot instead of starting two."""
    import fcntl

    fd = os.open(directory / "start.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def start(*, port: int = 0, aws_port: int = 0, idle_minutes: float = DEFAULT_IDLE_MINUTES) -> statedir.BotRecord:
    """A running local bot: the newest one recorded, or a new one in the background (port 0: any free port)."""
    directory = statedir.state_dir()
    with _start_lock(directory):
        running = statedir.records()
        if running:
            return running[0]
        return _spawn(directory, port=port, aws_port=aws_port, idle_minutes=idle_minutes)


def _spawn(directory: Path, *, port: int, aws_port: int, idle_minutes: float) -> statedir.BotRecord:
    log = directory / statedir.LOG
    read_end, write_end = os.pipe()
    command = [
        sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--aws-port", str(aws_port),
        "--idle-minutes", f"{idle_minutes:g}", "--detached", str(write_end),
    ]
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        launcher = subprocess.Popen(  # noqa: S603 (our own interpreter and module, fixed arguments)
            command, stdin=subprocess.DEVNULL, stdout=log_fd, stderr=log_fd, pass_fds=(write_end,),
            start_new_session=True,  # Ctrl-C in the caller's terminal does not reach the bot
        )
    finally:
        os.close(log_fd)
        os.close(write_end)
    try:
        launcher.wait(START_SECONDS)  # it forks the bot and exits at once
        said = _read_ready(read_end, START_SECONDS)
    except subprocess.TimeoutExpired:
        launcher.kill()
        launcher.wait()
        said = b""
    finally:
        os.close(read_end)
    if not said.startswith(READY):
        reason = said.decode(errors="replace").strip() or _last_line(log)
        raise ConfigurationError(TEXTS["failed"].format(reason=reason, log=log))
    pid = int(said[len(READY):].strip() or 0)
    record = next((r for r in statedir.records() if r.pid == pid), None)
    if record is None:
        raise RetryLater(TEXTS["slow"].format(seconds=START_SECONDS, log=log))
    return record


def _read_ready(fd: int, seconds: float) -> bytes:
    """What the bot wrote on the pipe before closing it ("ready <pid>", or nothing when it failed)."""
    data = b""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([fd], [], [], left)
        if not readable:
            break
        chunk = os.read(fd, 256)
        if not chunk:
            break
        data += chunk
    return data


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:300] if lines else "it exited without a word"


def stop(record: statedir.BotRecord) -> bool:
    """SIGTERM (serve stops its parts in order and removes its record), then wait; SIGKILL as a last resort."""
    if not statedir.alive(record.pid):
        statedir.remove_record(record.pid)
        return False
    os.kill(record.pid, signal.SIGTERM)
    if not _wait_gone(record.pid, STOP_SECONDS):
        os.kill(record.pid, signal.SIGKILL)
        _wait_gone(record.pid, STOP_SECONDS)
    statedir.remove_record(record.pid)
    return True


def _wait_gone(pid: int, seconds: float) -> bool:
    """Wait for a process that is not our child to end: a pidfd where Linux has one, else polling."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = -1
    if fd >= 0:
        try:
            ended, _, _ = select.select([fd], [], [], seconds)  # readable once it has ended (reaped or not)
        finally:
            os.close(fd)
        return bool(ended)
    deadline = time.monotonic() + seconds
    while _exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _exists(pid)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_all() -> list[int]:
    """Stop every local bot recorded in the state directory; their pids."""
    return [record.pid for record in statedir.records() if stop(record)]


def detach(ready_fd: int) -> None:
    """In the started process: fork, let the parent exit, carry on as the bot (reparented, not a zombie later)."""
    if os.fork() > 0:
        os._exit(0)
    os.set_inheritable(ready_fd, False)


def report_ready(ready_fd: int) -> None:
    os.write(ready_fd, READY + str(os.getpid()).encode())
    os.close(ready_fd)
