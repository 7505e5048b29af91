"""`accessbot validate DIR|FILES… [--jobs N]`: a sweep's table, JSON, exit codes and every unusable argument."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

GOOD = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}],
}
STAR = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _write(folder: Path, name: str, content: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    """good.json, nested/star.json, broken.json and a file that is not *.json (left out of the walk)."""
    folder = tmp_path / "policies"
    _write(folder, "good.json", GOOD)
    _write(folder, "nested/star.json", STAR)
    _write(folder, "broken.json", '{"Statement": [')
    _write(folder, "notes.txt", "not a policy")
    return folder


def test_a_directory_is_walked_and_summed_up(policies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(policies), "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split() == ["file", "decision", "findings"]
    assert [line.split(maxsplit=2) for line in lines[1:4]] == [
        [str(policies / "broken.json"), "REJECTED", "JSON_SYNTAX_ERROR"],
        [str(policies / "good.json"), "ALLOWED", "-"],
        [
            str(policies / "nested" / "star.json"),
            "REJECTED",
            "STAR_ACTION_ON_STAR_RESOURCE, PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE, "
            "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        ],
    ]
    assert [line.split() for line in lines[5:10]] == [
        ["code", "severity", "count", "files"],
        ["JSON_SYNTAX_ERROR", "error", "1", "1"],
        ["STAR_ACTION_ON_STAR_RESOURCE", "error", "1", "1"],
        ["PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", "security_warning", "1", "1"],
        ["CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", "warning", "1", "1"],
    ]
    assert lines[-1] == "3 files for sandbox accounts: 1 allowed, 2 rejected."
    assert captured.err == ""  # no progress bar outside a terminal


def test_all_allowed_exits_0_and_repeats_show_a_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:getobject"], "Resource": "arn:aws:s3:::bucket/*"}
            for _ in range(2)
        ],
    }
    files = [str(_write(tmp_path, "a.json", GOOD)), str(_write(tmp_path, "b.json", twice))]
    assert main(["validate", *files, "--account-type", "dev", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert f"{files[1]}  ALLOWED   REDUNDANT_ACTION ×2" in out
    assert out.endswith("2 files for dev accounts: 2 allowed, 0 rejected.\n")


def test_json_is_a_list_of_todays_single_file_results(policies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(policies / "good.json"), "--json"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert main(["validate", str(policies), "--json", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    results = json.loads(out)
    assert len(out.splitlines()) == len(results) + 2  # "[", one result per line, "]"
    assert [r["file"] for r in results] == [str(policies / p) for p in ("broken.json", "good.json", "nested/star.json")]
    assert all(set(r) == {"file", "decision", "findings", "policy"} for r in results)
    assert {k: v for k, v in results[1].items() if k != "file"} == single
    assert results[0]["policy"] is None and results[0]["decision"] == "reject"


def test_two_processes_give_the_same_results(policies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(40):
        _write(policies, f"many/p{index:02}.json", GOOD if index % 3 else STAR)
    assert main(["validate", str(policies), "--json", "--jobs", "1"]) == 1
    alone = json.loads(capsys.readouterr().out)
    assert main(["validate", str(policies), "--json", "--jobs", "2"]) == 1
    assert json.loads(capsys.readouterr().out) == alone
    assert len(alone) == 43


def test_an_unreadable_file_is_a_rejected_row(
    policies: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = policies / "good.json"
    opened = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert main(["validate", str(policies), "--json", "--jobs", "1"]) == 1
    row = next(r for r in json.loads(capsys.readouterr().out) if r["file"] == str(locked))
    assert row == {
        "file": str(locked),
        "decision": "reject",
        "findings": [
            {
                "code": "UNREADABLE_FILE",
                "severity": "error",
                "message": f"cannot read {locked} (Permission denied)",
                "blocking": False,
            }
        ],
        "policy": None,
    }


def test_a_file_over_the_read_limit_is_a_rejected_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = _write(tmp_path, "big.json", "{" + " " * (5 * 1024 * 1024))
    good = _write(tmp_path, "good.json", GOOD)
    assert main(["validate", str(big), str(good), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"{big}   REJECTED  UNREADABLE_FILE" in out
    assert main(["validate", str(big), str(good), "--json", "--jobs", "1"]) == 1
    [finding] = json.loads(capsys.readouterr().out)[0]["findings"]
    assert finding["message"] == f"{big} is larger than 5242880 bytes"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["{dir}", "{dir}/absent.json"], "accessbot: cannot read {dir}/absent.json (No such file or directory)\n"),
        (["{dir}/empty"], "accessbot: nothing to validate: no *.json file in {dir}/empty\n"),
        (
            ["{dir}/empty", "{dir}/empty"],
            "accessbot: nothing to validate: no *.json file in {dir}/empty, {dir}/empty\n",
        ),
        (["{dir}", "-"], "accessbot: - (standard input) is validated on its own, not with other files\n"),
        (["{dir}", "--aws"], "accessbot: --aws asks Access Analyzer about one file at a time, not a sweep\n"),
        (["{dir}", "--jobs", "0"], "accessbot: --jobs must be a whole number of at least 1\n"),
        (["{dir}/good.json", "--jobs", "-2"], "accessbot: --jobs must be a whole number of at least 1\n"),
    ],
)
def test_unusable_arguments_exit_2_with_one_line(
    policies: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (policies / "empty").mkdir()
    assert main(["validate", *(a.format(dir=policies) for a in arguments)]) == 2
    captured = capsys.readouterr()
    assert (captured.err, captured.out) == (message.format(dir=policies), "")


def test_jobs_must_be_a_number(policies: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["validate", str(policies), "--jobs", "two"])
    assert raised.value.code == 2
    assert "argument --jobs: invalid int value: 'two'" in capsys.readouterr().err
