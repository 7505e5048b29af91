"""Block Kit limits and the helpers that keep every message inside them.

https://api.slack.com/reference/block-kit/blocks (3,000 chars a section text, 50 blocks a message,
100 blocks a modal), https://api.slack.com/reference/block-kit/block-elements (75 chars a button
text, 2,000 a button value, 100 options a select, 150 chars an option value).
"""

from __future__ import annotations

from typing import Any

from bot.slack import messages

SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ELEMENTS = 25
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
CONTEXT_ELEMENTS = 10
MODAL_TITLE = 24
MODAL_BUTTON = 24
PRIVATE_METADATA = 3000
INPUT_TEXT = 3000
#: chat.postMessage's `text`: Slack truncates at 40,000; the fallback never needs that much.
FALLBACK_TEXT = 3000

Block = dict[str, Any]


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def escape(text: str) -> str:
    """Slack's three control characters escaped, so user text cannot mention, link or format.

    https://api.slack.com/reference/surfaces/formatting#escaping
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit) or " "}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def chunk_lines(lines: list[str], limit: int = SECTION_TEXT) -> list[str]:
    """Lines joined into texts of at most `limit` characters (a too-long line is clipped)."""
    chunks: list[str] = []
    current = ""
    for raw in lines:
        line = clip(raw, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def sections(text: str, *, max_blocks: int = 3) -> list[Block]:
    """Long text as up to `max_blocks` sections of at most 3,000 characters, the rest clipped."""
    chunks = chunk_lines(text.split("\n"))
    if len(chunks) > max_blocks:
        chunks = [*chunks[: max_blocks - 1], clip(chunks[max_blocks - 1], SECTION_TEXT - 1) + "…"]
    return [section(c) for c in chunks]


def text_message(text: str) -> dict[str, Any]:
    """A message from one of our own texts (messages.py: trusted mrkdwn)."""
    return {"text": clip(text, FALLBACK_TEXT), "blocks": sections(text)}


def fit(blocks: list[Block], limit: int = MESSAGE_BLOCKS, *, tail: list[Block] | None = None) -> list[Block]:
    """At most `limit` blocks: `tail` (the buttons) always kept, the first content blocks, and a count of the rest."""
    tail = tail or []
    room = limit - len(tail)
    if len(blocks) <= room:
        return [*blocks, *tail]
    kept = blocks[: room - 1]
    return [*kept, context(messages.CARD_MORE.format(count=len(blocks) - len(kept))), *tail]
