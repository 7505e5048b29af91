"""Verbs that mean a set of actions on one service, where the action names alone would pick wrong."""

from __future__ import annotations

#: (verb, service) -> actions. "pull" on ECR is three actions, none named Pull; "consume" a queue is
#: receive + delete + extend visibility. Companions a task needs on other resources ("*" for
#: ecr:GetAuthorizationToken) are added by the writer (bot/domain/companions.py).
VERB_RECIPES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pull", "ecr"): ("BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"),
    ("download", "ecr"): ("BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"),
    ("push", "ecr"): (
        "PutImage",
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
        "BatchCheckLayerAvailability",
    ),
    ("upload", "ecr"): (
        "PutImage",
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
        "BatchCheckLayerAvailability",
    ),
    ("consume", "sqs"): ("ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes"),
    ("drain", "sqs"): ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"),
    ("poll", "sqs"): ("ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes"),
    ("purge", "sqs"): ("PurgeQueue",),
    ("empty", "s3"): ("ListBucket", "DeleteObject"),  # the objects, never the bucket
    # Moving a DLQ's messages back: the move task and reading the DLQ, sending to where they go.
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
    ("redrive", "sqs"): (
        "StartMessageMoveTask",
        "ListMessageMoveTasks",
        "ReceiveMessage",
        "DeleteMessage",
        "GetQueueAttributes",
        "SendMessage",
    ),
    ("retag", "ecr"): ("BatchGetImage", "PutImage"),  # a new tag on an existing manifest
    ("tail", "logs"): ("FilterLogEvents", "GetLogEvents", "StartLiveTail", "DescribeLogStreams"),
    ("decrypt", "kms"): ("Decrypt",),
    ("encrypt", "kms"): ("Encrypt", "GenerateDataKey"),
    ("invoke", "lambda"): ("InvokeFunction",),
    ("call", "lambda"): ("InvokeFunction",),
    ("run", "lambda"): ("InvokeFunction",),
    ("trigger", "lambda"): ("InvokeFunction",),
    ("execute", "lambda"): ("InvokeFunction",),
    ("execute", "states"): ("StartExecution",),
    ("trigger", "states"): ("StartExecution",),
    ("run", "states"): ("StartExecution",),
    ("ssh", "ssm"): ("StartSession",),
    ("forward", "ssm"): ("StartSession",),  # port forwarding is a session (AWS-StartPortForwardingSession)
    ("run", "ssm"): ("SendCommand",),  # "run AWS-RunShellScript on i-0abc" (not an automation: see below)
    ("redeploy", "ecs"): ("UpdateService",),  # ECS redeploys with UpdateService --force-new-deployment
    ("connect", "ssm"): ("StartSession",),
    ("restart", "ec2"): ("RebootInstances",),
    ("restart", "ecs"): ("UpdateService",),
    ("deploy", "ecs"): ("UpdateService",),
    ("deploy", "lambda"): ("UpdateFunctionCode",),
    ("scale", "ecs"): ("UpdateService",),
    ("restart", "rds"): ("RebootDBInstance",),
    ("push", "codecommit"): ("GitPush", "GitPull"),
    ("clone", "codecommit"): ("GitPull",),
    ("pull", "codecommit"): ("GitPull",),
    ("deploy", "cloudformation"): ("CreateChangeSet", "ExecuteChangeSet", "DescribeChangeSet", "DescribeStacks"),
    # API Gateway's management actions are HTTP methods on the API's resources.
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
    ("deploy", "apigateway"): ("POST",),
    ("create", "apigateway"): ("POST",),
    ("add", "apigateway"): ("POST",),
    ("update", "apigateway"): ("PATCH",),
    ("change", "apigateway"): ("PATCH",),
    ("modify", "apigateway"): ("PATCH",),
    ("edit", "apigateway"): ("PATCH",),
    ("set", "apigateway"): ("PATCH",),
    ("delete", "apigateway"): ("DELETE",),
    ("remove", "apigateway"): ("DELETE",),
    ("get", "apigateway"): ("GET",),
    ("describe", "apigateway"): ("GET",),
}


#: Words that say another action than the recipe's: "run the ssm automation X" is StartAutomationExecution.
RECIPE_UNLESS: dict[tuple[str, str], frozenset[str]] = {
    ("run", "ssm"): frozenset({"automation", "runbook", "association", "maintenance"}),
}


def recipe_for(verb: str, service: str, words: set[str]) -> tuple[str, ...] | None:
    """The recipe of a verb on a service, unless the words say another action."""
    if words & RECIPE_UNLESS.get((verb, service), frozenset()):
        return None
    return VERB_RECIPES.get((verb, service))
