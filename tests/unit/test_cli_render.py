"""Replies in the terminal: text shown as given (never rich markup), tables whole in a pipe, what to type."""

from __future__ import annotations

import io

from bot.commands.render import console, print_replies, print_table
from bot.domain.models import Finding, Severity
from bot.domain.replies import Button, Reply, Table


def rendered(*replies: Reply, next_step: str | None = None) -> str:
    out = io.StringIO()
    print_replies(list(replies), next_step=next_step, out=console(out))
    return out.getvalue()


def test_brackets_and_markup_are_text() -> None:
    out = rendered(Reply(text="[bold red]role[/] :smile:", table=Table(columns=("[b]",), rows=(("[i]x[/i]",),))))
    assert "[bold red]role[/] :smile:" in out and "[i]x[/i]" in out and "[b]" in out
    assert "\x1b[" not in out  # no colour codes in a pipe


def test_a_wide_table_keeps_each_row_on_one_line_in_a_pipe() -> None:
    out = io.StringIO()
    row = tuple(f"cell-{i}-" + "x" * 20 for i in range(5))
    print_table([f"Column {i}" for i in range(5)], [row], console(out))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all(cell in lines[2] for cell in row)


def test_findings_policy_and_choices() -> None:
    finding = Finding(code="INVALID_ACTION", severity=Severity.ERROR, message="s3:Nope is not an action")
    out = rendered(Reply(text="Checked.", findings=(finding,), policy={"Version": "2012-10-17", "Statement": []},
                         buttons=(Button(label="Submit", value="submit"), Button(label="Cancel", value="cancel"))))
    assert out.splitlines()[:2] == ["Checked.", "  [error] INVALID_ACTION: s3:Nope is not an action"]
    assert '"Version": "2012-10-17"' in out and out.rstrip().endswith("choices: Submit | Cancel")


def test_a_button_that_sends_more_than_its_label_says_what_to_type() -> None:
    ask = Button(label="dev", value="usage of arn:x in the last 9 days")
    out = rendered(Reply(text="Which account?", buttons=(ask,)))
    assert out.splitlines()[-1] == "  dev: type 'usage of arn:x in the last 9 days'"
    out = rendered(Reply(text="Report", buttons=(Button(label="Trim", value="trim arn:x 90 days"),)),
                   next_step="In chat: {value}")
    assert out.splitlines()[-1] == "In chat: trim arn:x 90 days"


def test_tables_as_text_for_callers_that_build_strings() -> None:
    from bot.commands.text_table import render

    assert render(["Request", "Status"], [["AR-7F3K2", "[active]"]]).splitlines() == [
        "Request    Status", "───────────────────", "AR-7F3K2   [active]"]
