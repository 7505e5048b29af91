"""The configuration files a deploy packages: the example account registry and the default rules."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.domain.accounts import DEFAULT_SPOKE_ROLE, load_registry
from bot.domain.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]


def _ci_params() -> dict[str, str]:
    params: dict[str, str] = yaml.safe_load((ROOT / "serverless.yml").read_text(encoding="utf-8"))["params"]["ci"]
    return params


def test_example_registry_loads_and_uses_the_spoke_role() -> None:
    registry = load_registry(ROOT / _ci_params()["accountsFile"])
    assert {a.type for a in registry.accounts} >= {"sandbox", "prod"}
    assert all(a.role_arn.endswith(f":role/{DEFAULT_SPOKE_ROLE}") for a in registry.accounts)


def test_packaged_rules_file_is_the_shipped_one() -> None:
    defaults = yaml.safe_load((ROOT / "serverless.yml").read_text(encoding="utf-8"))["params"]["default"]
    assert load_rules(ROOT / defaults["rulesFile"]) == load_rules()
