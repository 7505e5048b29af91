"""What the requester sees: /access words and sub-commands, reply buttons, the select, the validate and edit modals."""

from __future__ import annotations

import json

import pytest

from bot.slack import messages
from tests.functional.slack.conftest import Harness
from tests.functional.slack.signed import block_action, slash_command, view_submission


def _texts(message: dict[str, object]) -> str:
    return json.dumps(message.get("blocks"))


def test_words_go_to_the_dialog_and_the_answer_is_escaped_with_buttons_and_an_edit_button(harness: Harness) -> None:
    harness.send(slash_command("read reports <!channel> in sandbox", response_url=harness.response_url))
    [(actor, text, session)] = harness.dialog.turns
    assert (actor.id, actor.front.value, text, session) == ("UALICE", "slack", "read reports <!channel> in sandbox",
                                                            "slack:T0001:UALICE")
    assert "accessbot-approvers" not in actor.groups
    [answer] = harness.responses()
    blocks = answer["blocks"]
    assert blocks[0]["text"]["text"] == "You asked: read reports &lt;!channel&gt; in sandbox"
    assert "s3:GetObject" in _texts(answer)  # the policy, as a code block
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == ["turn:0", "turn:1"]
    assert [e["text"]["text"] for e in actions[0]["elements"]] == ["Submit", "Cancel"]
    edit = actions[1]["elements"][0]
    assert edit["action_id"] == "edit_draft" and json.loads(edit["value"])["account"] == "sandbox"


def test_a_reply_button_is_the_next_turn(harness: Harness) -> None:
    harness.send(block_action("turn:0", "yes", user="UALICE", response_url=harness.response_url, channel="C1"))
    assert [t[1] for t in harness.dialog.turns] == ["yes"]
    assert harness.responses()[0]["replace_original"] is False


def test_many_choices_become_a_static_select_and_choosing_is_the_next_turn(harness: Harness) -> None:
    harness.send(slash_command("which account?", response_url=harness.response_url))
    [answer] = harness.responses()
    [select] = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    assert select["type"] == "static_select" and select["action_id"] == "turn_select"
    assert [o["value"] for o in select["options"]] == ["sandbox", "dev", "test", "prod", "audit", "logs"]
    harness.send(block_action("turn_select", "prod", user="UALICE", response_url=harness.response_url,
                              selected=True))
    assert harness.dialog.turns[-1][1] == "prod"


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("status ar-7f3k2", ("status", "AR-7F3K2")),
        ("cancel AR-7F3K2", ("cancel", "AR-7F3K2")),
        ("pending", ("pending", None)),
    ],
)
def test_sub_commands_go_to_the_backend(harness: Harness, text: str, call: tuple[str, str | None]) -> None:
    harness.backend.add("AR-7F3K2", "UALICE")
    harness.fake.clear()
    harness.send(slash_command(text, response_url=harness.response_url))
    name, args = harness.backend.calls[-1]
    assert name == call[0]
    if call[1]:
        assert args[0] == call[1]
    assert harness.dialog.turns == []


def test_extend_parses_the_duration(harness: Harness) -> None:
    harness.send(slash_command("extend AR-7F3K2 4h", response_url=harness.response_url))
    name, (request_id, duration, _) = harness.backend.calls[-1]
    assert (name, request_id, duration.total_seconds()) == ("extend", "AR-7F3K2", 4 * 3600)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status", messages.USAGE_STATUS),
        ("extend AR-7F3K2 forever", messages.BAD_DURATION),
        ("extend AR-7F3K2 200d", messages.BAD_DURATION),
        ("extend AR-7F3K2", messages.USAGE_EXTEND),
        ("usage", messages.USAGE_USAGE),
        ("trim", messages.USAGE_USAGE),
        ("status nope!", messages.USAGE_STATUS),
        ("cancel nope!", messages.USAGE_CANCEL),
        ("extend AR-7F3K2 by four hours", messages.BAD_DURATION),
        ("usage arn:aws:iam::123456789012:role/R lots", messages.BAD_DAYS),
        ("   ", messages.EMPTY_COMMAND),
        ("x" * 2001, messages.TOO_LONG.format(limit=2000)),
    ],
)
def test_a_malformed_sub_command_is_explained_in_the_ack(harness: Harness, text: str, message: str) -> None:
    result = harness.send(slash_command(text, response_url=harness.response_url))
    assert json.loads(result["body"]) == {"response_type": "ephemeral", "text": message}
    assert harness.backend.calls == [] and harness.responses() == []


def test_a_backend_refusal_is_shown_as_its_one_line_message(harness: Harness) -> None:
    harness.send(slash_command("status AR-NOPE1", response_url=harness.response_url))
    [answer] = harness.responses()
    assert answer["text"] == "There is no request AR-NOPE1."


def test_an_unexpected_failure_says_nothing_changed_and_leaks_nothing(harness: Harness) -> None:
    def boom(*, actor: object) -> None:
        raise RuntimeError("secret internals at 0xdeadbeef")

    harness.backend.mine = boom  # type: ignore[method-assign,assignment]
    harness.send(slash_command("mine", response_url=harness.response_url))
    [answer] = harness.responses()
    assert answer["text"] == messages.UNEXPECTED
    assert "0xdeadbeef" not in json.dumps(answer)


def test_usage_is_a_compact_table_with_relative_dates_never_and_a_trim_button(harness: Harness) -> None:
    arn = "arn:aws:iam::123456789012:role/DataScientist"
    harness.send(slash_command(f"usage {arn} 30", response_url=harness.response_url))
    assert harness.backend.calls[-1][0] == "usage" and harness.backend.calls[-1][1][:2] == (arn, 30)
    [answer] = harness.responses()
    table = answer["blocks"][1]["text"]["text"]
    assert table.splitlines()[0] == "*service* · *last used*"
    assert "s3 · " in table and "days ago" in table and "ec2 · never" in table
    [button] = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    harness.send(block_action(button["action_id"], button["value"], user="UALICE", response_url=harness.response_url))
    assert harness.backend.calls[-1][0] == "trim" and harness.backend.calls[-1][1][:2] == (arn, 30)


def test_validate_opens_a_modal_and_the_findings_come_by_dm(harness: Harness) -> None:
    result = harness.send(slash_command("validate", response_url=harness.response_url))
    assert result["statusCode"] == 200 and result["body"] == ""
    [opened] = harness.fake.of("views.open")
    assert opened.params["view"]["callback_id"] == "validate_policy"
    star = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    harness.send(view_submission("validate_policy", {"policy": star, "account_type": {"value": "prod"}},
                                 user="UALICE"))
    [dm] = harness.fake.of("chat.postMessage")
    assert dm.params["channel"] == "UALICE"
    text = json.dumps(dm.params["blocks"])
    assert messages.VALIDATE_REJECTED.format(account_type="prod") in text
    assert "STAR_ACTION_ON_STAR_RESOURCE" in text and "_Fix:_" in text


def test_validate_with_unparseable_json_lists_the_parse_finding(harness: Harness) -> None:
    harness.send(view_submission("validate_policy", {"policy": "{not json", "account_type": {"value": "sandbox"}},
                                 user="UALICE"))
    [dm] = harness.fake.of("chat.postMessage")
    assert messages.VALIDATE_REJECTED.format(account_type="sandbox") in json.dumps(dm.params["blocks"])


def test_validate_with_nothing_pasted_says_so(harness: Harness) -> None:
    harness.send(view_submission("validate_policy", {"policy": "  ", "account_type": {"value": "sandbox"}},
                                 user="UALICE"))
    [dm] = harness.fake.of("chat.postMessage")
    assert (dm.params["channel"], dm.params["text"]) == ("UALICE", messages.VALIDATE_EMPTY)


def test_an_edit_button_with_a_tampered_draft_says_the_draft_is_gone(harness: Harness) -> None:
    harness.send(block_action("edit_draft", '{"account": 1}', user="UALICE", response_url=harness.response_url))
    assert harness.fake.of("views.open") == []
    [answer] = harness.responses()
    assert answer["text"] == messages.EDIT_EXPIRED and answer["response_type"] == "ephemeral"


def test_edit_opens_a_prefilled_modal_and_a_bad_duration_is_a_field_error(harness: Harness) -> None:
    harness.send(slash_command("read reports", response_url=harness.response_url))
    edit = [b for b in harness.responses()[0]["blocks"] if b["type"] == "actions"][1]["elements"][0]
    harness.send(block_action("edit_draft", edit["value"], user="UALICE", response_url=harness.response_url))
    [opened] = harness.fake.of("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "edit_request"
    by_id = {b["block_id"]: b for b in view["blocks"]}
    assert by_id["account"]["element"]["initial_option"]["value"] == "sandbox"
    assert by_id["duration"]["element"]["initial_value"] == "4h"
    result = harness.send(view_submission("edit_request", {"duration": "soon", "account": {"value": "prod"}},
                                          user="UALICE", metadata=view["private_metadata"]))
    assert json.loads(result["body"]) == {"response_action": "errors", "errors": {"duration": messages.BAD_DURATION}}
    result = harness.send(view_submission("edit_request", {"regions": "mars-1"}, user="UALICE",
                                          metadata=view["private_metadata"]))
    assert json.loads(result["body"])["errors"] == {"regions": messages.EDIT_BAD_REGION.format(region="mars-1")}


@pytest.fixture
def drafts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The policy writer + validation, replaced: the edit modal's own behaviour is under test here."""
    from bot.domain.models import Decision, Finding, Severity, ValidationResult

    seen: list[object] = []

    def draft(request: object) -> ValidationResult:
        seen.append(request)
        if getattr(request, "account", "") == "prod":
            bad = Finding(code="FORBIDDEN_ACTION", severity=Severity.ERROR, message="no", fix="use read-only")
            return ValidationResult(decision=Decision.REJECT, findings=(bad,), account_type="prod")
        return ValidationResult(decision=Decision.ALLOW, findings=(), policy={}, account_type="sandbox")

    monkeypatch.setattr("bot.slack.services._default_drafter", draft)
    return seen


def _edit_view(harness: Harness) -> dict[str, object]:
    harness.send(slash_command("read reports", response_url=harness.response_url))
    edit = [b for b in harness.responses()[0]["blocks"] if b["type"] == "actions"][1]["elements"][0]
    harness.send(block_action("edit_draft", edit["value"], user="UALICE", response_url=harness.response_url))
    view: dict[str, object] = harness.fake.of("views.open")[0].params["view"]
    harness.fake.clear()
    return view


def test_an_edited_draft_is_submitted_with_the_edits(drafts: list[object], harness: Harness) -> None:
    view = _edit_view(harness)
    result = harness.send(view_submission(
        "edit_request",
        {"account": {"value": "sandbox"}, "duration": "2h", "regions": "eu-west-1", "justification": "audit"},
        user="UALICE", metadata=str(view["private_metadata"])))
    assert result["statusCode"] == 200 and result["body"] == ""
    from bot.domain.models import AccessRequest

    [request] = drafts
    assert isinstance(request, AccessRequest) and request.duration is not None
    assert (request.account, request.duration.total_seconds(), request.regions, request.justification,
            request.requester) == ("sandbox", 7200, ("eu-west-1",), "audit", "UALICE")
    assert harness.backend.calls[-1][0] == "submit"
    dm = next(c for c in harness.fake.of("chat.postMessage") if c.params["channel"] == "UALICE"
              and "Submitted" in c.params["text"])
    assert dm.params["text"] == "Submitted AR-NEW01."


def test_an_edited_draft_the_rules_reject_is_explained_and_not_submitted(
    drafts: list[object], harness: Harness
) -> None:
    view = _edit_view(harness)
    harness.send(view_submission("edit_request", {"account": {"value": "prod"}}, user="UALICE",
                                 metadata=str(view["private_metadata"])))
    assert [c[0] for c in harness.backend.calls] == []
    [dm] = harness.fake.of("chat.postMessage")
    text = json.dumps(dm.params["blocks"])
    assert "FORBIDDEN_ACTION" in text and "use read-only" in text


def test_a_tampered_draft_is_refused(drafts: list[object], harness: Harness) -> None:
    result = harness.send(view_submission("edit_request", {}, user="UALICE", metadata='{"account": "x"}'))
    assert json.loads(result["body"])["errors"] == {"justification": messages.EDIT_EXPIRED}
    assert drafts == []
