"""The central rules file: shipped defaults, and file:line errors for mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.models import Severity
from bot.domain.rules import load_rules
from bot.errors import ConfigurationError

MINIMAL = """version: 1
account_types:
  sandbox: {}
  dev: {}
  test: {}
  prod: {}
"""


def _load(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rules.yml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as error:
        load_rules(path)
    return str(error.value)


def test_the_shipped_rules() -> None:
    rules = load_rules()
    sandbox, prod = rules.for_type("sandbox"), rules.for_type("prod")
    assert set(sandbox.block_severities) == {Severity.ERROR, Severity.SECURITY_WARNING}
    assert "arn:aws:lambda:*:*:function:security-*" in sandbox.protected_resources
    assert "arn:aws:events:*:*:rule/accessbot-*" in prod.protected_resources
    assert sandbox.allowed_instance_types == ("t2.*", "t3.*")
    assert "iam:DeleteRolePermissionsBoundary" in prod.forbidden_actions
    assert prod.allowed_regions == ("us-east-1", "eu-west-1")
    assert (sandbox.approvals_required, prod.approvals_required) == (1, 2)
    assert prod.permissions_boundary == "arn:aws:iam::${AccountId}:policy/accessbot-boundary"


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    path.write_text(MINIMAL)
    assert load_rules(path).for_type("dev").approvals_required == 1


def test_unknown_key_names_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace("  dev: {}", "  dev:\n    allowed_regionz: [eu-west-1]")
    message = _load(tmp_path, text)
    assert message.startswith(f"rules file {tmp_path / 'rules.yml'}:5: account_types.dev.allowed_regionz: ")
    assert "Extra inputs are not permitted" in message


def test_bad_value_names_its_line(tmp_path: Path) -> None:
    text = MINIMAL.replace("  prod: {}", "  prod:\n    approvals_required: 9")
    assert ":7: account_types.prod.approvals_required: Input should be less than or equal to 5" in _load(tmp_path, text)


def test_missing_account_type(tmp_path: Path) -> None:
    message = _load(tmp_path, MINIMAL.replace("  test: {}\n", ""))
    assert "rules for account types missing: test" in message


def test_central_deny_must_deny(tmp_path: Path) -> None:
    text = MINIMAL.replace("  test: {}", "  test:\n    central_deny:\n      - {Sid: X, Effect: Allow, Action: '*'}")
    assert "central_deny[0] must have Effect: Deny" in _load(tmp_path, text)


def test_not_yaml(tmp_path: Path) -> None:
    message = _load(tmp_path, "version: 1\naccount_types: [unclosed\n")
    assert message.startswith(f"rules file {tmp_path / 'rules.yml'}:3: not valid YAML")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read it"):
        load_rules(tmp_path / "absent.yml")
