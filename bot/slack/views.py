"""Modals: the policy JSON, the deny reason, a policy to validate, a draft request to edit before submitting."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.durations import largest_unit
from bot.slack import limits, messages
from bot.slack.ids import DENY_CALLBACK, EDIT_CALLBACK, POLICY_CALLBACK, VALIDATE_CALLBACK
from bot.slack.limits import Block

if TYPE_CHECKING:
    from bot.domain.models import PolicyDocument

#: A modal shows this many code sections of the policy at most (~14,500 characters); longer goes to a file.
MAX_POLICY_SECTIONS = 5
REASON_MAX = 500
ACCOUNT_TYPES = ("sandbox", "dev", "test", "prod")


def _modal(callback: str, title: str, body: list[Block], *, submit: str | None, metadata: str = "") -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback,
        "title": limits.plain(title, limits.MODAL_TITLE),
        "close": limits.plain(messages.CLOSE if submit is None else messages.CANCEL, limits.MODAL_BUTTON),
        "blocks": limits.fit(body, limits.MODAL_BLOCKS),
        "private_metadata": metadata[: limits.PRIVATE_METADATA],
    }
    if submit is not None:
        view["submit"] = limits.plain(submit, limits.MODAL_BUTTON)
    return view


def policy_modal(request_id: str, policy: PolicyDocument | None) -> tuple[dict[str, Any], bool]:
    """The policy JSON in a modal, and whether it was cut (then the caller uploads the whole file)."""
    title = messages.POLICY_MODAL_TITLE.format(request_id=request_id)
    if policy is None:
        return _modal(POLICY_CALLBACK, title, [limits.section(messages.POLICY_MODAL_NOT_FOUND)], submit=None), False
    from bot.slack import blocks  # the reply builders (and the domain models) only when there is a policy to show

    lines = blocks.policy_text(policy).split("\n")
    # Each chunk becomes ``` + escaped text + ```: leave room for both and for escaping growth.
    chunks = limits.chunk_lines(lines, 2400)
    truncated = len(chunks) > MAX_POLICY_SECTIONS
    body = [limits.section(blocks.code_block(c)) for c in chunks[:MAX_POLICY_SECTIONS]]
    if truncated:
        body.append(limits.context(messages.POLICY_TRUNCATED.format(filename=policy_filename(request_id))))
    return _modal(POLICY_CALLBACK, title, body, submit=None), truncated


def policy_external_id(body: dict[str, Any]) -> str:
    """The View policy modal's external id: unique per click, so two people never update each other's modal."""
    return f"policy-{body.get('trigger_id', '')}"[:255]


def policy_filename(request_id: str) -> str:
    return f"{request_id}-policy.json"


def deny_modal(request_id: str, *, channel: str, ts: str) -> dict[str, Any]:
    metadata = json.dumps({"id": request_id, "channel": channel, "ts": ts})
    body: list[Block] = [
        limits.section(messages.CARD_TITLE.format(request_id=request_id)),
        {
            "type": "input",
            "block_id": "reason",
            "label": limits.plain(messages.DENY_REASON_LABEL, 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": "reason",
                "multiline": True,
                "max_length": REASON_MAX,
                "placeholder": limits.plain(messages.DENY_REASON_HINT, 150),
            },
        },
    ]
    return _modal(DENY_CALLBACK, messages.DENY_MODAL_TITLE, body, submit=messages.DENY_SUBMIT, metadata=metadata)


def _type_option(account_type: str) -> dict[str, Any]:
    return {"text": limits.plain(account_type, limits.OPTION_TEXT), "value": account_type}


def validate_modal(*, channel: str = "") -> dict[str, Any]:
    body: list[Block] = [
        {
            "type": "input",
            "block_id": "policy",
            "label": limits.plain(messages.VALIDATE_LABEL, 2000),
            "hint": limits.plain(messages.VALIDATE_HINT, 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": "policy",
                "multiline": True,
                "max_length": limits.INPUT_TEXT,
            },
        },
        {
            "type": "input",
            "block_id": "account_type",
            "label": limits.plain(messages.VALIDATE_ACCOUNT_TYPE, 2000),
            "element": {
                "type": "static_select",
                "action_id": "account_type",
                "initial_option": _type_option("sandbox"),
                "options": [_type_option(t) for t in ACCOUNT_TYPES],
            },
        },
    ]
    return _modal(
        VALIDATE_CALLBACK, messages.VALIDATE_MODAL_TITLE, body, submit=messages.VALIDATE_SUBMIT, metadata=channel
    )


def edit_modal(
    metadata: str,
    *,
    accounts: Sequence[tuple[str, str]],
    account: str,
    duration: timedelta | None,
    regions: Sequence[str],
    justification: str,
) -> dict[str, Any]:
    """A draft request to edit: account (select), duration, regions, justification. `accounts` is (value, label)."""
    options = [
        {"text": limits.plain(label, limits.OPTION_TEXT), "value": value[: limits.OPTION_VALUE]}
        for value, label in accounts[: limits.SELECT_OPTIONS]
    ]
    initial = next((o for o in options if o["value"] == account), None)
    select: dict[str, Any] = {"type": "static_select", "action_id": "account", "options": options}
    if initial is not None:
        select["initial_option"] = initial
    body: list[Block] = [
        {"type": "input", "block_id": "account", "label": limits.plain(messages.EDIT_ACCOUNT, 2000), "element": select},
        _text_input("duration", messages.EDIT_DURATION, _duration_value(duration), messages.EDIT_DURATION_HINT, 20),
        _text_input("regions", messages.EDIT_REGIONS, ", ".join(regions), messages.EDIT_REGIONS_HINT, 200),
        _text_input("justification", messages.EDIT_JUSTIFICATION, justification, None, 1000, multiline=True),
    ]
    return _modal(EDIT_CALLBACK, messages.EDIT_MODAL_TITLE, body, submit=messages.EDIT_SUBMIT, metadata=metadata)


def _duration_value(duration: timedelta | None) -> str:
    if duration is None:
        return ""
    count, unit = largest_unit(duration)
    return f"{count}{unit[0]}"  # 2d, 4h, 30m: what the duration box reads back


def _text_input(
    block_id: str, label: str, value: str, hint: str | None, max_length: int, *, multiline: bool = False
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if value:
        element["initial_value"] = value[:max_length]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": limits.plain(label, 2000),
        "element": element,
    }
    if hint:
        block["hint"] = limits.plain(hint, 2000)
    return block


def input_value(view: dict[str, Any], block_id: str) -> str:
    """The submitted value of an input (text or select) in a view_submission payload; '' when empty."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get(block_id, {})
    if not isinstance(state, dict):
        return ""
    if state.get("type") == "static_select":
        option = state.get("selected_option") or {}
        return str(option.get("value") or "")
    return str(state.get("value") or "")
