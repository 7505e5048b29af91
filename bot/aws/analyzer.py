"""IAM Access Analyzer ValidatePolicy as a second opinion, mapped to AccessBot findings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.domain.models import Finding, PolicyDocument, Severity
from bot.errors import RetryLater

if TYPE_CHECKING:
    from mypy_boto3_accessanalyzer import AccessAnalyzerClient

# https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ValidatePolicyFinding.html
SEVERITIES = {
    "ERROR": Severity.ERROR,
    "SECURITY_WARNING": Severity.SECURITY_WARNING,
    "WARNING": Severity.WARNING,
    "SUGGESTION": Severity.SUGGESTION,
}
_MAX_PAGES = 20


def _statement_of(raw: dict[str, Any]) -> int | None:
    """The statement index of the finding's first location (`Statement[i]...`), if it names one."""
    for location in raw.get("locations", []):
        path = location.get("path", [])
        if len(path) >= 2 and path[0].get("value") == "Statement" and "index" in path[1]:
            return int(path[1]["index"])
        if path and path[0].get("value") == "Statement":
            return 0  # a single statement object
    return None


def to_finding(raw: dict[str, Any]) -> Finding:
    """One ValidatePolicyFinding as an AccessBot Finding (AWS's code and text kept)."""
    details = " ".join(str(raw.get("findingDetails", "")).split())[:500]
    link = raw.get("learnMoreLink")
    return Finding(
        code=str(raw.get("issueCode", "ACCESS_ANALYZER")),
        severity=SEVERITIES.get(str(raw.get("findingType")), Severity.WARNING),
        message=f"Access Analyzer: {details}",
        statement=_statement_of(raw),
        fix=f"See {link}" if link else None,
    )


def access_analyzer_findings(
    document: PolicyDocument | str, *, client: AccessAnalyzerClient | None = None
) -> list[Finding]:
    """Access Analyzer's findings on an identity policy (all pages). Raises RetryLater when AWS fails."""
    from botocore.exceptions import BotoCoreError, ClientError

    if client is None:
        from bot.aws.sessions import bot_session, make_client

        client = make_client(bot_session(), "accessanalyzer")
    text = document if isinstance(document, str) else json.dumps(document)
    findings: list[Finding] = []
    token: str | None = None
    try:
        for _ in range(_MAX_PAGES):
            kwargs: dict[str, Any] = {"policyDocument": text, "policyType": "IDENTITY_POLICY"}
            if token:
                kwargs["nextToken"] = token
            page = client.validate_policy(**kwargs)
            findings.extend(to_finding(dict(raw)) for raw in page.get("findings", []))
            token = page.get("nextToken")
            if not token:
                break
    except (ClientError, BotoCoreError) as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code", error.__class__.__name__)
        raise RetryLater(f"Access Analyzer could not validate the policy ({code}); try again later") from None
    return findings


def merge(
    ours: list[Finding] | tuple[Finding, ...], theirs: list[Finding], document: PolicyDocument | None = None
) -> list[Finding]:
    """Ours, plus AWS's findings that we did not already report (same code, same statement).

    AWS names statements by index, AccessBot by Sid when there is one: with the document, AWS's
    indexes are translated to Sids first so the two compare.
    """
    sids = _sids(document)
    seen = {(f.code, f.statement) for f in ours}
    merged = list(ours)
    for raw in theirs:
        item = raw
        if isinstance(raw.statement, int) and raw.statement in sids:
            item = raw.model_copy(update={"statement": sids[raw.statement]})
        if (item.code, item.statement) in seen:
            continue
        seen.add((item.code, item.statement))
        merged.append(item)
    return merged


def _sids(document: PolicyDocument | None) -> dict[int, str]:
    if not isinstance(document, dict):
        return {}
    statements = document.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list):
        return {}
    return {
        i: s["Sid"]
        for i, s in enumerate(statements)
        if isinstance(s, dict) and isinstance(s.get("Sid"), str) and s["Sid"].isalnum()
    }
