"""What the embedded world is seeded with: the spoke role's permissions, the demo roles' policies, the buckets."""

from __future__ import annotations

import json
from typing import Any


def statement(effect: str, actions: list[str], resources: list[str] | str, **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resources, **extra}


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(principal: str, external_id: str | None = None) -> str:
    allow: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if external_id:
        allow["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return doc(allow)


#: What the spoke role may do in a target account: manage the bot's policies and read access advisor
#: (the calls of bot/aws/provisioner.py; infra/spoke-account.yml is the deployed, tighter version).
SPOKE_POLICY = doc(
    statement(
        "Allow",
        [
            "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
            "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:TagPolicy",
            "iam:UntagPolicy", "iam:ListEntitiesForPolicy",
        ],
        "arn:aws:iam::*:policy/accessbot-*",
    ),
    statement(
        "Allow",
        ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:AttachUserPolicy", "iam:DetachUserPolicy"],
        ["arn:aws:iam::*:role/*", "arn:aws:iam::*:user/*"],
        Condition={"ArnLike": {"iam:PolicyARN": "arn:aws:iam::*:policy/accessbot-*"}},
    ),
    statement(
        "Allow",
        [
            "iam:GenerateServiceLastAccessedDetails", "iam:GetServiceLastAccessedDetails",
            "iam:GetServiceLastAccessedDetailsWithEntities", "iam:GetRole", "iam:GetUser", "iam:ListRolePolicies",
            "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
        ],
        "*",
    ),
)

#: Demo principals and what they hold, so access advisor's "granted" side is coherent. The requesters'
#: roles (DataScientist, Developer) are in every account (grants attach to them); the seed post's two
#: admin roles are in the sandbox only, so "what has DBAdminRole used?" needs no account.
DEMO_ROLES: dict[str, dict[str, Any]] = {
    "DataScientist": {
        "managed": {
            "analytics-read": doc(
                statement(
                    "Allow",
                    ["s3:GetObject", "s3:ListBucket"],
                    ["arn:aws:s3:::analytics-*", "arn:aws:s3:::analytics-*/*"],
                ),
                statement("Allow", ["athena:StartQueryExecution", "athena:GetQueryResults"], "*"),
            ),
        },
        "inline": {"glue-catalog-read": doc(statement("Allow", ["glue:GetTable", "glue:GetDatabase"], "*"))},
    },
    "Developer": {
        "managed": {
            "app-deploy": doc(
                statement("Allow", ["lambda:GetFunction", "lambda:UpdateFunctionCode"], "*"),
                statement("Allow", ["dynamodb:GetItem", "dynamodb:Query"], "*"),
            ),
        },
        "inline": {"logs-read": doc(statement("Allow", ["logs:GetLogEvents", "logs:FilterLogEvents"], "*"))},
    },
    "DBAdminRole": {
        "only": ("sandbox",),
        "managed": {
            "db-admin": doc(
                statement("Allow", ["rds:*", "dynamodb:*"], "*"),
                statement("Allow", ["secretsmanager:GetSecretValue"], "*"),
            ),
        },
        "inline": {"backups": doc(statement("Allow", ["backup:StartBackupJob", "s3:PutObject"], "*"))},
    },
    "NetworkAdminRole": {
        "only": ("sandbox",),
        "managed": {
            "network-admin": doc(
                statement("Allow", ["ec2:*Vpc*", "ec2:*Subnet*", "ec2:*SecurityGroup*"], "*"),
                statement("Allow", ["route53:ChangeResourceRecordSets", "route53:ListHostedZones"], "*"),
            ),
        },
        "inline": {"flow-logs": doc(statement("Allow", ["logs:CreateLogGroup", "ec2:CreateFlowLogs"], "*"))},
    },
}
BUCKETS = {"sandbox": ["analytics-raw", "analytics-curated"], "dev": ["app-logs"]}
