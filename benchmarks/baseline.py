"""A past revision of this repository, exported to a temporary folder, to measure next to the work tree in one run."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def exported(revision: str) -> Iterator[Path]:
    """The tree of `revision` (any git revision: a commit, `main`, `HEAD~3`) in a folder removed afterwards.

    `git archive` writes no worktree metadata, so the repository is left as it was. Run the old code with
    PYTHONPATH (or cwd) set to the folder: it comes before this work tree's editable install.
    """
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision], check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="accessbot-baseline-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def describe(revision: str) -> str:
    """`revision` as a short commit id and subject, for the printed table."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s", revision], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()[:60]
