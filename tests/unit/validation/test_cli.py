"""`accessbot validate`: exit codes, human and JSON output, bad arguments."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main

GOOD = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}],
}
STAR = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _file(tmp_path: Path, content: object, name: str = "policy.json") -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_allowed_exits_0_and_prints_the_decision_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _file(tmp_path, GOOD)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOWED for sandbox accounts\nNo findings.")
    assert out.index("Final policy (central deny statements appended):") > 0
    assert '"CentralDenyNonBurstableInstances"' in out


def test_rejected_exits_1_with_grouped_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _file(tmp_path, STAR), "--account-type", "prod"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("REJECTED for prod accounts")
    assert "Errors (1):\n  [STAR_ACTION_ON_STAR_RESOURCE] (statement 0, *) Policy creation request rejected: " in out
    assert "      fix: Name the actions and the resources you need." in out
    assert out.index("Errors") < out.index("Security warnings") < out.index("Final policy")


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _file(tmp_path, STAR), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["decision"] == "reject"
    assert data["findings"][0]["code"] == "STAR_ACTION_ON_STAR_RESOURCE"
    assert {"code", "severity", "message", "statement", "action"} <= set(data["findings"][0])
    assert data["policy"]["Statement"][-1]["Sid"] == "CentralDenyNonBurstableInstances"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(GOOD).encode())))
    assert main(["validate", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["decision"] == "allow"


def test_not_json_is_a_rejection_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _file(tmp_path, "{not json")]) == 1
    out = capsys.readouterr().out
    assert "[JSON_SYNTAX_ERROR] The policy is not valid JSON: Expecting property name enclosed in double quotes" in out
    assert "No final policy: the input is not a usable policy document." in out


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["validate", str(missing)]) == 2
    assert capsys.readouterr().err == f"accessbot: cannot read {missing} (No such file or directory)\n"


def test_a_directory_without_policies_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 2  # a directory is a sweep (test_cli_batch.py)
    assert capsys.readouterr().err == f"accessbot: nothing to validate: no *.json file in {tmp_path}\n"


def test_bad_rules_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _file(tmp_path, "version: 1\naccount_types:\n  sandbox:\n    approvals_required: many\n", "rules.yml")
    assert main(["validate", _file(tmp_path, GOOD), "--rules", rules]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"accessbot: rules file {rules}:4: account_types.sandbox.approvals_required:")
    assert err.count("\n") == 1


def test_unknown_account_type_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", _file(tmp_path, GOOD), "--account-type", "staging"])
    assert exit_.value.code == 2
    assert "invalid choice: 'staging'" in capsys.readouterr().err


def test_aws_second_opinion_is_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.domain.models import Finding, Severity

    seen: list[str] = []

    def fake(document: str, *, client: object = None) -> list[Finding]:
        seen.append(document)
        return [Finding(code="INVALID_SERVICE_PRINCIPAL_FORMAT", severity=Severity.ERROR, message="Access Analyzer: x")]

    monkeypatch.setattr("bot.aws.analyzer.access_analyzer_findings", fake)
    assert main(["validate", _file(tmp_path, GOOD), "--aws", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(seen[0]) == GOOD
    assert [f["code"] for f in json.loads(captured.out)["findings"]] == ["INVALID_SERVICE_PRINCIPAL_FORMAT"]
    assert captured.err == "Access Analyzer second opinion merged (1 findings from AWS).\n"


def test_aws_failure_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.errors import RetryLater

    def failing(document: str, *, client: object = None) -> list[object]:
        raise RetryLater("Access Analyzer could not validate the policy (ThrottlingException); try again later")

    monkeypatch.setattr("bot.aws.analyzer.access_analyzer_findings", failing)
    assert main(["validate", _file(tmp_path, GOOD), "--aws"]) == 2
    assert "accessbot: Access Analyzer could not validate the policy" in capsys.readouterr().err


def test_file_over_the_read_limit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, "{" + " " * (5 * 1024 * 1024))
    assert main(["validate", path]) == 2
    assert capsys.readouterr().err == f"accessbot: {path} is larger than 5242880 bytes\n"


def test_five_megabyte_document_is_a_rejection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", _file(tmp_path, '{"Statement": "' + "a" * 5_000_000 + '"}')]) == 1
    assert "[POLICY_TOO_LARGE_TO_READ] The policy text is 5000017 characters; AccessBot reads at most 262144." in (
        capsys.readouterr().out
    )


def test_invalid_utf8_is_a_rejection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "policy.json"
    path.write_bytes(b'{"Version": "\xff"}')
    assert main(["validate", str(path), "--json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["code"], finding["message"]) == ("INVALID_ENCODING", "The policy is not valid UTF-8 text.")


def test_a_pasted_policy_without_version_gets_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = json.dumps({"Statement": GOOD["Statement"]})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(pasted.encode())))
    assert main(["validate", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOWED for sandbox accounts\n\nSuggestions (1):\n  [MISSING_VERSION] The policy has no")
    assert ': added "Version": "2012-10-17".' in out
    assert '{\n  "Version": "2012-10-17",\n  "Statement": [' in out


def test_a_pasted_old_version_is_changed_in_the_json_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = json.dumps({**GOOD, "Version": "2008-10-17"})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(pasted.encode())))
    assert main(["validate", "-", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("OLD_VERSION", "suggestion")]
    assert data["policy"]["Version"] == "2012-10-17"
