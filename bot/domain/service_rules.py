"""What people mean by "read" or "write" on common resources: the writer's curated table.

IAM access levels are too coarse to grant from directly: "Write" on a DynamoDB table includes
DeleteTable, and "Read" on an S3 bucket ARN includes no object read at all. For the resources people
ask about most, this table says which actions a level means and on which resource types' ARNs.
Services and resource types not listed here fall back to the catalogue's access levels
(see bot/domain/writer.py and docs/policy-engine.md, "Catalogue and writer").
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import AccessLevel

R, W, L, T = AccessLevel.READ, AccessLevel.WRITE, AccessLevel.LIST, AccessLevel.TAGGING


@dataclass(frozen=True, slots=True)
class Group:
    """Actions granted together on the ARNs of `on` (resource type names); `on=()` means `"*"`.

    `verb` and `noun` build the statement's Sid (S3 + Read + AnalyticsRaw + Objects); `phrase` is the
    plain-words summary's verb ("Read objects in"). Star groups never carry tag conditions: the
    actions in them do not support resource tags (EC2 has no resource-level Describe).
    """

    verb: str
    actions: tuple[str, ...]
    on: tuple[str, ...]
    noun: str
    phrase: str


# (service, resource type) -> access level -> groups.
RULES: dict[tuple[str, str], dict[AccessLevel, tuple[Group, ...]]] = {
    # S3 objects: object actions on bucket/*, ListBucket on the bucket; never bucket configuration.
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html
    ("s3", "object"): {
        R: (
            Group("Read", ("GetObject", "GetObjectVersion"), ("object",), "Objects", "Read objects in"),
            Group("List", ("ListBucket",), ("bucket",), "Bucket", "List"),
        ),
        L: (Group("List", ("ListBucket",), ("bucket",), "Bucket", "List"),),
        # Writing is uploading: deleting objects must be asked for ("delete objects in X").
        W: (Group("Write", ("AbortMultipartUpload", "PutObject"), ("object",), "Objects", "Write objects in"),),
        T: (Group("Tag", ("DeleteObjectTagging", "PutObjectTagging"), ("object",), "Objects", "Tag objects in"),),
    },
    # DynamoDB items: never CreateTable/UpdateTable/DeleteTable for "write to the table".
    # Query and Scan also on the table's indexes (table/T/index/*).
    ("dynamodb", "table"): {
        R: (
            Group(
                "Read",
                ("BatchGetItem", "ConditionCheckItem", "DescribeTable", "GetItem", "Query", "Scan"),
                ("table",),
                "Table",
                "Read items of",
            ),
            Group("Query", ("Query", "Scan"), ("index",), "Indexes", "Query the indexes of"),
        ),
        L: (Group("Describe", ("DescribeTable",), ("table",), "Table", "Describe"),),
        # Writing items is putting and updating them; deleting items is asked for ("delete items from X").
        W: (
            Group(
                "Write",
                ("BatchWriteItem", "PutItem", "UpdateItem"),
                ("table",),
                "Table",
                "Write items of",
            ),
        ),
    },
    ("sqs", "queue"): {
        R: (
            Group(
                "Receive",
                ("GetQueueAttributes", "GetQueueUrl", "ReceiveMessage"),
                ("queue",),
                "Queue",
                "Receive messages from",
            ),
        ),
        # Writing is sending; deleting received messages is consuming ("consume the queue").
        W: (Group("Send", ("GetQueueUrl", "SendMessage"), ("queue",), "Queue", "Send messages to"),),
    },
    ("sns", "topic"): {
        R: (Group("Read", ("GetTopicAttributes",), ("topic",), "Topic", "Read the attributes of"),),
        W: (Group("Publish", ("Publish",), ("topic",), "Topic", "Publish to"),),
    },
    # Lambda: "write" is what people ask for when they need to call a function; changing its
    # code or configuration must be asked for by action name.
    ("lambda", "function"): {
        R: (Group("Read", ("GetFunction", "GetFunctionConfiguration"), ("function",), "Function", "Read"),),
        W: (Group("Invoke", ("InvokeFunction",), ("function",), "Function", "Invoke"),),
    },
    # EC2 instances: start/stop, and DescribeInstances on "*" (EC2 has no resource-level Describe).
    # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html
    ("ec2", "instance"): {
        R: (Group("Describe", ("DescribeInstanceStatus", "DescribeInstances"), (), "Instances", "Describe"),),
        L: (Group("Describe", ("DescribeInstances",), (), "Instances", "Describe"),),
        W: (
            Group("StartStop", ("StartInstances", "StopInstances"), ("instance",), "Instances", "Start/stop"),
            Group("Describe", ("DescribeInstances",), (), "Instances", "Describe"),
        ),
    },
    # RDS instances: start/stop/reboot, as in the tags post (its Example 2); never create or delete.
    ("rds", "db"): {
        R: (Group("Describe", ("DescribeDBInstances",), ("db",), "Instance", "Describe"),),
        L: (Group("Describe", ("DescribeDBInstances",), ("db",), "Instance", "Describe"),),
        W: (
            Group(
                "StartStop",
                ("RebootDBInstance", "StartDBInstance", "StopDBInstance"),
                ("db",),
                "Instance",
                "Start/stop/reboot",
            ),
        ),
    },
    # Glue Data Catalog: the catalog, database and table ARNs together (the Glue post in the seed
    # reference; https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html).
    ("glue", "table"): {
        R: (
            Group(
                "Read",
                ("BatchGetPartition", "GetPartition", "GetPartitions", "GetTable", "GetTables"),
                ("rootcatalog", "database", "table"),
                "Table",
                "Read",
            ),
            Group("Read", ("GetDatabase",), ("rootcatalog", "database"), "Database", "Read"),
        ),
        W: (
            Group(
                "Write",
                (
                    "BatchCreatePartition",
                    "BatchDeletePartition",
                    "CreatePartition",
                    "DeletePartition",
                    "UpdatePartition",
                    "UpdateTable",
                ),
                ("rootcatalog", "database", "table"),
                "Table",
                "Change partitions and schema of",
            ),
        ),
    },
    ("glue", "database"): {
        R: (
            Group(
                "Read",
                ("GetPartitions", "GetTable", "GetTables"),
                ("rootcatalog", "database", "table"),
                "Tables",
                "Read the tables of",
            ),
            Group("Read", ("GetDatabase",), ("rootcatalog", "database"), "Database", "Read"),
        ),
    },
    # KMS: use of a key, never its administration (ScheduleKeyDeletion, PutKeyPolicy, ...).
    ("kms", "key"): {
        R: (Group("Decrypt", ("Decrypt", "DescribeKey"), ("key",), "Key", "Decrypt with"),),
        W: (Group("Encrypt", ("Encrypt", "GenerateDataKey"), ("key",), "Key", "Encrypt with"),),
    },
    ("secretsmanager", "secret"): {
        R: (Group("Read", ("DescribeSecret", "GetSecretValue"), ("secret",), "Secret", "Read"),),
        W: (Group("Write", ("PutSecretValue",), ("secret",), "Secret", "Put new values into"),),
    },
    # EFS from a client: mounting reads, ClientWrite writes; root access is never implied.
    # https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
    ("elasticfilesystem", "file-system"): {
        R: (Group("Mount", ("ClientMount", "DescribeFileSystems"), ("file-system",), "FileSystem", "Mount"),),
        W: (Group("Write", ("ClientMount", "ClientWrite"), ("file-system",), "FileSystem", "Mount and write to"),),
    },
    # CloudWatch Logs: reading events of a group (GetLogEvents acts on its streams).
    ("logs", "log-group"): {
        R: (
            Group(
                "Read",
                ("DescribeLogStreams", "FilterLogEvents", "GetQueryResults", "StartQuery"),
                ("log-group",),
                "LogGroup",
                "Read",
            ),
            Group("Read", ("GetLogEvents",), ("log-stream",), "LogStreams", "Read the streams of"),
        ),
        W: (Group("Write", ("CreateLogStream", "PutLogEvents"), ("log-stream",), "LogStreams", "Write to"),),
    },
}

# The nouns a resource holds: "write to the stream" means the writes that carry records, not its settings.
DATA_NOUNS = frozenset({"item", "record", "message", "object", "event", "data", "row", "document", "value", "file",
                        "log", "metric", "point", "batch"})  # fmt: skip
# Reads that hand out credentials, keys or secrets: never part of a plain "read" (ask for them by name).
SENSITIVE_READS = frozenset({
    "acm:ExportCertificate", "ec2:GetPasswordData", "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM", "rds:DownloadDBLogFilePortion", "ecr:GetAuthorizationToken",
    "codeartifact:GetAuthorizationToken", "sts:GetSessionToken", "lightsail:GetInstanceAccessDetails",
    "iam:GetCredentialReport", "cognito-idp:GetSigningCertificate", "kms:GetParametersForImport",
    "secretsmanager:BatchGetSecretValue", "cloudwatch:GetSpaceCredentials",
    "cloudwatch:GetSpaceCredentialsForOrganization",
})  # fmt: skip

# Reads that hand out what a resource keeps secret: granted on named resources only, never on every one of
# a type ("read all the secrets" describes them; their values need their names).
VALUE_READS = frozenset({
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "ssm:GetParameter", "ssm:GetParameters",
    "ssm:GetParametersByPath", "ssm:GetParameterHistory", "kms:Decrypt",
})  # fmt: skip

# The resource type a bare name refers to when the request does not say (grant.resource_type).
DEFAULT_TYPES: dict[str, str] = {
    "dynamodb": "table",
    "ec2": "instance",
    "glue": "table",
    "kms": "key",
    "lambda": "function",
    "logs": "log-group",
    "rds": "db",
    "s3": "object",  # "read bucket X" means its objects
    "secretsmanager": "secret",
    "sns": "topic",
    "sqs": "queue",
    "ssm": "parameter",  # "paramstore get /shared/vpc-id": parameters are what people name in SSM
}

# Resource types whose ARNs can be derived from a named resource of another type:
# a bucket gives bucket/*, a Glue table gives its catalog and database.
RELATED_TYPES: dict[tuple[str, str], tuple[str, ...]] = {
    ("s3", "bucket"): ("object",),
    ("s3", "object"): ("bucket",),
    ("glue", "table"): ("rootcatalog", "database"),
    ("glue", "database"): ("rootcatalog", "table"),
    ("dynamodb", "table"): ("index",),
    ("logs", "log-group"): ("log-stream",),
}

# How a type's names read in plain words, and the service's short name.
SERVICE_LABELS: dict[str, str] = {
    "s3": "",
    "dynamodb": "DynamoDB",
    "ec2": "EC2",
    "glue": "Glue",
    "kms": "KMS",
    "lambda": "Lambda",
    "logs": "CloudWatch Logs",
    "secretsmanager": "Secrets Manager",
    "sns": "SNS",
    "sqs": "SQS",
    "rds": "RDS",
    "iam": "IAM",
}

# Secrets Manager appends six random characters to secret ARNs: match them, not more.
# https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
SECRET_SUFFIX = "-??????"  # noqa: S105 (an ARN wildcard, not a secret)

# Resource-tag condition keys to try, best first; `{service}` and `{key}` are filled in.
# EC2 keeps its own key, as in the tags post (ec2:ResourceTag/CostCenter).
TAG_KEY_PREFERENCE: dict[str, tuple[str, ...]] = {
    "ec2": ("ec2:ResourceTag/{key}", "aws:ResourceTag/{key}"),
    # S3 objects carry their own tags; buckets theirs (aws:ResourceTag on S3 is for access points).
    "s3": ("s3:ExistingObjectTag/{key}", "s3:BucketTag/{key}"),
}
DEFAULT_TAG_KEYS = ("aws:ResourceTag/{key}", "{service}:ResourceTag/{key}")


def rule_for(service: str, type_name: str) -> dict[AccessLevel, tuple[Group, ...]] | None:
    return RULES.get((service, type_name.lower()))


def curated_groups() -> list[tuple[str, Group]]:
    """Every (service, group) in the table, for tests and the summary."""
    return [(service, g) for (service, _), levels in RULES.items() for groups in levels.values() for g in groups]
