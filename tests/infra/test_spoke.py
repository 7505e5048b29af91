"""infra/spoke-account.yml: the role the bot assumes in target accounts, and the boundary policy
rendered from the central rules (one copy of the deny statements: bot/domain/default_rules.yml)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from bot.domain.rules import load_rules
from tests.infra.policy_eval import as_list, condition_values

ROOT = Path(__file__).resolve().parents[2]
SPOKE = ROOT / "infra" / "spoke-account.yml"
PREFIX = {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/accessbot-*"}
BOUNDARY = {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/accessbot-boundary"}


def _renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_boundary", ROOT / "infra" / "render_boundary.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spoke() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPOKE.read_text(encoding="utf-8"))
    return data


def _statements(spoke: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (policy,) = spoke["Resources"]["SpokeRole"]["Properties"]["Policies"]
    return {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}


def test_boundary_matches_the_central_rules() -> None:
    template = SPOKE.read_text(encoding="utf-8")
    assert _renderer().render(template, load_rules()) == template, "run: python infra/render_boundary.py --write"


def test_a_changed_rule_is_caught_as_drift(tmp_path: Path) -> None:
    rules_text = (ROOT / "bot" / "domain" / "default_rules.yml").read_text(encoding="utf-8")
    changed = tmp_path / "rules.yml"
    changed.write_text(rules_text.replace('"t2.*", "t3.*"]', '"t3.*"]'), encoding="utf-8")
    template = SPOKE.read_text(encoding="utf-8")
    assert _renderer().render(template, load_rules(changed)) != template


def test_check_mode_fails_on_drift_and_write_repairs_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    renderer = _renderer()
    copy = tmp_path / "spoke-account.yml"
    copy.write_text(SPOKE.read_text(encoding="utf-8").replace("- t2.*\n", ""), encoding="utf-8")
    renderer.SPOKE_TEMPLATE = copy  # type: ignore[attr-defined]
    assert renderer.main([]) == 1
    assert "out of date: run infra/render_boundary.py --write" in capsys.readouterr().err
    assert renderer.main(["--write"]) == 0
    assert renderer.main([]) == 0
    assert copy.read_text(encoding="utf-8") == SPOKE.read_text(encoding="utf-8")


def test_each_account_type_gets_its_own_deny_statements(spoke: dict[str, Any]) -> None:
    rules = load_rules()
    for kind, account_rules in rules.account_types.items():
        name = f"Boundary{kind.capitalize()}"
        policy = spoke["Resources"][name]
        assert policy["Properties"]["ManagedPolicyName"] == "accessbot-boundary"
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert statements[0] == {"Sid": "BoundaryCeiling", "Effect": "Allow", "Action": "*", "Resource": "*"}
        assert statements[1:] == [dict(s) for s in account_rules.central_deny]
        created = condition_values(spoke, {"AccountType": kind, "SecurityAccountId": "111111111111"})
        assert created[policy["Condition"]] is True
        others = [r["Condition"] for n, r in spoke["Resources"].items() if n.startswith("Boundary") and n != name]
        assert not any(created[c] for c in others), "exactly one boundary per account"
    assert spoke["Parameters"]["AccountType"]["AllowedValues"] == list(rules.account_types)


def test_no_boundary_when_switched_off(spoke: dict[str, Any]) -> None:
    created = condition_values(spoke, {"CreateBoundary": "false", "AccountType": "prod"})
    assert not any(v for k, v in created.items() if k.startswith("BoundaryFor"))


def test_prod_rules_require_the_boundary_this_template_creates() -> None:
    boundary = load_rules().for_type("prod").permissions_boundary
    assert boundary == "arn:aws:iam::${AccountId}:policy/accessbot-boundary"


def test_trust_is_the_bots_roles_with_external_id(spoke: dict[str, Any]) -> None:
    (trust,) = spoke["Resources"]["SpokeRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${SecurityAccountId}:root"}}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"] == {
        "StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}},
        "ArnEquals": {"aws:PrincipalArn": {"Ref": "BotRoleArns"}},
    }
    assert spoke["Parameters"]["ExternalId"]["NoEcho"] is True


def test_policy_writes_only_under_the_accessbot_prefix(spoke: dict[str, Any]) -> None:
    statements = _statements(spoke)
    manage = statements["ManageAccessBotPolicies"]
    assert manage["Resource"] == PREFIX
    assert {"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:TagPolicy"} <= set(manage["Action"])
    attach = statements["AttachOnlyAccessBotPolicies"]
    assert attach["Condition"] == {"ArnLike": {"iam:PolicyARN": PREFIX}}
    # Every IAM write the role has is one of these two statements.
    writes = {"Create", "Delete", "Attach", "Detach", "Tag", "Untag", "Put", "Update", "Set", "Add", "Remove"}
    for sid, statement in statements.items():
        if statement["Effect"] == "Allow" and sid not in {"ManageAccessBotPolicies", "AttachOnlyAccessBotPolicies"}:
            verbs = {re.match(r"iam:([A-Z][a-z]+)", a).group(1) for a in as_list(statement["Action"])}  # type: ignore[union-attr]
            assert not verbs & writes, sid


def test_the_boundary_can_be_neither_granted_nor_edited(spoke: dict[str, Any]) -> None:
    statements = _statements(spoke)
    attach = statements["NeverAttachTheBoundary"]
    assert attach["Effect"] == "Deny"
    assert set(attach["Action"]) == {"iam:AttachRolePolicy", "iam:AttachUserPolicy"}
    assert attach["Condition"] == {"ArnEquals": {"iam:PolicyARN": BOUNDARY}}
    edit = statements["BoundaryIsReadOnly"]
    assert edit["Effect"] == "Deny"
    assert edit["Resource"] == BOUNDARY
    assert "iam:CreatePolicyVersion" in edit["Action"]
    itself = statements["NeverItself"]
    assert itself["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${SpokeRoleName}"}


def test_star_resource_only_for_actions_without_resource_type(spoke: dict[str, Any]) -> None:
    no_resource_type = {
        "iam:GetServiceLastAccessedDetails",
        "iam:GetServiceLastAccessedDetailsWithEntities",
        "iam:ListRoles",
    }
    for statement in _statements(spoke).values():
        if statement["Effect"] == "Allow" and statement["Resource"] == "*":
            assert set(statement["Action"]) <= no_resource_type


def test_no_account_specific_literals_for_stacksets() -> None:
    text = SPOKE.read_text(encoding="utf-8")
    assert not re.search(r"\b\d{12}\b", text)
    assert "arn:aws:" not in text.replace("arn:aws:iam::*:", "").replace("arn:aws:lambda:*:*:", "").replace(
        "arn:aws:events:*:*:", ""
    ).replace("arn:aws:ec2:*:*:", ""), "use ${AWS::Partition} and ${AWS::AccountId}, except in the rendered rules"
