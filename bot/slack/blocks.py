"""Block Kit for the bot's front-neutral replies: text, buttons or a select, findings, tables, policies."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain.models import Finding, PolicyDocument, Severity
from bot.domain.replies import Button, Reply, Table
from bot.slack import limits, messages
from bot.slack.ids import TURN_ACTION, TURN_SELECT
from bot.slack.limits import Block

#: More choices than this become a static select (Slack renders many buttons badly).
MAX_BUTTONS = 5
MAX_FINDINGS = 10
MAX_TABLE_ROWS = 60
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.SECURITY_WARNING: 1, Severity.WARNING: 2, Severity.SUGGESTION: 3}


def message(replies: Sequence[Reply], *, extra: Sequence[Block] = ()) -> dict[str, Any]:
    """A chat message (`text` fallback and `blocks`) for replies, within 50 blocks, buttons (and `extra`) kept."""
    content: list[Block] = []
    actions: list[Block] = []
    for index, reply in enumerate(replies):
        if index and content:
            content.append({"type": "divider"})
        content.extend(reply_content(reply))
        actions.extend(buttons_blocks(reply.buttons, offset=len(actions) * limits.ACTION_ELEMENTS))
    text = "\n".join(r.text for r in replies) or messages.WORKING
    return {"text": limits.clip(text, limits.FALLBACK_TEXT), "blocks": limits.fit(content, tail=[*actions[:4], *extra])}


def reply_content(reply: Reply) -> list[Block]:
    """Everything of one reply but its buttons. Replies echo user words: escaped, so nobody can <!channel>."""
    blocks = limits.sections(limits.escape(reply.text)) if reply.text else []
    if reply.table is not None:
        blocks.extend(table_blocks(reply.table))
    if reply.findings:
        blocks.extend(findings_blocks(reply.findings))
    if reply.policy is not None:
        blocks.extend(policy_blocks(reply.policy))
    return blocks


def buttons_blocks(buttons: Sequence[Button], *, offset: int = 0) -> list[Block]:
    """A few choices as buttons, many as a static select; every text and value within Slack's limits."""
    if not buttons:
        return []
    fits_select = all(len(b.value) <= limits.OPTION_VALUE for b in buttons)
    if len(buttons) > MAX_BUTTONS and fits_select:
        options = [
            {"text": limits.plain(b.label, limits.OPTION_TEXT), "value": b.value}
            for b in buttons[: limits.SELECT_OPTIONS]
        ]
        select: Block = {"type": "static_select", "action_id": TURN_SELECT, "options": options}
        select["placeholder"] = limits.plain(buttons[0].label if len(buttons) == 1 else "…", limits.OPTION_TEXT)
        return [{"type": "actions", "elements": [select]}]
    blocks: list[Block] = []
    for start in range(0, len(buttons), limits.ACTION_ELEMENTS):
        elements = [
            button(b.label, TURN_ACTION.format(index=offset + start + i), b.value, b.style)
            for i, b in enumerate(buttons[start : start + limits.ACTION_ELEMENTS])
        ]
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": limits.plain(label, limits.BUTTON_TEXT),
        "action_id": action_id,
        "value": limits.clip(value, limits.BUTTON_VALUE),
    }
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def finding_lines(findings: Iterable[Finding]) -> list[str]:
    """One line per finding, most severe first, each with what to change."""
    ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 9))
    lines = []
    for finding in ordered:
        line = messages.FINDING_LINE.format(
            icon=messages.SEVERITY_ICONS.get(finding.severity.value, "•"),
            code=limits.escape(finding.code),
            message=limits.escape(limits.clip(finding.message, 600)),
        )
        if finding.fix:
            line += messages.FINDING_FIX.format(fix=limits.escape(limits.clip(finding.fix, 600)))
        lines.append(line)
    return lines


def findings_blocks(findings: Sequence[Finding], *, max_findings: int = MAX_FINDINGS) -> list[Block]:
    lines = finding_lines(findings)
    shown = lines[:max_findings]
    if len(lines) > max_findings:
        shown.append(messages.CARD_MORE.format(count=len(lines) - max_findings))
    return [limits.section(chunk) for chunk in limits.chunk_lines(shown)][:3]


def policy_text(policy: PolicyDocument) -> str:
    return json.dumps(policy, indent=2, sort_keys=False)


def code_block(text: str) -> str:
    # A ``` inside the JSON would end the code block early.
    return "```" + limits.escape(text).replace("```", "`\u200b``") + "```"


def policy_blocks(policy: PolicyDocument) -> list[Block]:
    """The policy as a code block when it fits in one section, else a pointer to the full view."""
    text = code_block(policy_text(policy))
    if len(text) <= limits.SECTION_TEXT:
        return [limits.section(text)]
    return [limits.context(messages.POLICY_TOO_LONG_FOR_MESSAGE)]


def table_blocks(table: Table, *, now: datetime | None = None) -> list[Block]:
    """A compact table: a header line, one line per row (dates made relative, empty ones "never"), a bar chart."""
    now = now or datetime.now(UTC)
    if not table.rows:
        return [limits.context(messages.TABLE_EMPTY)]
    header = " · ".join(f"*{limits.escape(c)}*" for c in table.columns)
    lines = [
        " · ".join(humanize(cell, now) for cell in row) for row in table.rows[:MAX_TABLE_ROWS]
    ]
    if len(table.rows) > MAX_TABLE_ROWS:
        lines.append(messages.CARD_MORE.format(count=len(table.rows) - MAX_TABLE_ROWS))
    blocks = [limits.section(chunk) for chunk in limits.chunk_lines([header, *lines])][:4]
    if table.chart:
        blocks.append(limits.section(chart_text(table.chart)))
    return blocks


def chart_text(chart: dict[str, float], width: int = 20) -> str:
    top = max((v for v in chart.values()), default=0.0) or 1.0
    lines = []
    for label, value in list(chart.items())[:20]:
        bar = "█" * max(round(width * value / top), 1 if value > 0 else 0)
        lines.append(f"`{limits.escape(limits.clip(label, 30)):<30}` {bar} {value:g}")
    return "\n".join(lines)


def humanize(cell: str, now: datetime) -> str:
    """A table cell for reading: ISO timestamps become "3 days ago", empty ones "never"."""
    value = cell.strip()
    if value in ("", "-", "None", "null", "never"):
        return messages.NEVER
    when = _parse_time(value)
    if when is None:
        return limits.escape(limits.clip(value, 200))
    return relative(when, now)


def relative(when: datetime, now: datetime) -> str:
    seconds = (now - when).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return messages.AGO_NOW
    if seconds < 3600:
        n = int(seconds // 60)
        return (messages.IN_MINUTES if future else messages.AGO_MINUTES).format(n=n)
    if seconds < 86400:
        n = int(seconds // 3600)
        return (messages.IN_HOURS if future else messages.AGO_HOURS).format(n=n)
    n = int(seconds // 86400)
    if n == 1 and not future:
        return messages.AGO_YESTERDAY
    return (messages.IN_DAYS if future else messages.AGO_DAYS).format(n=n)


def _parse_time(value: str) -> datetime | None:
    if len(value) < 10 or not value[:4].isdigit() or value[4] != "-":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
