"""The roles allow exactly what the code calls: read from the adapters' source, checked against the policies.

A new AWS call in bot/aws/ fails here until the role that makes it may, and a permission nothing
calls any more fails here until it is removed (least privilege both ways).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.infra.policy_eval import as_list, iam_decision, substitute

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
POLICY = f"arn:aws:iam::{ACCOUNT}:policy/accessbot-AR-7F3K2"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/DataScientist"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
GROUP = f"arn:aws:iam::{ACCOUNT}:group/analysts"
SPOKE_VALUES = {"AWS::Partition": "aws", "AWS::AccountId": ACCOUNT, "SpokeRoleName": "central-account-role"}


def _source(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def _action(service: str, operation: str) -> str:
    return f"{service}:" + "".join(part.title() for part in operation.split("_"))


# ---- the bot's own roles (generated template) ------------------------------------------------

TRANSACT_ITEMS = {
    "Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem",
}


def store_actions() -> set[str]:
    """IAM actions of bot/aws/store.py's calls; a transaction is authorised per item it holds."""
    source = _source("bot/aws/store.py")
    operations = set(re.findall(r'_call\("([a-z_]+)"', source))
    assert operations, "bot/aws/store.py makes its DynamoDB calls through _call(...)"
    actions = {_action("dynamodb", op) for op in operations - {"transact_write_items"}}
    if "transact_write_items" in operations:
        kinds = set(re.findall(r'\{"(Put|Update|Delete|ConditionCheck)": ', source))
        actions |= {f"dynamodb:{TRANSACT_ITEMS[k]}" for k in kinds}
    return actions


def scheduler_actions() -> set[str]:
    operations = set(re.findall(r"self\.client\.([a-z_]+)\(", _source("bot/aws/scheduler.py")))
    return {_action("scheduler", op) for op in operations}


@pytest.mark.infra
@pytest.mark.parametrize("role", ["ApiRole", "LexHookRole", "WorkerRole", "ExpiryRole"])
def test_table_actions_are_exactly_the_stores_calls(resources: dict[str, Any], role: str) -> None:
    from tests.infra.test_iam import actions_of

    granted = {a for a in actions_of(resources, role) if a.startswith("dynamodb:")}
    assert granted == store_actions()
    assert "dynamodb:TransactWriteItems" not in granted  # not an IAM action


@pytest.mark.infra
@pytest.mark.parametrize("role", ["ApiRole", "LexHookRole", "WorkerRole", "ExpiryRole"])
def test_schedule_actions_are_exactly_the_schedulers_calls(resources: dict[str, Any], role: str) -> None:
    from tests.infra.test_iam import actions_of

    granted = {a for a in actions_of(resources, role) if a.startswith("scheduler:")}
    assert granted == scheduler_actions() == {
        "scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
    }  # fmt: skip
    assert '"RoleArn": self.role_arn' in _source("bot/aws/scheduler.py")  # hence iam:PassRole (test_iam.py)
    assert "iam:PassRole" in actions_of(resources, role)


@pytest.mark.infra
def test_fronts_invoke_the_worker_and_the_workers_assume_the_spoke(resources: dict[str, Any]) -> None:
    from tests.infra.test_iam import actions_of

    assert "self.client.invoke(" in _source("bot/aws/jobs.py")
    for role in ("ApiRole", "LexHookRole"):
        assert "lambda:InvokeFunction" in actions_of(resources, role)
    assert "sts.assume_role(" in _source("bot/aws/sessions.py")
    for role in ("WorkerRole", "ExpiryRole"):
        assert "sts:AssumeRole" in actions_of(resources, role)


# ---- the spoke role (infra/spoke-account.yml) -------------------------------------------------

def provisioner_calls() -> set[str]:
    """IAM actions of bot/aws/provisioner.py, with the role/user variants of its f-string calls."""
    source = _source("bot/aws/provisioner.py")
    plain = set(re.findall(r'_call\(iam, account, "([a-z_]+)"', source))
    templated = set(re.findall(r'_call\(iam, account, f"([a-z_]*)\{kind\}([a-z_]*)"', source))
    operations = plain | {f"{a}{kind}{b}" for a, b in templated for kind in ("role", "user")}
    actions = {_action("iam", op) for op in operations}
    if "create_policy" in operations and "Tags=tags" in source:
        actions.add("iam:TagPolicy")  # CreatePolicy with Tags is also authorised as iam:TagPolicy
    return actions


def advisor_calls() -> set[str]:
    source = _source("bot/aws/advisor.py")
    operations = set(re.findall(r'call_iam\(calls, "([a-z_]+)"', source))
    operations |= set(re.findall(r'"(list_policies_granting_service_access)"', source))
    # Trim's reads of a principal's policies (every quoted IAM operation name in the module).
    operations |= set(re.findall(r'"((?:list|get)_[a-z_]+)"', _source("bot/aws/documents.py")))
    return {_action("iam", op) for op in operations}


#: One representative call per action: (resource, request context).
SPOKE_CALLS: dict[str, tuple[str, dict[str, str]]] = {
    "iam:CreatePolicy": (POLICY, {}),
    "iam:TagPolicy": (POLICY, {}),
    "iam:GetPolicy": (POLICY, {}),
    "iam:GetPolicyVersion": (POLICY, {}),
    "iam:CreatePolicyVersion": (POLICY, {}),
    "iam:ListPolicyVersions": (POLICY, {}),
    "iam:DeletePolicyVersion": (POLICY, {}),
    "iam:DeletePolicy": (POLICY, {}),
    "iam:ListEntitiesForPolicy": (POLICY, {}),
    "iam:AttachRolePolicy": (ROLE, {"iam:PolicyARN": POLICY}),
    "iam:DetachRolePolicy": (ROLE, {"iam:PolicyARN": POLICY}),
    "iam:AttachUserPolicy": (USER, {"iam:PolicyARN": POLICY}),
    "iam:DetachUserPolicy": (USER, {"iam:PolicyARN": POLICY}),
    "iam:GetRole": (ROLE, {}),
    "iam:GetUser": (USER, {}),
    # access advisor (usage reports)
    "iam:GenerateServiceLastAccessedDetails": (ROLE, {}),
    "iam:GetServiceLastAccessedDetails": ("*", {}),
    "iam:GetServiceLastAccessedDetailsWithEntities": ("*", {}),
    "iam:ListPoliciesGrantingServiceAccess": (ROLE, {}),
    "iam:ListRoles": ("*", {}),
    # trim: what a principal holds
    "iam:ListAttachedRolePolicies": (ROLE, {}),
    "iam:ListAttachedUserPolicies": (USER, {}),
    "iam:ListAttachedGroupPolicies": (GROUP, {}),
    "iam:ListRolePolicies": (ROLE, {}),
    "iam:GetRolePolicy": (ROLE, {}),
    "iam:ListUserPolicies": (USER, {}),
    "iam:GetUserPolicy": (USER, {}),
    "iam:ListGroupPolicies": (GROUP, {}),
    "iam:GetGroupPolicy": (GROUP, {}),
}


@pytest.fixture(scope="module")
def spoke_statements() -> list[dict[str, Any]]:
    spoke = yaml.safe_load((ROOT / "infra" / "spoke-account.yml").read_text(encoding="utf-8"))
    (policy,) = spoke["Resources"]["SpokeRole"]["Properties"]["Policies"]
    statements: list[dict[str, Any]] = substitute(as_list(policy["PolicyDocument"]["Statement"]), SPOKE_VALUES)
    return statements


def test_the_table_names_every_call_the_code_makes() -> None:
    assert provisioner_calls() | advisor_calls() <= set(SPOKE_CALLS), "add the new call to SPOKE_CALLS"
    assert {"iam:CreatePolicy", "iam:TagPolicy", "iam:ListEntitiesForPolicy", "iam:GetUser"} <= provisioner_calls()


@pytest.mark.parametrize("action", sorted(SPOKE_CALLS))
def test_the_spoke_role_allows_each_call(spoke_statements: list[dict[str, Any]], action: str) -> None:
    resource, context = SPOKE_CALLS[action]
    assert iam_decision(spoke_statements, action, resource, context) == "allow"


@pytest.mark.parametrize(
    ("action", "resource", "context"),
    [
        ("iam:CreatePolicy", f"arn:aws:iam::{ACCOUNT}:policy/Admin", {}),
        ("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/security-audit", {}),
        ("iam:AttachRolePolicy", ROLE, {"iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        ("iam:AttachUserPolicy", USER, {"iam:PolicyARN": f"arn:aws:iam::{ACCOUNT}:policy/Admin"}),
        ("iam:AttachRolePolicy", ROLE, {"iam:PolicyARN": f"arn:aws:iam::{ACCOUNT}:policy/accessbot-boundary"}),
        ("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/accessbot-boundary", {}),
        ("iam:DeletePolicy", f"arn:aws:iam::{ACCOUNT}:policy/accessbot-boundary", {}),
        ("iam:AttachRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/central-account-role", {"iam:PolicyARN": POLICY}),
        ("iam:PutRolePolicy", ROLE, {}),
        ("iam:UpdateAssumeRolePolicy", ROLE, {}),
        ("iam:CreateRole", ROLE, {}),
    ],
)
def test_the_spoke_role_refuses_everything_else(
    spoke_statements: list[dict[str, Any]], action: str, resource: str, context: dict[str, str]
) -> None:
    assert iam_decision(spoke_statements, action, resource, context) == "deny"
