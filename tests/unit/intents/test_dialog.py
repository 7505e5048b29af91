"""The multi-turn dialog over a fake Backend: prompts, corrections, cancel, refusals, confirmation, submit."""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.models import Actor, Front
from intents import texts
from intents.dialog import Dialog
from intents.sessions import MemorySessionStore
from tests.unit.intents.fakes import FakeBackend

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
BOB = Actor(id="bob", front=Front.CLI)


def _writer() -> types.ModuleType:
    """A stand-in policy writer (the real one is bot.domain.writer); it writes exactly what was asked."""
    module = types.ModuleType("bot.domain.writer")

    def write_policy(request: Any, *, account_id: str | None = None, expires_at: Any = None) -> dict[str, Any]:
        statements = [
            {
                "Effect": "Allow",
                "Action": [f"{g.service}:{a}" for a in g.actions] or [f"{g.service}:GetItem"],
                "Resource": [f"arn:aws:{g.service}:eu-west-1:{account_id}:table/{r}" for r in g.resources],
            }
            for g in request.grants
        ]
        return {"Version": "2012-10-17", "Statement": statements}

    module.write_policy = write_policy  # type: ignore[attr-defined]
    module.summarize = lambda policy: [f"{', '.join(s['Action'])}" for s in policy["Statement"]]  # type: ignore[attr-defined]
    return module


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def dialog(backend: FakeBackend, monkeypatch: pytest.MonkeyPatch) -> Dialog:
    if "bot.domain.writer" not in sys.modules:
        try:
            import bot.domain.writer  # noqa: F401
        except ImportError:
            monkeypatch.setitem(sys.modules, "bot.domain.writer", _writer())
    return Dialog(backend, MemorySessionStore(), now=lambda: NOW)


def talk(dialog: Dialog, *lines: str, actor: Actor = BOB, session: str = "s1") -> Any:
    result = None
    for line in lines:
        result = dialog.turn(actor, line, session)
    return result


def test_asks_for_the_account_with_buttons(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table")
    assert result.text == texts.ASK_ACCOUNT
    assert [b.value for b in result.replies[0].buttons] == ["sandbox", "dev", "test", "prod"]


def test_asks_duration_within_the_account_limit(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table", "sandbox")
    assert "sandbox allows up to 7 days" in result.text


def test_too_long_is_refused_with_the_limit(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table in sandbox for 30 days")
    assert result.text == texts.TOO_LONG.format(account="sandbox", limit="7 days", asked="30 days")


def test_full_flow_confirm_then_submit(dialog: Dialog, backend: FakeBackend) -> None:
    result = talk(dialog, "read the orders table in sandbox for 2h", "debugging INC-42")
    assert result.awaiting == "confirm"
    assert result.request is not None and result.request.duration == timedelta(hours=2)
    assert result.request.justification == "debugging INC-42"
    assert [b.label for b in result.replies[-1].buttons] == ["Submit", "Cancel"]
    assert result.replies[-1].policy is not None
    assert backend.calls == []  # nothing submitted before the confirmation
    done = talk(dialog, "submit")
    assert backend.calls[0][0] == "submit"
    assert (done.request_id, done.status) == ("AR-7F3K2", "PENDING_APPROVAL")


def test_corrections_replace_slots(dialog: Dialog) -> None:
    talk(dialog, "read the orders table in sandbox for 2h because INC-1")
    result = talk(dialog, "actually make it eu-west-1")
    assert result.request.regions == ("eu-west-1",)
    result = talk(dialog, "for 4 hours instead")
    assert result.request.duration == timedelta(hours=4)
    result = talk(dialog, "in dev instead")
    assert result.request.account == "dev"


@pytest.mark.parametrize("word", ["cancel", "never mind", "nevermind", "forget it"])
def test_cancel_at_any_point(dialog: Dialog, backend: FakeBackend, word: str) -> None:
    talk(dialog, "read the orders table")
    assert talk(dialog, word).text == texts.CANCELLED
    assert talk(dialog, "submit").text == texts.NOTHING_TO_SUBMIT
    assert backend.calls == []


def test_cancel_with_nothing_going_on(dialog: Dialog) -> None:
    assert talk(dialog, "cancel").text == texts.NOTHING_TO_CANCEL


@pytest.mark.parametrize(
    "text",
    ["give me admin access", "full access to everything", "root", "AdministratorAccess", "I need *:* in sandbox"],
)
def test_broad_requests_are_refused_politely(dialog: Dialog, text: str) -> None:
    result = talk(dialog, text)
    assert "least-privilege" in result.text and "'*' on '*'" in result.text
    assert result.request is None and result.status == "refused"


def test_contradiction_asks_and_never_broadens(dialog: Dialog) -> None:
    result = talk(dialog, "read-only on the orders table but let me delete")
    assert result.text == texts.ASK_LEVEL_CONTRADICTION.format(verb="delete")
    result = talk(dialog, "read only", "sandbox for 1h because INC-2")
    [grant] = result.request.grants
    assert grant.actions == () and [lv.value for lv in grant.access_levels] == ["Read"]


def test_policy_variables_are_refused(dialog: Dialog) -> None:
    result = talk(dialog, "read arn:aws:s3:::data/${aws:username}/* in sandbox")
    assert result.text == texts.REFUSE_VARIABLE
    assert result.request is None


def test_other_partition_is_explained(dialog: Dialog) -> None:
    result = talk(dialog, "read arn:aws-cn:s3:::foo/* in sandbox")
    expected = texts.REFUSE_PARTITION.format(arn="arn:aws-cn:s3:::foo/*", partition="aws-cn", account="sandbox")
    assert result.text == expected
    assert "'aws-cn' partition" in result.text
    assert result.request is None


def test_arn_of_another_account_is_explained(dialog: Dialog) -> None:
    arn = "arn:aws:dynamodb:eu-west-1:456789012345:table/orders"
    result = talk(dialog, f"read {arn} in sandbox")
    assert result.text == texts.REFUSE_ARN_ACCOUNT.format(
        arn=arn, arn_account="456789012345", account="sandbox", account_id="123456789012"
    )
    assert "belongs to account 456789012345, not to sandbox (123456789012)" in result.text
    assert result.request is None


def test_wildcard_arn_is_refused(dialog: Dialog) -> None:
    result = talk(dialog, "read arn:aws:dynamodb:eu-west-1:123456789012:table/* in sandbox")
    assert result.text == texts.REFUSE_WILDCARD.format(arn="arn:aws:dynamodb:eu-west-1:123456789012:table/*")
    assert result.request is None


def test_a_misspelt_service_is_read_and_said_back(dialog: Dialog) -> None:
    result = talk(dialog, "I need read access to the orders tabel in dynamdb")
    assert result.replies[0].text == "I read 'tabel' as DynamoDB table and 'dynamdb' as DynamoDB."
    assert result.slots["service"] == ["dynamodb"]


def test_an_unknown_service_gets_a_suggestion(dialog: Dialog) -> None:
    result = talk(dialog, "I need access to the frobnicatr service")
    assert result.text == texts.UNKNOWN_SERVICE_NO_SUGGESTION


def test_unknown_account(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table", "staging")
    assert "I don't know the account 'staging'" in result.text


@pytest.mark.parametrize(("text", "answer"), [("", texts.EMPTY), ("   ", texts.EMPTY), ("🙂🙂🙂", texts.FALLBACK)])
def test_empty_and_emoji(dialog: Dialog, text: str, answer: str) -> None:
    result = talk(dialog, text)
    assert result.text == answer
    assert result.request is None


def test_huge_text_is_capped_and_said(dialog: Dialog) -> None:
    result = talk(dialog, "x" * 10_000)
    assert result.replies[0].text == texts.TRUNCATED.format(length=10_000, limit=2000)


@pytest.mark.parametrize(
    "text", ['<script>alert(1)</script> "}]', '"}]', "${aws:username}", "<img src=x onerror=alert(1)>"]
)
def test_markup_and_injection_get_the_fallback(dialog: Dialog, text: str) -> None:
    result = talk(dialog, text)
    assert result.text == texts.FALLBACK
    assert result.request is None


@pytest.mark.parametrize(
    "text",
    [
        "read the <b>orders</b> table in sandbox for 1h because INC-5",
        'read the orders"}] table in sandbox for 1h because INC-5',
        "read the orders table in sandbox for 1h because INC-5 <script>alert(1)</script>",
    ],
)
def test_markup_in_a_request_never_widens_it(dialog: Dialog, text: str) -> None:
    result = talk(dialog, text)
    [grant] = result.request.grants
    levels = [lv.value for lv in grant.access_levels]
    assert (grant.service, grant.resources, levels) == ("dynamodb", ("orders",), ["Read"])
    assert "<script>" not in result.text and '"}]' not in str(result.replies[-1].policy)


def test_a_policy_variable_in_the_justification_is_refused(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table in sandbox for 1h because ${aws:username}")
    assert result.text == texts.REFUSE_VARIABLE
    assert result.request is None


def test_approve_passes_the_actor_and_backend_refusals_are_shown(dialog: Dialog, backend: FakeBackend) -> None:
    talk(dialog, "approve AR-7F3K2", actor=Actor(id="carol", front=Front.SLACK))
    assert backend.calls[-1] == ("decide", ("AR-7F3K2", True, None))
    result = talk(dialog, "approve AR-7F3K2", actor=Actor(id="alice", front=Front.SLACK))
    assert result.text == "You can't approve your own request."


def test_deny_asks_for_a_reason(dialog: Dialog, backend: FakeBackend) -> None:
    assert "Why are you denying AR-7F3K2" in talk(dialog, "deny AR-7F3K2").text
    talk(dialog, "too broad")
    assert backend.calls[-1] == ("decide", ("AR-7F3K2", False, "too broad"))


def test_usage_names_the_account_to_look_in(dialog: Dialog, backend: FakeBackend) -> None:
    talk(dialog, "what has DBAdminRole in prod used in the last 90 days")
    assert backend.calls[-1] == ("usage", ("DBAdminRole in prod", 90))


def test_trim_and_pending_and_mine(dialog: Dialog, backend: FakeBackend) -> None:
    talk(dialog, "trim DBAdminRole in sandbox")
    talk(dialog, "what's pending")
    talk(dialog, "my requests")
    assert [c[0] for c in backend.calls] == ["trim", "pending", "mine"]


def test_extend_and_status(dialog: Dialog, backend: FakeBackend) -> None:
    talk(dialog, "extend AR-7F3K2 by 2 days")
    talk(dialog, "status of ar-7f3k2")
    assert backend.calls == [("extend", ("AR-7F3K2", timedelta(days=2))), ("status", ("AR-7F3K2",))]


def test_sessions_belong_to_their_actor(dialog: Dialog) -> None:
    talk(dialog, "read the orders table")
    result = talk(dialog, "sandbox", actor=Actor(id="mallory", front=Front.CLI))
    assert result.replies[0].text == texts.SESSION_OTHER_USER


def test_help_and_fallback(dialog: Dialog) -> None:
    assert talk(dialog, "help").text == texts.HELP
    assert talk(dialog, "the weather is nice").text == texts.FALLBACK


def test_also_adds_a_grant(dialog: Dialog) -> None:
    talk(dialog, "read the orders table in sandbox for 2h because INC-1")
    result = talk(dialog, "also write to the jobs queue")
    assert [g.service for g in result.request.grants] == ["dynamodb", "sqs"]


def test_full_access_on_a_resource_asks_what_to_do(dialog: Dialog) -> None:
    result = talk(dialog, "full access to the orders table")
    assert result.text == texts.ASK_FULL_ACCESS
    assert [b.label for b in result.replies[0].buttons] == ["Read", "List", "Write"]


def test_missing_resource_is_asked_by_its_kind(dialog: Dialog) -> None:
    result = talk(dialog, "I need to read a dynamodb table")
    assert result.text == texts.ASK_RESOURCE.format(what="table")
    result = talk(dialog, "orders", "sandbox", "1h", "INC-9")
    assert result.request.grants[0].resources == ("orders",)


def test_several_accounts_make_several_requests(dialog: Dialog) -> None:
    result = talk(dialog, "read the orders table in dev and test for 2h because INC-3")
    assert [r.account for r in result.requests] == ["dev", "test"]
    assert result.replies[0].text == texts.CONFIRM_HEAD_MANY.format(count=2)


def test_bad_principal_is_asked_again(dialog: Dialog, backend: FakeBackend) -> None:
    dialog.sessions.put(
        "s2", {"owner": "bob", "intent": "UsageReport", "slots": {}, "awaiting": "principal", "grants": []}, 60
    )
    result = talk(dialog, "<script>alert(1)</script>", session="s2")
    assert result.text == texts.BAD_PRINCIPAL.format(word="alert(1)")  # tags are dropped before reading
    assert not any(c[0] == "usage" for c in backend.calls)
    result = talk(dialog, "what has arn:aws:iam::123456789012:root used")
    assert result.text.startswith("'arn:aws:iam::123456789012:root' is not a role or user")


@pytest.mark.parametrize("answer", ["reload yesterday's files", "nightly batch", "loading the nightly batch"])
def test_the_justification_answer_is_only_the_justification(dialog: Dialog, answer: str) -> None:
    asked = talk(dialog, "read the orders table in sandbox for 2h")
    assert (asked.awaiting, asked.text) == ("justification", texts.ASK_JUSTIFICATION)
    result = talk(dialog, answer)
    assert result.awaiting == "confirm"
    assert result.replies[0].text == texts.CONFIRM_HEAD
    assert result.request is not None and result.request.justification == answer
    (grant,) = result.request.grants
    levels = [lv.value for lv in grant.access_levels]
    assert (grant.service, grant.resources, levels) == ("dynamodb", ("orders",), ["Read"])


def test_a_policy_variable_in_the_justification_answer_is_refused(dialog: Dialog) -> None:
    talk(dialog, "read the orders table in sandbox for 2h")
    result = talk(dialog, "because ${aws:username}")
    assert (result.text, result.status) == (texts.REFUSE_VARIABLE, "refused")
    assert result.request is None
