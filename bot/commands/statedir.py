"""The CLI's local state directory: one record per running local bot, its log, and the chat sessions file.

$ACCESSBOT_STATE_DIR, else $XDG_STATE_HOME/accessbot, else ~/.local/state/accessbot (the XDG base
directory spec's place for state that outlives a command). Mode 0700: the records say which loopback
port answers as the bot, and nobody else on the machine should rewrite them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

BOTS = "bots"
LOG = "serve.log"
SESSIONS = "chat-sessions.json"


def state_dir() -> Path:
    """The directory, created (0700) on first use; read from the environment each call (tests change HOME)."""
    explicit = os.environ.get("ACCESSBOT_STATE_DIR")
    if explicit:
        path = Path(explicit)
    else:
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        path = Path(base) / "accessbot"
    (path / BOTS).mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


@dataclass(frozen=True)
class BotRecord:
    """A running `accessbot serve` with the embedded world, as it recorded itself."""

    pid: int
    url: str
    aws_endpoint: str
    started_at: float
    background: bool = False
    idle_minutes: float = 0

    @classmethod
    def read(cls, path: Path) -> BotRecord | None:
        try:
            data = json.loads(path.read_text())
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except (OSError, ValueError, TypeError, KeyError):
            return None


def _path(pid: int) -> Path:
    return state_dir() / BOTS / f"{pid}.json"


def write_record(record: BotRecord) -> Path:
    """Written atomically (a reader never sees half a file), readable by this user only."""
    path = _path(record.pid)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(asdict(record), out)
    temporary.replace(path)
    return path


def remove_record(pid: int) -> None:
    _path(pid).unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """The process exists and, where /proc tells, is an `accessbot serve` (a recycled pid is not our bot)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now has that pid
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.exists():
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return b"serve" in words and any(b"bot.cli" in w or w.endswith(b"accessbot") for w in words)
    return True


def records() -> list[BotRecord]:
    """The live bots, newest first; records of bots that are gone are removed."""
    found: list[BotRecord] = []
    for path in (state_dir() / BOTS).glob("*.json"):
        record = BotRecord.read(path)
        if record is None or not alive(record.pid):
            path.unlink(missing_ok=True)
            continue
        found.append(record)
    return sorted(found, key=lambda r: r.started_at, reverse=True)
