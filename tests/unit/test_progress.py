"""Progress bars show on a terminal only, and never on stdout."""

from __future__ import annotations

import io

from bot.commands.progress import progress


def test_no_bar_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress("Validating", stream=stream) as advance:
        advance(1, 2)
        advance(2, 2)
    assert stream.getvalue() == ""


def test_a_forced_bar_writes_its_description_to_the_stream() -> None:
    stream = io.StringIO()
    with progress("Validating", stream=stream, enabled=True) as advance:
        advance(3, 4)
    assert "Validating" in stream.getvalue()
