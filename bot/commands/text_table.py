"""Plain-text tables for the terminal (request lists, audit history, usage reports)."""

from __future__ import annotations

from collections.abc import Sequence

MAX_CELL = 60


def render(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; long cells are cut with an ellipsis."""
    cells = [[_cut(str(c)) for c in columns]] + [[_cut(str(c)) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
