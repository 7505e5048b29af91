"""`accessbot generate --request`: decision, summary and policy; every bad-input message."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.cli import main

S3_READ = {
    "account": "sandbox",
    "grants": [{"service": "s3", "access_levels": ["Read"], "resources": ["analytics-raw"]}],
}


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "request.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_human_output_decision_summary_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--request", _write(tmp_path, S3_READ)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOWED for sandbox accounts")
    assert out.index("Read objects in bucket analytics-raw") < out.index('"Version": "2012-10-17"')


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--request", _write(tmp_path, S3_READ), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"request", "policy", "findings", "decision"}
    assert result["decision"] == "allow"
    sids = [s.get("Sid") for s in result["policy"]["Statement"]]
    assert "S3ReadAnalyticsRawObjects" in sids and any(s and s.startswith("CentralDeny") for s in sids)


def test_the_generated_policy_carries_the_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--request", _write(tmp_path, S3_READ), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["policy"]["Version"] == "2012-10-17"
    assert "MISSING_VERSION" not in [f["code"] for f in result["findings"]]


def test_a_generated_policy_without_version_gets_one_from_the_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.domain import writer

    original = writer.write_policy_with_notes

    def without_version(*args: Any, **kwargs: Any) -> Any:
        written = original(*args, **kwargs)
        document = {k: v for k, v in written.document.items() if k != "Version"}
        return SimpleNamespace(document=document, notes=written.notes)

    monkeypatch.setattr(writer, "write_policy_with_notes", without_version)
    assert main(["generate", "--request", _write(tmp_path, S3_READ), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["policy"])[:2] == ["Version", "Statement"]
    assert result["policy"]["Version"] == "2012-10-17"
    [finding] = [f for f in result["findings"] if f["code"] == "MISSING_VERSION"]
    assert finding["message"].endswith(': added "Version": "2012-10-17".')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{bad", "accessbot: the request is not valid JSON (line 1, column 2"),
        ({"account": "sandbox", "grantz": []}, "accessbot: the request is not usable: grantz: unknown key"),
        (
            {"account": "sandbox", "grants": [{"service": "s3", "actions": ["GetObjekt"], "resources": ["b"]}]},
            "accessbot: s3 has no action 'GetObjekt'. Did you mean GetObject?",
        ),
    ],
)
def test_bad_requests_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, message: str) -> None:
    assert main(["generate", "--request", _write(tmp_path, data)]) == 2
    assert message in capsys.readouterr().err


def test_nothing_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 2
    assert "give the request in words, or as JSON with --request FILE|-" in capsys.readouterr().err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--request", "/nonexistent/request.json"]) == 2
    assert "cannot read /nonexistent/request.json" in capsys.readouterr().err


def test_plain_words_use_the_embedded_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "can I get read on the analytics-raw bucket in sandbox for a day", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"request", "policy", "findings", "decision"}
    request = result["request"]
    assert (request["account"], request["duration"], result["decision"]) == ("sandbox", "P1D", "allow")
    first = result["policy"]["Statement"][0]
    assert first["Sid"] == "S3ReadAnalyticsRawObjects"
    assert first["Resource"] == ["arn:aws:s3:::analytics-raw/*"]
    assert set(first["Condition"]["DateLessThan"]) == {"aws:CurrentTime"}  # temporary access is bounded


def test_account_option_overrides_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "read the orders table in sandbox", "--account", "dev", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["request"]["account"] == "dev"
    assert ":234567890123:table/orders" in json.dumps(result["policy"])


def test_refused_words_are_a_rejection_that_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    from intents import texts

    assert main(["generate", "give me admin access in sandbox", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert (result["decision"], result["request"], result["policy"]) == ("reject", None, None)
    [finding] = result["findings"]
    assert (finding["code"], finding["severity"]) == ("REQUEST_REFUSED", "error")
    assert finding["message"] == texts.REFUSE_BROAD.format(what="'admin access'")


def test_incomplete_words_say_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "read the orders table"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("REJECTED: no policy written\n")
    assert "  [REQUEST_REFUSED] Which account is it for? (sandbox (123456789012)" in out
    assert out.rstrip().endswith("use --account)")


def test_words_and_request_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "read the orders table", "--request", _write(tmp_path, S3_READ)]) == 2
    assert capsys.readouterr().err == "accessbot: give the request in words or with --request, not both\n"


def test_request_too_big(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--request", _write(tmp_path, " " * (256 * 1024 + 1))]) == 2
    assert capsys.readouterr().err == "accessbot: the request is larger than 262144 bytes\n"


def test_request_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "request.json"
    path.write_bytes(b'{"account": "\xff"}')
    assert main(["generate", "--request", str(path)]) == 2
    assert capsys.readouterr().err == "accessbot: the request is not valid JSON (line 1, column 1: not UTF-8)\n"
