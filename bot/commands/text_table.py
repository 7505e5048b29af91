"""Tables as text for callers that build a string (the commands print theirs with bot.commands.render)."""

from __future__ import annotations

import io
from collections.abc import Sequence


def render(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The same rich table the commands print, as text without colour, at its natural width."""
    from bot.commands.render import console, table

    out = io.StringIO()
    console(out).print(table(columns, rows))
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())
