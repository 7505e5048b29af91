"""Every CLI command as a new user runs it: no AWS variables, a fresh HOME, nothing running.

The first command starts the local bot in the background; the next ones find it through the state
directory, so what one command did (a request, an approval, a conversation) the next one sees. The
bot is stopped at the end, and the test checks that its process is gone.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from bot.cli import main
from bot.commands import daemon, localbot, statedir
from intents import texts
from tests.cli_home import fresh_home
from tests.functional.web.conftest import free_port

SANDBOX = "123456789012"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        path = fresh_home(patch, tmp_path_factory.mktemp("home"))
        for name in list(os.environ):
            if name.startswith(("ACCESSBOT_", "SLACK_")):
                patch.delenv(name)
        # A bot someone else runs on the default port is not this new user's: discovery must not find it.
        patch.setattr(localbot, "DEFAULT_URL", f"http://127.0.0.1:{free_port()}")
        try:
            yield path
        finally:
            running = statedir.records()
            daemon.stop_all()
            for record in running:
                assert not daemon._exists(record.pid) or not statedir.alive(record.pid), "the local bot leaked"
            assert statedir.records() == []


def cli(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> tuple[str, str]:
    assert main(list(argv)) == code, capsys.readouterr()
    captured = capsys.readouterr()
    return captured.out, captured.err


def bot() -> statedir.BotRecord:
    (record,) = statedir.records()
    return record


def test_the_first_command_starts_the_local_bot_and_answers(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = cli(capsys, "chat", "what has DBAdminRole in sandbox used in the last 90 days")
    assert out.startswith("DBAdminRole in sandbox, last 90 days: used 2 of 5 granted service(s).")
    assert re.search(r"Amazon DynamoDB +3 days ago +DBAdminRole +not tracked", out)
    assert re.search(r"Amazon RDS +never +not tracked +db-admin", out)
    record = bot()
    assert err == (
        f"Started the local bot in the background: web chat at {record.url}/ (stops after 60 idle minutes; "
        "`accessbot serve --stop` stops it now).\n"
    )
    assert record.background and record.url.startswith("http://127.0.0.1:") and record.url != localbot.DEFAULT_URL
    state = home / ".local" / "state" / "accessbot"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / "bots" / f"{record.pid}.json").stat().st_mode) == 0o600
    assert "AccessBot is running." in (state / "serve.log").read_text()


def test_a_name_without_its_account_is_found(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = cli(capsys, "chat", "what has DBAdminRole used in the last 90 days")
    assert out.startswith("DBAdminRole in sandbox, last 90 days") and "Which account" not in out
    assert err == ""  # the running bot was found: nothing started


def test_several_accounts_are_a_question_the_next_command_answers(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = cli(capsys, "chat", "what has DataScientist used in the last 30 days")
    assert out.startswith("DataScientist is in sandbox, dev, test and prod. Which account do you mean?")
    assert "  choices: sandbox | dev | test | prod" in out
    out, _ = cli(capsys, "chat", "dev")
    assert out.startswith("DataScientist in dev, last 30 days:")
    assert re.search(r"Service +Last used +By +Unused actions +Granted by", out)


def test_usage_reports_sweeps_and_lookups(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = cli(capsys, "usage", "account", "sandbox")
    assert out.startswith("sandbox (123456789012): 5 of 5 role(s) checked, 4 with access unused in 90 days.")
    assert re.search(r"DBAdminRole +5 +3 +3 days ago", out)
    assert f"In chat: usage of arn:aws:iam::{SANDBOX}:role/DBAdminRole in the last 90 days" in out
    out, _ = cli(capsys, "usage", "DBAdminRole", "--json", "--days", "30")
    report = json.loads(out)
    assert (report["status"], report["principal"], report["days"]) == (
        "done", f"arn:aws:iam::{SANDBOX}:role/DBAdminRole", 30)
    out, _ = cli(capsys, "usage", "DataScientist", "in", "prod", "--json")
    assert json.loads(out)["account"] == "prod"
    _, err = cli(capsys, "usage", "DataScientist", code=2)
    assert err == ("accessbot: DataScientist is in sandbox, dev, test and prod. Name the account, like: "
                   "accessbot usage DataScientist in sandbox\n")
    _, err = cli(capsys, "usage", "GhostRole", code=2)
    assert err == ("accessbot: I found no role or user named GhostRole in sandbox, dev, test or prod. "
                   "Check the spelling, or give its ARN.\n")


def _seed_iam(record: statedir.BotRecord) -> Any:
    """IAM in the embedded sandbox, as the world seeds it (moto's default keys assume its seed role)."""
    sts = boto3.client("sts", endpoint_url=record.aws_endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    keys = sts.assume_role(RoleArn=f"arn:aws:iam::{SANDBOX}:role/accessbot-seed", RoleSessionName="test")
    credentials = keys["Credentials"]
    return boto3.client("iam", endpoint_url=record.aws_endpoint, region_name="us-east-1",
                        aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def test_submit_in_chat_then_list_approve_and_the_policy_exists(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = cli(capsys, "chat", "write objects in bucket analytics-raw in sandbox for 2 hours")
    assert out.strip() == texts.ASK_JUSTIFICATION
    out, _ = cli(capsys, "chat", "ticket DATA-42")
    assert out.startswith("Here is what I'll ask for. Submit it for approval?")
    out, _ = cli(capsys, "chat", "submit")
    request_id = re.search(r"Submitted (AR-\w+)", out)[1]  # type: ignore[index]
    out, _ = cli(capsys, "requests", "list")
    assert re.search(rf"{request_id} +waiting for approval +sandbox +alice", out)
    _, err = cli(capsys, "requests", "approve", request_id, code=2)
    assert err == "accessbot: Only the security team can approve or deny requests.\n"
    out, _ = cli(capsys, "requests", "--as", "sam", "approve", request_id)
    assert out.startswith(f"Approved {request_id}: the policy is in place in sandbox")
    out, _ = cli(capsys, "requests", "show", request_id, "--json")
    shown = json.loads(out)["request"]
    assert shown["status"] == "ACTIVE"
    assert shown["policy_arn"] == f"arn:aws:iam::{SANDBOX}:policy/accessbot-{request_id}"
    iam = _seed_iam(bot())
    assert iam.get_policy(PolicyArn=shown["policy_arn"])["Policy"]["PolicyName"] == f"accessbot-{request_id}"
    attached = iam.list_attached_role_policies(RoleName="DataScientist")["AttachedPolicies"]
    assert shown["policy_arn"] in {p["PolicyArn"] for p in attached}
    out, _ = cli(capsys, "requests", "show", request_id)
    assert f"{request_id}: active" in out and re.search(r"sam +cli +approved", out)


def test_deny_and_what_people_are_told(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "chat", "--as", "bob", "read the app-logs bucket in dev for 1 hour because INC-7")
    out, _ = cli(capsys, "chat", "--as", "bob", "submit")
    request_id = re.search(r"Submitted (AR-\w+)", out)[1]  # type: ignore[index]
    out, _ = cli(capsys, "requests", "--as", "jo", "deny", request_id, "--reason", "use the log viewer")
    assert out.startswith(f"Denied {request_id}: use the log viewer")
    out, _ = cli(capsys, "requests", "--as", "bob", "list", "--status", "denied", "--json")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [request_id]
    _, err = cli(capsys, "requests", "--as", "sam", "show", "AR-NOPE2", code=2)
    assert err == "accessbot: There is no request AR-NOPE2.\n"
    _, err = cli(capsys, "requests", "--as", "mallory", "list", code=2)
    assert err == "accessbot: Unknown demo user. Pick one of: alice, bob, sam, jo.\n"
    _, err = cli(capsys, "chat", "--session", "bad id!", "help", code=2)
    assert err == "accessbot: The session id may use letters, digits, '-' and '_' (at most 64).\n"


def test_an_interactive_chat(home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("help\n\nwhat has NetworkAdminRole used\n"))
    out, _ = cli(capsys, "chat", "--as", "bob", "--session", "repl")
    assert out.startswith("you> " + texts.HELP) and "you> NetworkAdminRole in sandbox, last 90 days" in out
    assert re.search(r"Amazon EC2 +yesterday", out)


def test_url_and_its_variable_name_the_bot(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = bot().url
    out, _ = cli(capsys, "requests", "--url", url, "--as", "sam", "list", "--status", "active")
    assert "active" in out and "alice" in out
    monkeypatch.setenv("ACCESSBOT_URL", url)
    out, _ = cli(capsys, "chat", "--json", "status of AR-NOPE2")
    assert json.loads(out)["reply"] == "There is no request AR-NOPE2."
    dead = f"http://127.0.0.1:{free_port()}"
    _, err = cli(capsys, "chat", "--url", dead, "help", code=2)
    assert err.startswith(f"accessbot: Nothing answers at {dead} (")


def test_serve_stop_stops_the_background_bot(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pid = bot().pid
    out, _ = cli(capsys, "serve", "--stop")
    assert out == f"Stopped the local bot (pid {pid}).\n"
    assert not daemon._exists(pid) or not statedir.alive(pid)
    out, _ = cli(capsys, "serve", "--stop")
    assert out == "No local bot is running.\n"
