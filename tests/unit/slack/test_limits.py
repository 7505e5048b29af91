"""Every message and modal stays inside Block Kit's limits, whatever the size of what it shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.models import Finding, Severity
from bot.domain.replies import Button, Reply, Table
from bot.slack import blocks, card, limits, views
from bot.slack.card import CardView


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def assert_within_limits(message_blocks: list[dict[str, Any]], max_blocks: int = limits.MESSAGE_BLOCKS) -> None:
    assert len(message_blocks) <= max_blocks
    for block in message_blocks:
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= limits.SECTION_TEXT
            assert len(block.get("fields", [])) <= limits.FIELDS
            assert all(len(f["text"]) <= limits.FIELD_TEXT for f in block.get("fields", []))
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= limits.HEADER_TEXT
        if block["type"] == "actions":
            assert len(block["elements"]) <= limits.ACTION_ELEMENTS
        if block["type"] == "context":
            assert len(block["elements"]) <= limits.CONTEXT_ELEMENTS
    for node in _walk(message_blocks):
        if node.get("type") == "button":
            assert len(node["text"]["text"]) <= limits.BUTTON_TEXT
            assert len(node["value"]) <= limits.BUTTON_VALUE
        if node.get("type") == "static_select":
            assert len(node["options"]) <= limits.SELECT_OPTIONS
            for option in node["options"]:
                assert len(option["text"]["text"]) <= limits.OPTION_TEXT
                assert len(option["value"]) <= limits.OPTION_VALUE


def _huge_policy(statements: int = 600) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": [f"s3:Get{'X' * 40}{i}"], "Resource": f"arn:aws:s3:::b{i}/*"}
        for i in range(statements)]}


def _findings(count: int) -> tuple[Finding, ...]:
    return tuple(Finding(code=f"CODE_{i}", severity=Severity.WARNING, message="m" * 900, fix="f" * 900)
                 for i in range(count))


def test_a_reply_with_everything_huge_fits_one_message() -> None:
    reply = Reply(
        text="word " * 5000,
        policy=_huge_policy(),
        findings=_findings(300),
        table=Table(columns=("a", "b"), rows=tuple((f"r{i}" * 50, "2024-01-01T00:00:00Z") for i in range(900)),
                    chart={f"label{i}": float(i) for i in range(100)}),
        buttons=tuple(Button(label="L" * 75, value="v" * 2000) for i in range(60)),
    )
    message = blocks.message([reply] * 10)
    assert_within_limits(message["blocks"])
    assert len(message["text"]) <= limits.FALLBACK_TEXT
    assert message["blocks"][-1]["type"] == "actions"  # the buttons survive the cut


def test_many_short_choices_are_one_select_of_at_most_100_options() -> None:
    reply = Reply(text="Which account?", buttons=tuple(Button(label=f"account-{i}", value=f"a{i}") for i in range(250)))
    message = blocks.message([reply])
    assert_within_limits(message["blocks"])
    [select] = message["blocks"][-1]["elements"]
    assert select["type"] == "static_select" and len(select["options"]) == 100


def test_a_huge_request_card_fits() -> None:
    view = CardView(
        request_id="AR-7F3K2", status="PENDING_APPROVAL", requester="U123", account="a" * 5000,
        justification="j" * 5000, duration=timedelta(hours=4), grants=tuple("g" * 400 for _ in range(500)),
        findings=_findings(500), approvals=tuple(f"U{i:05d}" for i in range(100)), reason="r" * 5000,
    )
    message = card.request_card(view)
    assert_within_limits(message["blocks"])
    assert message["blocks"][-1]["elements"][0]["action_id"] == card.APPROVE


def test_the_policy_modal_is_cut_and_says_so_for_a_huge_policy() -> None:
    view, truncated = views.policy_modal("AR-7F3K2", _huge_policy())
    assert truncated
    assert_within_limits(view["blocks"], limits.MODAL_BLOCKS)
    assert len(view["title"]["text"]) <= limits.MODAL_TITLE
    assert "AR-7F3K2-policy.json" in view["blocks"][-1]["elements"][0]["text"]


def test_a_small_policy_modal_is_whole() -> None:
    view, truncated = views.policy_modal("AR-7F3K2", _huge_policy(3))
    assert not truncated
    assert "S2" in view["blocks"][-1]["text"]["text"]


def test_user_text_cannot_mention_link_or_break_out_of_a_code_block() -> None:
    hostile = Reply(text="<!channel> <https://evil|click> & ```", policy={"Sid": "```<!here>"})
    text = str(blocks.message([hostile])["blocks"])
    assert "<!channel>" not in text and "<!here>" not in text and "<https" not in text
    assert "&lt;!channel&gt;" in text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", "never"),
        ("None", "never"),
        ("2026-11-28T11:00:00Z", "1 h ago"),
        ("2026-11-27T12:00:00+00:00", "yesterday"),
        ("2026-11-01T12:00:00+00:00", "27 days ago"),
        ("2026-11-28T12:30:00Z", "in 30 min"),
        ("s3:GetObject", "s3:GetObject"),
        ("<b>", "&lt;b&gt;"),
    ],
)
def test_table_cells_read_as_relative_dates(cell: str, expected: str) -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert blocks.humanize(cell, now) == expected


def test_an_empty_table_says_so() -> None:
    assert blocks.table_blocks(Table(columns=("a",), rows=())) == [limits.context("_nothing to show_")]


@pytest.mark.parametrize(
    ("findings", "label"),
    [
        ((), "low"),
        ((Finding(code="X", severity=Severity.WARNING, message="m"),), "moderate"),
        ((Finding(code="X", severity=Severity.SECURITY_WARNING, message="m"),), "elevated"),
        ((Finding(code="X", severity=Severity.SUGGESTION, message="m", blocking=True),), "high"),
    ],
)
def test_risk_follows_the_worst_finding(findings: tuple[Finding, ...], label: str) -> None:
    assert label in card.risk(findings)


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        ("PENDING_APPROVAL", [card.APPROVE, card.DENY, card.VIEW_POLICY]),
        ("FAILED", [card.RETRY, card.VIEW_POLICY]),
        ("ACTIVE", [card.VIEW_POLICY]),
    ],
)
def test_the_card_offers_what_the_state_allows(status: str, actions: list[str]) -> None:
    view = CardView(request_id="AR-1", status=status, requester="web:alice", account="sandbox")
    message = card.request_card(view)
    assert [e["action_id"] for e in message["blocks"][-1]["elements"]] == actions
    assert "web:alice" in str(message["blocks"])  # not a Slack user: shown as a name, not a mention
