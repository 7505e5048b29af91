"""The bot's own roles: least privilege, statement by statement."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.policy_eval import as_list

pytestmark = pytest.mark.infra

# Actions with no resource type: IAM only accepts "*" for them (X-Ray's write API).
STAR_ONLY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
FUNCTION_ROLES = ("ApiRole", "LexHookRole", "WorkerRole", "ExpiryRole")
BOT_ROLES = (*FUNCTION_ROLES, "SchedulerRole", "LexBotRole", "DotBotVerifyRole")


def _managed(resources: dict[str, Any], ref: Any) -> dict[str, Any] | None:
    if isinstance(ref, dict) and ref.get("Ref") in resources:
        policy: dict[str, Any] = resources[ref["Ref"]]["Properties"]["PolicyDocument"]
        return policy
    return None


def statements_of(resources: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """Every permission statement of a role: inline policies and our customer-managed ones."""
    props = resources[role]["Properties"]
    documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
    documents += [d for d in (_managed(resources, ref) for ref in props.get("ManagedPolicyArns", [])) if d]
    return [s for d in documents for s in as_list(d["Statement"])]


def actions_of(resources: dict[str, Any], role: str) -> set[str]:
    return {a for s in statements_of(resources, role) if s["Effect"] == "Allow" for a in as_list(s["Action"])}


def statement_for(resources: dict[str, Any], role: str, action: str) -> list[dict[str, Any]]:
    return [s for s in statements_of(resources, role) if action in as_list(s["Action"])]


@pytest.mark.parametrize("role", BOT_ROLES)
def test_no_star_action_and_star_resource_only_where_iam_requires_it(resources: dict[str, Any], role: str) -> None:
    for statement in statements_of(resources, role):
        actions = as_list(statement["Action"])
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), statement
        if "*" in as_list(statement["Resource"]):
            assert set(actions) <= STAR_ONLY, f"{role}: {statement.get('Sid')} uses Resource '*'"


@pytest.mark.parametrize("role", BOT_ROLES)
def test_managed_policies_are_ours_except_lex_read_only(resources: dict[str, Any], role: str) -> None:
    for ref in resources[role]["Properties"].get("ManagedPolicyArns", []):
        if _managed(resources, ref) is None:
            assert role == "DotBotVerifyRole"
            assert ref == {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonLexReadOnly"}


@pytest.mark.parametrize("role", FUNCTION_ROLES)
def test_functions_trust_only_lambda(resources: dict[str, Any], role: str) -> None:
    (trust,) = resources[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"


def test_only_worker_and_expiry_assume_the_spoke_role(resources: dict[str, Any]) -> None:
    assuming = [role for role in FUNCTION_ROLES if "sts:AssumeRole" in actions_of(resources, role)]
    assert assuming == ["WorkerRole", "ExpiryRole"]
    (statement,) = statement_for(resources, "WorkerRole", "sts:AssumeRole")
    assert statement["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:iam::*:role/central-account-role"}
    assert statement["Condition"] == {
        "Fn::If": ["HasOrgId", {"StringEquals": {"aws:ResourceOrgID": {"Ref": "OrgId"}}}, {"Ref": "AWS::NoValue"}]
    }


def test_api_invokes_only_itself_and_the_worker(resources: dict[str, Any]) -> None:
    (statement,) = statement_for(resources, "ApiRole", "lambda:InvokeFunction")
    targets = [r["Fn::Sub"].rsplit(":", 1)[1] for r in statement["Resource"]]
    assert targets == ["accessbot-ci-api", "accessbot-ci-worker"]
    (lex,) = statement_for(resources, "LexHookRole", "lambda:InvokeFunction")
    assert lex["Resource"]["Fn::Sub"].endswith("function:accessbot-ci-worker")
    assert "lambda:InvokeFunction" not in actions_of(resources, "WorkerRole") | actions_of(resources, "ExpiryRole")


@pytest.mark.parametrize("role", FUNCTION_ROLES)
def test_table_items_only_on_the_table_and_its_indexes(resources: dict[str, Any], role: str) -> None:
    dynamo = [s for s in statements_of(resources, role) if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    (statement,) = dynamo
    assert statement["Resource"] == [
        {"Fn::GetAtt": ["AccessBotTable", "Arn"]},
        {"Fn::Sub": "${AccessBotTable.Arn}/index/*"},
    ]
    # Item actions only: no table management, no scans of everything, and no made-up actions
    # (dynamodb:TransactWriteItems is not an IAM action).
    assert set(as_list(statement["Action"])) == {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
    }  # fmt: skip


@pytest.mark.parametrize("role", FUNCTION_ROLES)
def test_secret_and_key_are_the_bots_own(resources: dict[str, Any], role: str) -> None:
    (secret,) = statement_for(resources, role, "secretsmanager:GetSecretValue")
    assert secret["Resource"] == {"Ref": "SlackSecret"}
    (key,) = statement_for(resources, role, "kms:Decrypt")
    assert key["Resource"] == {"Fn::GetAtt": ["AccessBotKey", "Arn"]}
    # Only through DynamoDB and Secrets Manager, never a direct Decrypt of anything else.
    assert key["Condition"]["StringEquals"]["kms:ViaService"] == [
        {"Fn::Sub": "dynamodb.${AWS::Region}.amazonaws.com"},
        {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"},
    ]


@pytest.mark.parametrize("role", FUNCTION_ROLES)
def test_each_function_writes_only_its_own_log_group(resources: dict[str, Any], role: str) -> None:
    (logs,) = statement_for(resources, role, "logs:PutLogEvents")
    function = {"ApiRole": "api", "LexHookRole": "lex", "WorkerRole": "worker", "ExpiryRole": "expiry"}[role]
    assert logs["Resource"]["Fn::Sub"].endswith(f":log-group:/aws/lambda/accessbot-ci-{function}:*")


def test_scheduler_access_is_the_group_and_passing_its_role(resources: dict[str, Any]) -> None:
    # Expiry too: it deletes fired schedules and schedules another try of a Slack notice that failed.
    for role in ("ApiRole", "LexHookRole", "WorkerRole", "ExpiryRole"):
        (create,) = statement_for(resources, role, "scheduler:CreateSchedule")
        assert create["Resource"]["Fn::Sub"].endswith(":schedule/accessbot-ci/*")
        (pass_role,) = statement_for(resources, role, "iam:PassRole")
        assert pass_role["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
        assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
    assert "sts:AssumeRole" not in actions_of(resources, "ApiRole")  # only worker and expiry reach the spokes


def test_only_the_api_talks_to_lex_through_the_alias(resources: dict[str, Any]) -> None:
    (recognize,) = statement_for(resources, "ApiRole", "lex:RecognizeText")
    assert recognize["Resource"] == {"Fn::GetAtt": ["AccessBotLexBotAlias", "Arn"]}
    others = set().union(*(actions_of(resources, r) for r in FUNCTION_ROLES if r != "ApiRole"))
    assert not any(a.startswith("lex:") for a in others)


def test_lex_bot_role_has_no_permissions(resources: dict[str, Any]) -> None:
    assert statements_of(resources, "LexBotRole") == []
