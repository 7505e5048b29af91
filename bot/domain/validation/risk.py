"""Risky grants: the seed's * on *, NotAction/NotResource, PassRole, credentials, exfiltration, wildcards."""

from __future__ import annotations

from functools import lru_cache

from bot.domain.models import Finding
from bot.domain.validation.action_sets import ActionSet, Names
from bot.domain.validation.codes import finding, listed
from bot.domain.validation.matching import grants_action
from bot.domain.validation.patterns import arn_types
from bot.domain.validation.statement import Clause, Statement

# Access Analyzer does not flag PassRole on "*" when one of these keys limits it (checked on the corpus);
# an ...IfExists operator does not limit it (a request without the key passes).
PASS_ROLE_LIMITS = frozenset({"iam:passedtoservice", "iam:associatedresourcearn"})
# Nor CreateServiceLinkedRole on "*" when iam:AWSServiceName names the services without a wildcard
# (AlexaForBusinessFullAccess's "*a4b.amazonaws.com" is still flagged; checked on the corpus).
SLR_LIMIT = frozenset({"iam:awsservicename"})
CREATE_SLR = "iam:CreateServiceLinkedRole"

# Actions whose responses carry credentials or tokens (cloudsplaining's list, after
# https://gist.github.com/kmcquade/33860a617e651104d243c324ddf7992a), less the registry logins
# ecr:GetAuthorizationToken and ecr-public:GetAuthorizationToken: IAM grants them only on "*" (they
# have no resource type), their token carries only the caller's own ECR permissions, and every push
# or pull needs one (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html), so
# flagging them would reject every ECR grant with a fix ("name the resources") nobody can apply.
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
    # "secret:*" names every secret: the ARN format's literal head ("secret:") followed only by "*".
    for resource_type in arn_types(resource):
        for arn_format in resource_type.arn_formats:
            head = arn_format.split(":", 5)[-1].split("${", 1)[0]
            if head and parts[5] == head + "*":
                return True
    return False


def _star_actions(statement: Statement) -> bool:
    actions = statement.actions
    return actions is not None and ("*" in actions or "*:*" in actions)


def breaks_seed_rule(statement: Statement) -> bool:
    """The seed PolicyChecker's rule: no statement allows * actions on * resources."""
    resources = statement.resources
    return statement.allow and resources is not None and "*" in resources and _star_actions(statement)


def seed_finding(statement: Statement) -> Finding:
    return finding("STAR_ACTION_ON_STAR_RESOURCE", statement=statement.ref, action="*", blocking=True)


def check_seed_rule(statements: list[Statement]) -> list[Finding]:
    """The seed rule's findings, one per statement that breaks it."""
    return [seed_finding(s) for s in statements if breaks_seed_rule(s)]


def _limiting(statement: Statement, keys: frozenset[str]) -> list[Clause]:
    """The statement's clauses on these keys that a request without the key fails (not ...IfExists)."""
    return [c for c in statement.conditions if c.key.lower() in keys and not c.operator.lower().endswith("ifexists")]


class _ListFacts:
    """What the risk checks derive from one Action list alone; kept with the list's ActionSet."""

    __slots__ = (
        "_managed",
        "_set",
        "broad_iam",
        "creates_slr",
        "first_wild",
        "names_slr",
        "passes_role",
        "star",
        "whole_service",
    )

    def __init__(self, positive: ActionSet) -> None:
        patterns = positive.patterns()
        self._set = positive
        # The first entry that includes every iam action ("*", "*:*", "iam:*"), if any.
        self.broad_iam = next((p.text for p in patterns if p.lower in ("*", "*:*", "iam:*")), None)
        self.first_wild = next((p.text for p in patterns if p.wild), None)
        self.names_slr = any(p.lower == CREATE_SLR.lower() for p in patterns)
        self.star = any(p.star for p in patterns)
        self.whole_service = tuple(p.text for p in patterns if p.whole_service)
        self.passes_role = "iam:PassRole" in positive
        self.creates_slr = (positive.services is None or "iam" in positive.services) and CREATE_SLR in positive
        self._managed: tuple[str, ...] | None = None

    @property
    def managed(self) -> tuple[str, ...]:
        """The permissions-management actions named ("*" left out: the seed rule or NotAction findings cover it)."""
        if self._managed is None:
            patterns = self._set.patterns()
            self._managed = tuple(dict.fromkeys(n for p in patterns if not p.star for n in p.permissions_management))
        return self._managed


_FACTS = "risk.facts"  # key of this check's facts in an ActionSet's memo


def _facts(positive: ActionSet) -> _ListFacts:
    facts = positive.memo.get(_FACTS)
    if facts is None:
        facts = positive.memo[_FACTS] = _ListFacts(positive)
    return facts  # type: ignore[return-value]


def _pass_role(statement: Statement, facts: _ListFacts) -> Finding | None:
    if facts.broad_iam is not None:
        return finding("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", statement=statement.ref, action=facts.broad_iam)
    if not facts.passes_role or _limiting(statement, PASS_ROLE_LIMITS):
        return None
    return finding("PASS_ROLE_WITH_STAR_IN_RESOURCE", statement=statement.ref, action="iam:PassRole", resource='"*"')


_CREDENTIALS = Names(CREDENTIALS_NAMES)
_EXFILTRATION = Names(EXFILTRATION_NAMES)


def _granted_names(statement: Statement, names: Names) -> tuple[str, ...]:
    """The names the statement grants: by service in sorted order (list order for NotAction or a wildcard service).

    Depends on the statement's action list only, so the set remembers it.
    """
    positive, negative = statement.positive, statement.negative
    matcher = positive if positive is not None else negative
    if matcher is None:
        return ()
    key = (names, positive is not None)
    found: tuple[str, ...] | None = matcher.memo.get(key)  # type: ignore[assignment]
    if found is None:
        if positive is None or positive.services is None:
            candidates: tuple[str, ...] | list[str] = names.names
        else:
            candidates = [n for service in sorted(positive.services) for n in names.by_service.get(service, ())]
        found = matcher.memo[key] = tuple(name for name in candidates if grants_action(statement, name))
    return found


def _create_slr(statement: Statement, facts: _ListFacts) -> Finding | None:
    """Access Analyzer's CREATE_SLR_* checks: service-linked roles of any service may be created."""
    if not facts.creates_slr:
        return None
    if any(c.values and not any("*" in v or "?" in v for v in c.values) for c in _limiting(statement, SLR_LIMIT)):
        return None
    if facts.names_slr:
        return finding("CREATE_SLR_WITH_STAR_IN_RESOURCE", statement=statement.ref, action=CREATE_SLR)
    return finding("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", statement=statement.ref, action=facts.first_wild)


_OPEN = "risk.open"  # key of the list's open resource in a ResourceList's memo


def _open_resource(statement: Statement) -> str | None:
    """The first resource that names every resource of its type, if any (remembered per list)."""
    memo = statement.resource_list.memo
    try:
        return memo[_OPEN]  # type: ignore[return-value]
    except KeyError:
        found = memo[_OPEN] = next((r for r in statement.resource_list.resources if unconstrained(r)), None)
        return found


def check_risky_statement(st: Statement, out: list[Finding], *, use_catalog: bool = True) -> None:
    """One Allow statement: the grants a security reviewer must look at twice."""
    ref = st.ref
    if st.not_actions is not None:
        out.append(finding("ALLOW_WITH_NOT_ACTION", statement=ref))
    if st.not_resources is not None:
        out.append(finding("ALLOW_WITH_NOT_RESOURCE", statement=ref))
    resources = st.resources
    open_resource = _open_resource(st) if resources is not None else "*"
    positive = st.positive
    facts = _facts(positive) if positive is not None else None
    if facts is not None:
        if resources is not None and "*" in resources:
            for found in (_pass_role(st, facts), _create_slr(st, facts)):
                if found is not None:
                    out.append(found)
        for action in facts.whole_service:
            if open_resource is not None:
                out.append(finding("SERVICE_WILDCARD", statement=ref, action=action, resource=open_resource))
            else:
                out.append(finding("SERVICE_WILDCARD_SCOPED", statement=ref, action=action))
        if facts.star:
            return  # "*" is the seed rule's (or a wildcard) finding already; listing every action adds nothing
    if open_resource is not None:
        credentials = _granted_names(st, _CREDENTIALS)
        if credentials:
            out.append(
                finding(
                    "CREDENTIALS_EXPOSURE",
                    statement=ref,
                    action=credentials[0],
                    actions=listed(credentials),
                    resource=f'"{open_resource}"',
                )
            )
        exfiltration = _granted_names(st, _EXFILTRATION) if not st.conditions else ()
        if exfiltration:
            out.append(
                finding("DATA_EXFILTRATION", statement=ref, action=exfiltration[0], actions=listed(exfiltration))
            )
    if use_catalog and facts is not None:
        managed = facts.managed
        if managed:
            code = "PERMISSIONS_MANAGEMENT_WITHOUT_CONSTRAINT" if open_resource else "PERMISSIONS_MANAGEMENT_ACTIONS"
            out.append(finding(code, statement=ref, action=managed[0], actions=listed(managed)))


def check_risky_grants(statements: list[Statement], *, use_catalog: bool = True) -> list[Finding]:
    """Per Allow statement: the grants a security reviewer must look at twice."""
    out: list[Finding] = []
    for st in statements:
        if st.allow:
            check_risky_statement(st, out, use_catalog=use_catalog)
    return out
