"""The embedded parser: intents, slots, grants and the problems it flags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.accounts import embedded_registry
from bot.domain.models import AccessLevel
from intents.parser import MAX_TEXT, parse

REGISTRY = embedded_registry()
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday


def read(text: str):  # type: ignore[no-untyped-def]
    return parse(text, registry=REGISTRY, now=NOW)


def test_s3_read_on_a_bucket_means_its_objects() -> None:
    got = read("read objects in the analytics-raw bucket")
    [grant] = got.grants
    assert (grant.service, grant.levels, grant.resources, grant.resource_type) == (
        "s3",
        [AccessLevel.READ],
        ["analytics-raw"],
        "object",
    )


def test_s3_list_is_on_the_bucket() -> None:
    got = read("list and read the raw-events bucket")
    kinds = {(g.resource_type, tuple(g.levels)) for g in got.grants}
    assert kinds == {("object", (AccessLevel.READ,)), ("bucket", (AccessLevel.LIST,))}


def test_start_stop_tagged_boxes() -> None:
    got = read("need to start/stop the ec2 boxes tagged CostCenter 0735")
    [grant] = got.grants
    assert grant.service == "ec2"
    assert grant.actions == ["StartInstances", "StopInstances"]
    assert grant.resources == []
    assert (got.slots["tag_key"], got.slots["tag_value"]) == ("CostCenter", "0735")


def test_two_grants_in_one_sentence() -> None:
    got = read("read the orders table and write to the jobs queue")
    assert [(g.service, g.levels, g.resources) for g in got.grants] == [
        ("dynamodb", [AccessLevel.READ], ["orders"]),
        ("sqs", [AccessLevel.WRITE], ["jobs"]),
    ]


def test_several_accounts() -> None:
    assert read("read the orders table in dev and test").slots["account"] == ["dev", "test"]


def test_test_is_only_an_account_in_context() -> None:
    assert "account" not in read("I want to test reading the orders table").slots


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("for a day", "P1D"),
        ("for 2h", "PT2H"),
        ("for 30 min", "PT30M"),
        ("until friday", "PT62H"),
        ("for a week", "P7D"),
        ("permanently", "permanent"),
    ],
)
def test_durations(text: str, duration: str) -> None:
    assert read(f"read the orders table {text}").slots["duration"] == duration


@pytest.mark.parametrize(("text", "region"), [("in eu-west-1", "eu-west-1"), ("in frankfurt", "eu-central-1")])
def test_regions(text: str, region: str) -> None:
    assert read(f"read the orders table {text}").slots["region"] == [region]


def test_request_ids_are_case_insensitive_and_not_inside_words() -> None:
    assert read("approve ar-7f3k2").slots["request_id"] == "AR-7F3K2"
    assert "request_id" not in read("read the logs-archive bucket").slots


def test_deny_reason() -> None:
    got = read("deny AR-7F3K2: not needed")
    assert (got.intent, got.slots["reason"]) == ("DenyRequest", "not needed")


@pytest.mark.parametrize(
    "text",
    [
        "give me admin access",
        "full access to everything",
        "root please",
        "I need AdministratorAccess",
        "grant *:* in sandbox",
        "s3:* on everything",
    ],
)
def test_too_broad_is_flagged(text: str) -> None:
    assert "too_broad" in read(text).problems


def test_contradiction_is_flagged() -> None:
    assert read("read-only on the orders table but let me delete").problems["contradiction"] == "delete"


def test_policy_variables_are_flagged() -> None:
    assert "variable" in read("read the ${aws:username} bucket").problems


def test_long_text_is_cut() -> None:
    got = read("read " * 2000)
    assert got.truncated_from == 10000
    assert len(got.text) <= MAX_TEXT


@pytest.mark.parametrize("text", ["", "🙂🙂", "<script>alert(1)</script>", '"}]', "\x00\x01"])
def test_odd_input_falls_back(text: str) -> None:
    got = read(text)
    assert got.intent == "FallbackIntent"
    assert got.grants == []


def test_usage_principal_and_days() -> None:
    got = read("what has DBAdminRole used in the last 90 days")
    assert (got.intent, got.slots["principal"], got.slots["days"]) == ("UsageReport", "DBAdminRole", 90)


def test_pasted_policy() -> None:
    got = read('validate this policy for prod {"Version": "2012-10-17", "Statement": []}')
    assert got.intent == "ValidatePolicy"
    assert got.slots["policy"].startswith("{")
    assert got.slots["account"] == ["prod"]


@pytest.mark.parametrize(
    "text", ["what can the bot do for me", "what does accessbot do?", "what are you good for", "what is the tool for"]
)
def test_capability_questions_that_name_the_bot_are_help(text: str) -> None:
    assert read(text).intent == "Help"


@pytest.mark.parametrize(
    "text",
    [
        'what would that allow {"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}',
        'what do these do? {"Version": "2012-10-17", "Statement": []}',
        'what\u2019s this {"Statement": []}',
    ],
)
def test_a_question_about_a_pasted_document_is_explain(text: str) -> None:
    got = read(text)
    assert got.intent == "ExplainPolicy"
    assert got.slots["policy"].startswith("{")


def test_what_does_this_do_without_a_document_is_not_explain() -> None:
    assert read("what does this do").intent != "ExplainPolicy"


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("renew AR-7F3K2 for 4 more hours", "PT4H"),
        ("extend ar-h2k8m by two extra days", "P2D"),
        ("write the jobs queue in dev for 1 additional week", "P7D"),
    ],
)
def test_more_extra_additional_between_number_and_unit(text: str, length: str) -> None:
    assert read(text).slots["duration"] == length


@pytest.mark.parametrize(
    ("text", "who", "kind"),
    [
        ("what did user deploy-bot use", "deploy-bot", "user"),
        ("last accessed info for user alice in dev", "alice", "user"),
        ("which services hasn't role NetworkAdminRole in sandbox touched in 6 months", "NetworkAdminRole", None),
        ("how much of its policy does QAAutomation use in test", "QAAutomation", None),
        ("access advisor for the Developer role in dev", "Developer", None),
    ],
)
def test_usage_questions_in_their_many_forms(text: str, who: str, kind: str | None) -> None:
    got = read(text)
    assert got.intent == "UsageReport"
    assert got.slots["principal"] == who
    assert got.slots.get("principal_kind") == kind
