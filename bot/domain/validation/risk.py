"""Risky grants: the seed's * on *, NotAction/NotResource, PassRole, credentials, exfiltration, wildcards."""

from __future__ import annotations

from functools import lru_cache

from bot.domain.models import AccessLevel, Finding
from bot.domain.validation.codes import finding, listed
from bot.domain.validation.grammar import Clause, Statement
from bot.domain.validation.matching import expand, grants_action, may_grant_service

# Access Analyzer does not flag PassRole on "*" when one of these keys limits it (checked on the corpus);
# an ...IfExists operator does not limit it (a request without the key passes).
PASS_ROLE_LIMITS = frozenset({"iam:passedtoservice", "iam:associatedresourcearn"})
# Nor CreateServiceLinkedRole on "*" when iam:AWSServiceName names the services without a wildcard
# (AlexaForBusinessFullAccess's "*a4b.amazonaws.com" is still flagged; checked on the corpus).
SLR_LIMIT = frozenset({"iam:awsservicename"})
CREATE_SLR = "iam:CreateServiceLinkedRole"

# Actions whose responses carry credentials or tokens (cloudsplaining's list, after
# https://gist.github.com/kmcquade/33860a617e651104d243c324ddf7992a).
CREDENTIALS_NAMES = (
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "chime:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "ec2:GetPasswordData",
    "ecr:GetAuthorizationToken",
    "ecr-public:GetAuthorizationToken",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "finspace-api:GetProgrammaticAccessCredentials",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "gamelift:GetComputeAccess",
    "gamelift:GetComputeAuthToken",
    "grafana:CreateWorkspaceApiKey",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "license-manager:GetAccessToken",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
)

# Reads that leak data when granted on everything (cloudsplaining's list, plus kms:Decrypt).
EXFILTRATION_NAMES = (
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
)

_ANY_RESOURCE = frozenset({"*", "*/*"})


@lru_cache(maxsize=16384)
def unconstrained(resource: str) -> bool:
    """Does this resource name every resource of its type: "*", "arn:aws:s3:::*", "...:secret:*"?"""
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    if len(parts) != 6:
        return False
    if parts[5] in _ANY_RESOURCE:
        return True
    if not parts[5].endswith("*"):
        return False
    from bot.domain import catalog

    # "secret:*" names every secret: the ARN format's literal head ("secret:") followed only by "*".
    for resource_type in catalog.match_arn_to_resource_types(resource):
        for arn_format in resource_type.arn_formats:
            head = arn_format.split(":", 5)[-1].split("${", 1)[0]
            if head and parts[5] == head + "*":
                return True
    return False


def _star_actions(statement: Statement) -> bool:
    return any(a in ("*", "*:*") for a in statement.actions or ())


def check_seed_rule(statements: list[Statement]) -> list[Finding]:
    """The seed PolicyChecker's rule: no statement allows * actions on * resources."""
    return [
        finding("STAR_ACTION_ON_STAR_RESOURCE", statement=s.ref, action="*", blocking=True)
        for s in statements
        if s.allow and _star_actions(s) and "*" in (s.resources or ())
    ]


def _limiting(statement: Statement, keys: frozenset[str]) -> list[Clause]:
    """The statement's clauses on these keys that a request without the key fails (not ...IfExists)."""
    return [c for c in statement.conditions if c.key.lower() in keys and not c.operator.lower().endswith("ifexists")]


def _pass_role(statement: Statement) -> list[Finding]:
    if statement.actions is None or "*" not in (statement.resources or ()):
        return []
    broad = [a for a in statement.actions if a.lower() in ("*", "*:*", "iam:*")]
    if broad:
        return [finding("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", statement=statement.ref, action=broad[0])]
    if _limiting(statement, PASS_ROLE_LIMITS) or not grants_action(statement, "iam:PassRole"):
        return []
    return [finding("PASS_ROLE_WITH_STAR_IN_RESOURCE", statement=statement.ref, action="iam:PassRole", resource='"*"')]


def _by_service(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for name in names:
        grouped.setdefault(name.partition(":")[0].lower(), []).append(name)
    return {service: tuple(group) for service, group in grouped.items()}


_NAMES_BY_SERVICE = {
    id(CREDENTIALS_NAMES): _by_service(CREDENTIALS_NAMES),
    id(EXFILTRATION_NAMES): _by_service(EXFILTRATION_NAMES),
}


def _granted_names(statement: Statement, names: tuple[str, ...]) -> list[str]:
    positive, _ = statement.action_sets()
    if positive is None or positive.services is None:
        candidates: tuple[str, ...] | list[str] = names
    else:
        grouped = _NAMES_BY_SERVICE[id(names)]
        candidates = [n for service in sorted(positive.services) for n in grouped.get(service, ())]
    return [name for name in candidates if grants_action(statement, name)]


def _create_slr(statement: Statement) -> list[Finding]:
    """Access Analyzer's CREATE_SLR_* checks: service-linked roles of any service may be created."""
    if statement.actions is None or "*" not in (statement.resources or ()):
        return []
    if not may_grant_service(statement, "iam"):
        return []
    limited = any(c.values and not any("*" in v or "?" in v for v in c.values) for c in _limiting(statement, SLR_LIMIT))
    if limited or not grants_action(statement, CREATE_SLR):
        return []
    if any(a.lower() == CREATE_SLR.lower() for a in statement.actions):
        return [finding("CREATE_SLR_WITH_STAR_IN_RESOURCE", statement=statement.ref, action=CREATE_SLR)]
    broad = next(a for a in statement.actions if "*" in a or "?" in a)
    return [finding("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", statement=statement.ref, action=broad)]


@lru_cache(maxsize=8192)
def _permissions_management_of(pattern: str) -> tuple[str, ...]:
    return tuple(a.full_name for a in expand(pattern) if AccessLevel.PERMISSIONS_MANAGEMENT in a.access_levels)


def _expanded_permissions_management(statement: Statement) -> list[str]:
    found: dict[str, None] = {}
    for pattern in statement.actions or ():
        if pattern in ("*", "*:*"):
            continue  # the seed rule or NotAction findings already cover "everything"
        for name in _permissions_management_of(pattern.lower()):
            found[name] = None
    return list(found)


def check_risky_grants(statements: list[Statement], *, use_catalog: bool = True) -> list[Finding]:
    """Per Allow statement: the grants a security reviewer must look at twice."""
    out: list[Finding] = []
    for st in statements:
        if not st.allow:
            continue
        ref = st.ref
        if st.not_actions is not None:
            out.append(finding("ALLOW_WITH_NOT_ACTION", statement=ref))
        if st.not_resources is not None:
            out.append(finding("ALLOW_WITH_NOT_RESOURCE", statement=ref))
        out.extend(_pass_role(st))
        out.extend(_create_slr(st))
        resources = st.resources if st.resources is not None else ("*",)
        open_resource = next((r for r in resources if unconstrained(r)), None)
        if st.actions is not None:
            for pattern in st.actions:
                service, _, name = pattern.partition(":")
                if name == "*" and service not in ("*", ""):
                    if open_resource is not None:
                        out.append(finding("SERVICE_WILDCARD", statement=ref, action=pattern, resource=open_resource))
                    else:
                        out.append(finding("SERVICE_WILDCARD_SCOPED", statement=ref, action=pattern))
        if st.actions is not None and _star_actions(st):
            continue  # "*" is the seed rule's (or a wildcard) finding already; listing every action adds nothing
        credentials = _granted_names(st, CREDENTIALS_NAMES)
        if credentials and open_resource is not None:
            out.append(
                finding(
                    "CREDENTIALS_EXPOSURE",
                    statement=ref,
                    action=credentials[0],
                    actions=listed(credentials),
                    resource=f'"{open_resource}"',
                )
            )
        exfiltration = _granted_names(st, EXFILTRATION_NAMES)
        if exfiltration and open_resource is not None and not st.conditions:
            out.append(
                finding("DATA_EXFILTRATION", statement=ref, action=exfiltration[0], actions=listed(exfiltration))
            )
        if use_catalog and st.actions is not None:
            managed = _expanded_permissions_management(st)
            if managed:
                code = (
                    "PERMISSIONS_MANAGEMENT_WITHOUT_CONSTRAINT" if open_resource else "PERMISSIONS_MANAGEMENT_ACTIONS"
                )
                out.append(finding(code, statement=ref, action=managed[0], actions=listed(managed)))
    return out
