"""Progress bars for long CLI work (account sweeps, batch validation), on stderr, only in a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: advance(done, total): called as work finishes; `total` may change as the work is discovered.
Advance = Callable[[int, int], None]


@contextmanager
def progress(description: str, *, stream: TextIO | None = None, enabled: bool | None = None) -> Iterator[Advance]:
    """A rich progress bar on `stream` (stderr) when it is a terminal; a no-op otherwise (pipes, --json, tests).

    Stdout stays clean for the result, so `accessbot validate DIR --json | jq` works while the bar shows.
    """
    out = stream if stream is not None else sys.stderr
    show = enabled if enabled is not None else _is_terminal(out)
    if not show:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=out, force_terminal=True), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
