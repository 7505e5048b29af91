"""The bot's replies in a terminal, with rich: text, findings, the policy, tables, and what to type next.

Every text goes through rich as plain Text (never markup): a bracket in a role name or a reason is shown,
not interpreted. On a terminal tables fit its width; in a pipe they keep their natural width.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

    from bot.domain.replies import Reply

PIPE_WIDTH = 200  # wide enough that a usage table's rows stay on one line each in a file or a pipe
CHOICES = "  choices: {labels}"
CHOICE = "  {label}: type '{value}'"


def console(stream: TextIO | None = None) -> Console:
    from rich.console import Console

    out = stream if stream is not None else sys.stdout
    terminal = _is_terminal(out)
    return Console(file=out, width=None if terminal else PIPE_WIDTH, highlight=False, markup=False, emoji=False)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
    """A rich Table whose every cell is literal text."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        grid.add_column(Text(str(column)), overflow="fold")
    for row in rows:
        grid.add_row(*(Text(str(cell)) for cell in row))
    return grid


def print_table(columns: Sequence[str], rows: Sequence[Sequence[str]], out: Console | None = None) -> None:
    (out or console()).print(table(columns, rows))


def print_text(text: str, out: Console | None = None) -> None:
    from rich.text import Text

    (out or console()).print(Text(text), soft_wrap=True)


def print_replies(replies: Sequence[Reply], *, next_step: str | None = None, out: Console | None = None) -> None:
    """Each reply's text, findings, policy and table; its buttons as choices, or (`next_step`) what to type."""
    out = out or console()
    for index, reply in enumerate(replies):
        if index:
            out.print()
        print_text(reply.text, out)
        for finding in reply.findings:
            print_text(f"  [{finding.severity.value}] {finding.code}: {finding.message}", out)
        if reply.policy is not None:
            print_text(json.dumps(reply.policy, indent=2), out)
        if reply.table is not None and reply.table.rows:
            out.print(table(reply.table.columns, reply.table.rows))
        if reply.buttons and next_step:
            for button in reply.buttons:
                print_text(next_step.format(value=button.value), out)
        elif reply.buttons and all(b.value.lower() == b.label.lower() for b in reply.buttons):
            print_text(CHOICES.format(labels=" | ".join(b.label for b in reply.buttons)), out)
        else:  # a button that sends more than its label: say what to type instead of clicking
            for button in reply.buttons:
                print_text(CHOICE.format(label=button.label, value=button.value), out)
