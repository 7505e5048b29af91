"""Actions a task needs beyond the one named: what AWS's docs say the task takes, added with a note.

- Pushing or pulling ECR images needs ecr:GetAuthorizationToken, which only works on "*" (read-only).
  https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
- Running Athena queries needs the query's status and results, the Glue Data Catalog read, and the
  query-results bucket (Athena's default is aws-athena-query-results-ACCOUNT-REGION).
  https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html
- Starting a Step Functions execution is followed by reading it (DescribeExecution on its executions).
- Sending an SSM command needs the document too: AWS-RunShellScript (AWS's own, no account) when the
  request names instances only. https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command-setting-up.html
"""

from __future__ import annotations

from bot.domain.scope import account_arns
from bot.domain.statements import STAR, Planned, WriterNote
from bot.domain.targets import Placement

_ECR_TRIGGERS = frozenset(
    {"ecr:PutImage", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload"}
)
_ATHENA_RESULTS = ("athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetWorkGroup",
                   "athena:StopQueryExecution")  # fmt: skip
_GLUE_READ = ("glue:GetDatabase", "glue:GetDatabases", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable",
              "glue:GetTables")  # fmt: skip
_RESULTS_BUCKET = ("s3:GetBucketLocation", "s3:ListBucket")
_RESULTS_OBJECTS = ("s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject")

NOTES = {
    "ecr": 'Pushing or pulling images also needs ecr:GetAuthorizationToken, which works only on "*" (read-only): '
    "added.",
    "athena": "Running Athena queries also needs their results, read access to the Glue Data Catalog of the account, "
    "and the query-results bucket {bucket}: added. If the workgroup writes results elsewhere, name that bucket.",
    "states": "Starting executions also lets you follow them: states:DescribeExecution on their executions, added.",
    "ssm": "Sending commands also needs the document they run: AWS-RunShellScript, added (name another document "
    "to use it instead).",
}


def companions(planned: list[Planned], place: Placement, notes: list[WriterNote]) -> list[Planned]:
    """Statements to add for the tasks in `planned`; a note for each task that got them."""
    actions = {a for plan in planned for a in plan.actions}
    extra: list[Planned] = []
    if actions & _ECR_TRIGGERS:
        extra.append(Planned("ecr", "Login", "", (), STAR, False, {"ecr:GetAuthorizationToken"}))
        notes.append(WriterNote("COMPANION_ACTIONS", NOTES["ecr"]))
    for plan in planned:
        if "athena:GetQueryResults" in plan.actions and "athena:StartQueryExecution" not in plan.actions:
            plan.actions.add("athena:GetQueryExecution")  # reading results starts with the query's state
        if "athena:StartQueryExecution" in plan.actions:
            extra += _athena(plan, place, notes)
        if "states:StartExecution" in plan.actions and plan.resources != STAR:
            executions = tuple(sorted(r.replace(":stateMachine:", ":execution:", 1) + ":*" for r in plan.resources))
            extra.append(Planned("states", "Follow", "Executions", plan.names, executions, plan.tag_scoped,
                                 {"states:DescribeExecution"}))  # fmt: skip
            notes.append(WriterNote("COMPANION_ACTIONS", NOTES["states"]))
    documents = any(":document/" in r for plan in planned for r in plan.resources)
    sends = [p for p in planned if "ssm:SendCommand" in p.actions and p.resources != STAR]
    if sends and not documents:
        shell = f"arn:{place.partition}:ssm:{place.region}::document/AWS-RunShellScript"
        extra.append(Planned("ssm", "Run", "ShellScript", (), (shell,), False, {"ssm:SendCommand"}))
        notes.append(WriterNote("COMPANION_ACTIONS", NOTES["ssm"]))
    return extra


def _athena(plan: Planned, place: Placement, notes: list[WriterNote]) -> list[Planned]:
    out = [Planned("athena", "Results", plan.noun, plan.names, plan.resources, plan.tag_scoped, set(_ATHENA_RESULTS))]
    catalog = account_arns("glue", ("catalog", "database", "table"), place)
    if catalog:
        out.append(Planned("glue", "ReadCatalog", "", (), catalog, False, set(_GLUE_READ)))
    region = place.region if place.region != "*" else "*"
    bucket = f"aws-athena-query-results-{place.account}-{region}"
    base = f"arn:{place.partition}:s3:::{bucket}"
    out.append(Planned("s3", "QueryResults", "Bucket", (), (base,), False, set(_RESULTS_BUCKET)))
    out.append(Planned("s3", "QueryResults", "Objects", (), (f"{base}/*",), False, set(_RESULTS_OBJECTS)))
    notes.append(WriterNote("COMPANION_ACTIONS", NOTES["athena"].format(bucket=bucket)))
    return out
