"""What the generated CloudFormation must hold: domain, table, Lex wiring, scheduler, functions."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.infra.policy_eval import condition_values

pytestmark = pytest.mark.infra

ZONE = {"Fn::If": ["CreateHostedZone", {"Ref": "HostedZone"}, {"Ref": "HostedZoneId"}]}
FUNCTIONS = ("Api", "Lex", "Worker", "Expiry")


def test_certificate_is_validated_by_dns_in_the_zone(resources: dict[str, Any]) -> None:
    cert = resources["Certificate"]["Properties"]
    assert cert["ValidationMethod"] == "DNS"
    assert cert["DomainName"] == {"Ref": "DomainName"}
    assert cert["DomainValidationOptions"] == [{"DomainName": {"Ref": "DomainName"}, "HostedZoneId": ZONE}]


DOMAIN_RESOURCES = ("HostedZone", "Certificate", "ApiDomain", "ApiBasePathMapping", "ApiRecordA", "ApiRecordAAAA")


def _created(template: dict[str, Any], **parameters: str) -> set[str]:
    conditions = condition_values(template, parameters)
    return {n for n, r in template["Resources"].items() if conditions.get(r.get("Condition", ""), True)}


def test_hosted_zone_is_created_only_without_an_existing_one(template: dict[str, Any]) -> None:
    assert template["Parameters"]["DomainName"]["Default"] == "accessbot-ci.example.bot"
    assert set(DOMAIN_RESOURCES) <= _created(template)
    existing = _created(template, HostedZoneId="Z0123456789ABCDEFGHIJ")
    assert "HostedZone" not in existing
    assert set(DOMAIN_RESOURCES) - {"HostedZone"} <= existing


def test_first_deploy_without_a_domain_creates_no_domain_resources(template: dict[str, Any]) -> None:
    created = _created(template, DomainName="")
    assert not created & set(DOMAIN_RESOURCES)
    assert {"AccessBotLexBotAlias", "DotBotVerifyRole", "ApiGatewayRestApi"} <= created


def test_custom_domain_is_regional_on_tls_1_2(resources: dict[str, Any]) -> None:
    domain = resources["ApiDomain"]["Properties"]
    assert domain["SecurityPolicy"] == "TLS_1_2"
    assert domain["EndpointConfiguration"]["Types"] == ["REGIONAL"]
    assert domain["RegionalCertificateArn"] == {"Ref": "Certificate"}


def test_base_path_mapping_waits_for_the_stage(resources: dict[str, Any]) -> None:
    mapping = resources["ApiBasePathMapping"]
    assert mapping["Properties"] == {
        "DomainName": {"Ref": "ApiDomain"},
        "RestApiId": {"Ref": "ApiGatewayRestApi"},
        "Stage": "ci",
    }
    (depends_on,) = mapping["DependsOn"]
    deployment = resources[depends_on]
    assert deployment["Type"] == "AWS::ApiGateway::Deployment"
    assert deployment["Properties"]["StageName"] == "ci"


@pytest.mark.parametrize("record_type", ["A", "AAAA"])
def test_alias_records_point_at_the_custom_domain(resources: dict[str, Any], record_type: str) -> None:
    record = resources[f"ApiRecord{record_type}"]["Properties"]
    assert record["Type"] == record_type
    assert record["HostedZoneId"] == ZONE
    assert record["Name"] == {"Ref": "DomainName"}
    assert record["AliasTarget"]["DNSName"] == {"Fn::GetAtt": ["ApiDomain", "RegionalDomainName"]}
    assert record["AliasTarget"]["HostedZoneId"] == {"Fn::GetAtt": ["ApiDomain", "RegionalHostedZoneId"]}
    if record_type == "AAAA":
        assert resources["ApiDomain"]["Properties"]["EndpointConfiguration"]["IpAddressType"] == "dualstack"


def test_table_is_protected_and_encrypted_with_our_key(resources: dict[str, Any]) -> None:
    table = resources["AccessBotTable"]
    props = table["Properties"]
    assert table["DeletionPolicy"] == "Retain"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {
        "SSEEnabled": True,
        "SSEType": "KMS",
        "KMSMasterKeyId": {"Fn::GetAtt": ["AccessBotKey", "Arn"]},
    }
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    (index,) = props["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "gsi1"
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["gsi1pk", "gsi1sk"]


def test_key_rotates_and_outlives_the_stack(resources: dict[str, Any]) -> None:
    key = resources["AccessBotKey"]
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def test_slack_secret_holds_no_value_and_uses_our_key(resources: dict[str, Any]) -> None:
    secret = resources["SlackSecret"]["Properties"]
    assert secret["KmsKeyId"] == {"Fn::GetAtt": ["AccessBotKey", "Arn"]}
    assert secret["SecretString"] == '{"SLACK_SIGNING_SECRET": "", "SLACK_BOT_TOKEN": ""}'


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_lex_alias_code_hook_is_the_lex_function(resources: dict[str, Any]) -> None:
    aliases = [r for r in resources.values() if r["Type"] == "AWS::Lex::BotAlias"]
    assert len(aliases) == 1
    hooks = [n["LambdaArn"] for n in _walk(aliases[0]) if isinstance(n, dict) and "LambdaArn" in n]
    assert hooks
    assert all(hook == {"Fn::GetAtt": ["LexLambdaFunction", "Arn"]} for hook in hooks)


def test_lex_may_invoke_the_lex_function_only(resources: dict[str, Any]) -> None:
    permissions = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::Permission" and r["Properties"]["Principal"] == "lexv2.amazonaws.com"
    ]
    assert permissions
    for permission in permissions:
        assert "LexLambdaFunction" in str(permission["FunctionName"])
        assert permission["Action"] == "lambda:InvokeFunction"


def test_lex_bot_runs_as_our_lex_bot_role(resources: dict[str, Any]) -> None:
    (bot,) = [r for r in resources.values() if r["Type"] == "AWS::Lex::Bot"]
    assert bot["Properties"]["RoleArn"] == {"Fn::GetAtt": ["LexBotRole", "Arn"]}
    trust = resources["LexBotRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "lexv2.amazonaws.com"}]


def test_scheduler_role_may_only_invoke_expiry(resources: dict[str, Any]) -> None:
    role = resources["SchedulerRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert [s["Action"] for s in statements] == ["lambda:InvokeFunction"]
    assert all("function:accessbot-ci-expiry" in str(r) for r in statements[0]["Resource"])
    assert resources["ScheduleGroup"]["Properties"]["Name"] == "accessbot-ci"


def test_dotbot_verification_role(template: dict[str, Any]) -> None:
    role = template["Resources"]["DotBotVerifyRole"]
    assert role["Condition"] == "HasDotBotRegistry"
    props = role["Properties"]
    (trust,) = props["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${DotBotRegistryAccountId}:root"}}
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "DotBotExternalId"}}}
    assert props["ManagedPolicyArns"] == [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonLexReadOnly"}]
    assert "Policies" not in props
    assert template["Parameters"]["DotBotRegistryAccountId"]["Default"] == "888888888888"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_run_python_312_arm64_traced_with_their_own_role(resources: dict[str, Any], name: str) -> None:
    props = resources[f"{name}LambdaFunction"]["Properties"]
    assert props["Runtime"] == "python3.12"
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == f"bot.handlers.{name.lower()}"
    assert props["TracingConfig"] == {"Mode": "Active"}
    role = "LexHookRole" if name == "Lex" else f"{name}Role"
    assert props["Role"] == {"Fn::GetAtt": [role, "Arn"]}
    assert props["Layers"] == ["arn:aws:lambda:us-east-1:111111111111:layer:accessbot-ci-deps:1"]
    assert resources[f"{name}LogGroup"]["Properties"]["RetentionInDays"] == 365


ENVIRONMENT = {
    "ACCESSBOT_TABLE_NAME", "ACCESSBOT_REGION", "ACCESSBOT_STAGE", "ACCESSBOT_RULES_FILE", "ACCESSBOT_ACCOUNTS_FILE",
    "ACCESSBOT_SECRET_ARN", "ACCESSBOT_SECURITY_CHANNEL", "ACCESSBOT_APPROVERS", "ACCESSBOT_WORKER_FUNCTION",
    "ACCESSBOT_SCHEDULER_GROUP", "ACCESSBOT_SCHEDULER_ROLE_ARN", "ACCESSBOT_EXPIRY_FUNCTION_ARN",
    "ACCESSBOT_OIDC_ISSUER", "ACCESSBOT_OIDC_AUDIENCE", "ACCESSBOT_OIDC_JWKS_URL", "ACCESSBOT_SPOKE_ROLE_NAME",
    "ACCESSBOT_EXTERNAL_ID", "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "POWERTOOLS_METRICS_NAMESPACE",
    "ACCESSBOT_BEDROCK_MODEL_ID", "ACCESSBOT_BEDROCK_MODE",
}  # fmt: skip


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_environment(resources: dict[str, Any], name: str) -> None:
    env = resources[f"{name}LambdaFunction"]["Properties"]["Environment"]["Variables"]
    lex_ids = {"ACCESSBOT_LEX_BOT_ID", "ACCESSBOT_LEX_BOT_ALIAS_ID"}
    assert set(env) == (ENVIRONMENT | lex_ids if name == "Api" else ENVIRONMENT)
    assert env["ACCESSBOT_SECRET_ARN"] == {"Ref": "SlackSecret"}
    assert env["ACCESSBOT_SPOKE_ROLE_NAME"] == "central-account-role"
    assert env["ACCESSBOT_WORKER_FUNCTION"] == "accessbot-ci-worker"
    assert not any("xoxb-" in str(v) or "SIGNING" in k for k, v in env.items()), (
        "Slack secrets belong in Secrets Manager"
    )


def test_environment_names_resolve_to_real_resources(resources: dict[str, Any]) -> None:
    env = resources["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert (
        resources["ExpiryLambdaFunction"]["Properties"]["FunctionName"]
        in env["ACCESSBOT_EXPIRY_FUNCTION_ARN"]["Fn::Sub"]
    )
    assert resources["SchedulerRole"]["Properties"]["RoleName"] in env["ACCESSBOT_SCHEDULER_ROLE_ARN"]["Fn::Sub"]
    assert resources["WorkerLambdaFunction"]["Properties"]["FunctionName"] == env["ACCESSBOT_WORKER_FUNCTION"]


@pytest.mark.parametrize(
    ("name", "log_group"), [*((f, f"{f}LogGroup") for f in FUNCTIONS), ("ApiAccess", "ApiGatewayLogGroup")]
)
def test_logs_stream_to_the_central_destination_when_set(template: dict[str, Any], name: str, log_group: str) -> None:
    sub = template["Resources"][f"{name}CentralLogs"]
    assert sub["Condition"] == "HasCentralLogging"
    assert sub["Properties"]["LogGroupName"] == {"Ref": log_group}
    assert sub["Properties"]["DestinationArn"] == {"Ref": "CentralLogDestinationArn"}
    assert template["Resources"][log_group]["Properties"]["RetentionInDays"] == 365


def test_no_central_logging_without_a_destination(template: dict[str, Any]) -> None:
    assert not {n for n in _created(template, CentralLogDestinationArn="") if n.endswith("CentralLogs")}


def test_api_access_log_without_a_custom_resource(resources: dict[str, Any]) -> None:
    # roleManagedExternally: no osls custom resource with iam:CreateRole on role/* in the stack.
    assert resources["ApiGatewayLogGroup"]["Properties"]["LogGroupName"] == "/aws/api-gateway/accessbot-ci"
    assert not [n for n, r in resources.items() if r["Type"].startswith("Custom::")]


def test_package_holds_only_the_app(packaged: Path) -> None:
    with zipfile.ZipFile(packaged / "accessbot.zip") as archive:
        names = archive.namelist()
        # osls writes entries sorted with one fixed timestamp: the same tree gives the same zip.
        assert len({info.date_time for info in archive.infolist()}) == 1
        assert names == sorted(names)
    assert "bot/handlers.py" in names
    assert "intents/__init__.py" in names
    outside = [n for n in names if not n.startswith(("bot/", "intents/", "infra/config/"))]
    assert outside == []
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_bedrock_reader_may_only_call_the_configured_model_and_only_when_turned_on(
    resources: dict[str, Any],
) -> None:
    policy = resources["BedrockReaderPolicy"]
    assert policy["Condition"] == "HasBedrock"
    assert policy["Properties"]["Roles"] == [{"Ref": "ApiRole"}, {"Ref": "LexHookRole"}]
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "bedrock:InvokeModel"
    assert all("${BedrockModelId}" in r["Fn::Sub"] for r in statement["Resource"])
    env = resources["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert env["ACCESSBOT_BEDROCK_MODE"] == {"Ref": "BedrockMode"}
