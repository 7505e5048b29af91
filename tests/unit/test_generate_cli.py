"""`accessbot generate --request`: decision, summary and policy; every bad-input message."""

from __future__ import annotations

import json
from pathlib import Path

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
