"""Reports as Outcomes: tables with relative dates, the chart, the Trim button the dialog reads back, Slack blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain import usage_texts as texts
from bot.domain.accounts import embedded_registry
from bot.domain.usage import AccountReport, Pending, RoleRow, parse_principal
from bot.domain.usage_pages import report_from_advisor
from bot.domain.usage_render import account_outcome, grant_summary_text, pending_outcome, report_outcome
from bot.slack.blocks import message
from intents.parser import parse

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ROLE = "arn:aws:iam::123456789012:role/DBAdminRole"


def svc(namespace: str, name: str, days: float | None, tracked: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"ServiceNamespace": namespace, "ServiceName": name}
    if days is not None:
        item |= {"LastAuthenticated": NOW - timedelta(days=days), "LastAuthenticatedEntity": ROLE}
    if tracked is not None:
        item["TrackedActionsLastAccessed"] = tracked
    return item


def db_admin(arn: str = ROLE) -> Any:
    services = [
        svc("dynamodb", "Amazon DynamoDB", 3),
        svc("s3", "Amazon S3", 41, [{"ActionName": "ListBucket", "LastAccessedTime": NOW - timedelta(days=41)},
                                    {"ActionName": "DeleteBucket"}]),
        svc("rds", "Amazon RDS", None),
        svc("backup", "AWS Backup", 200),
    ]
    return report_from_advisor(parse_principal(arn), "sandbox", [{"ServicesLastAccessed": services}], days=90, now=NOW)


def test_report_table_chart_and_trim_button() -> None:
    outcome = report_outcome(db_admin())
    head = outcome.replies[0]
    assert head.text.splitlines()[0] == "DBAdminRole in sandbox, last 90 days: used 2 of 4 granted service(s)."
    assert head.text.splitlines()[1] == "Not used in 90 days: AWS Backup, Amazon RDS."
    assert head.table is not None and head.table.columns == texts.REPORT_COLUMNS
    assert [row[:2] for row in head.table.rows] == [
        ("Amazon DynamoDB", "3 days ago"),
        ("Amazon S3", "41 days ago"),
        ("AWS Backup", "200 days ago (over 90 days)"),
        ("Amazon RDS", "never"),
    ]
    assert head.table.rows[0][2] == "DBAdminRole" and head.table.rows[1][3] == "1/2"
    assert head.table.chart == {"dynamodb": 3.0, "s3": 41.0, "backup": 200.0}
    (button,) = head.buttons
    assert (button.label, button.value) == ("Trim", f"trim {ROLE} 90 days")
    actions = outcome.replies[1]
    assert actions.table is not None and actions.table.rows[0][:2] == ("s3:ListBucket", "41 days ago")
    assert actions.table.rows[1][:2] == ("s3:DeleteBucket", "never")


def test_the_trim_button_parses_as_trim_policy() -> None:
    arn = "arn:aws:iam::123456789012:role/ops/DBAdminRole"
    (button,) = report_outcome(db_admin(arn)).replies[0].buttons
    parsed = parse(button.value, registry=embedded_registry())
    assert parsed.intent == "TrimPolicy"
    assert parsed.slots["principal"] == arn and parsed.slots["days"] == 90


def test_everything_used_has_no_trim_button() -> None:
    services = [svc("dynamodb", "Amazon DynamoDB", 3)]
    report = report_from_advisor(parse_principal(ROLE), "dev", [{"ServicesLastAccessed": services}], days=30, now=NOW)
    head = report_outcome(report).replies[0]
    assert head.buttons == () and texts.REPORT_ALL_USED.format(days=30) in head.text


def test_no_services_at_all() -> None:
    report = report_from_advisor(parse_principal(ROLE), "dev", [{"ServicesLastAccessed": []}], days=30, now=NOW)
    assert report_outcome(report).replies[0].text == texts.REPORT_NOTHING.format(name="DBAdminRole")


def test_account_outcome_sorted_with_detail_buttons_and_partial_line() -> None:
    rows = (
        RoleRow(name="DBAdminRole", arn=ROLE, granted=5, unused=3, last_used=NOW - timedelta(days=3)),
        RoleRow(name="Idle", arn="arn:aws:iam::123456789012:role/Idle", granted=2, unused=2),
        RoleRow(name="Gone", arn="arn:aws:iam::123456789012:role/Gone", error="it was deleted"),
    )
    report = AccountReport(
        account="sandbox", account_id="123456789012", days=90, now=NOW, rows=rows, total=4, pending=1
    )
    outcome = account_outcome(report)
    reply = outcome.replies[0]
    assert outcome.status == "partial"
    assert reply.text.splitlines()[0] == (
        "sandbox (123456789012): 3 of 4 role(s) checked, 2 with access unused in 90 days."
    )
    assert texts.ACCOUNT_PARTIAL.format(pending=1) in reply.text
    assert reply.table is not None
    assert reply.table.rows == (
        ("DBAdminRole", "5", "3", "3 days ago"),
        ("Idle", "2", "2", "never"),
        ("Gone", "", "could not read: it was deleted", ""),
    )
    assert reply.table.chart == {"DBAdminRole": 3.0}
    parsed = parse(reply.buttons[0].value, registry=embedded_registry())
    assert parsed.intent == "UsageReport" and parsed.slots["principal"] == ROLE


def test_pending_says_ask_again_and_reuse() -> None:
    text = pending_outcome(Pending(name="DBAdminRole", arn=ROLE)).replies[0].text
    assert text == (
        "Access advisor is still preparing the report for DBAdminRole — ask again in a minute, I'll reuse the job."
    )


def test_slack_renders_the_table_dates_and_the_trim_button() -> None:
    rendered = message(report_outcome(db_admin()).replies)
    blocks = str(rendered["blocks"])
    assert "3 days ago" in blocks and "never" in blocks and "200 days ago (over 90 days)" in blocks
    assert f"trim {ROLE} 90 days" in blocks  # the button's value is the next turn's text


def test_grant_summary_paragraph() -> None:
    services = [
        svc("s3", "Amazon S3", 0.1, [{"ActionName": "ListBucket", "LastAccessedTime": NOW - timedelta(hours=2)},
                                     {"ActionName": "PutBucketPolicy"}]),
        svc("athena", "Amazon Athena", 10),
    ]
    report = report_from_advisor(
        parse_principal("arn:aws:iam::123456789012:role/DataScientist"), "sandbox",
        [{"ServicesLastAccessed": services}], days=400, now=NOW,
    )
    since = NOW - timedelta(days=1)
    text = grant_summary_text(report, {"s3": ["GetObject", "ListBucket"], "athena": ["GetQueryResults"]}, since)
    assert text == (
        "DataScientist used Amazon S3 (s3:ListBucket) while the grant was active (since yesterday); "
        "not used: Amazon Athena. Access advisor can lag by up to 4 hours."
    )
    nothing = grant_summary_text(report, {"athena": ["GetQueryResults"], "glue": ["GetTable"]}, since)
    assert nothing is not None and nothing.startswith(
        "DataScientist used none of the granted services while the grant was active (since yesterday): "
        "Amazon Athena, glue"
    )
    assert grant_summary_text(report, {}, since) is None
