"""Central validation: any policy document and an account type give a decision, findings and the final document."""

from __future__ import annotations

from typing import Any, Literal

from bot.domain.models import AccountType, Decision, Finding, Severity, ValidationResult
from bot.domain.rules import AccountRules, CentralRules, load_rules
from bot.domain.validation.checks import run_checks
from bot.domain.validation.codes import SEED_REJECTION, finding
from bot.domain.validation.final import IDENTITY_POLICY_QUOTA, final_document, final_size, policy_size
from bot.domain.validation.parse import parse_document

__all__ = ["IDENTITY_POLICY_QUOTA", "SEED_REJECTION", "decide", "policy_size", "validate"]

ACCOUNT_TYPES = ("sandbox", "dev", "test", "prod")
_ORDER = {Severity.ERROR: 0, Severity.SECURITY_WARNING: 1, Severity.WARNING: 2, Severity.SUGGESTION: 3}


def _decide(findings: list[Finding], rules: AccountRules | None) -> Decision:
    if not findings:
        return Decision.ALLOW
    blocking = set(rules.block_severities) if rules is not None else {Severity.ERROR, Severity.SECURITY_WARNING}
    blocking.add(Severity.ERROR)
    if any(f.blocking or f.severity in blocking for f in findings):
        return Decision.REJECT
    return Decision.ALLOW


_SHIPPED: list[CentralRules] = []


def _shipped_rules() -> CentralRules:
    """load_rules() (the shipped defaults, loaded once anyway), without its call on every policy."""
    if not _SHIPPED:
        _SHIPPED.append(load_rules())
    return _SHIPPED[0]


def decide(findings: list[Finding], rules: CentralRules | None, account_type: AccountType) -> Decision:
    """The decision for findings under an account type's rules (e.g. after merging a second opinion)."""
    return _decide(findings, (rules or load_rules()).for_type(account_type))


def validate(
    document: str | bytes | dict[str, Any],
    *,
    account_type: AccountType = "sandbox",
    rules: CentralRules | None = None,
    policy_type: Literal["identity"] = "identity",
) -> ValidationResult:
    """Validate a policy (raw text, bytes or parsed JSON) for an account type. Never raises on bad input."""
    if account_type not in ACCOUNT_TYPES:
        bad = finding(
            "DATA_TYPE_MISMATCH",
            element="The account type",
            expected=" or ".join(ACCOUNT_TYPES),
            found=repr(str(account_type)[:20]),
        )
        return ValidationResult(decision=Decision.REJECT, findings=(bad,), policy=None, account_type=None)
    account_rules = (rules or _shipped_rules()).for_type(account_type)
    parsed = parse_document(document)
    if parsed.document is None:
        return ValidationResult(
            decision=Decision.REJECT, findings=tuple(parsed.findings), policy=None, account_type=account_type
        )
    findings = parsed.findings + run_checks(parsed.document, account_rules, account_type, policy_type)
    final = final_document(parsed.document, account_rules)
    size = final_size(parsed.document, final, parsed.size, account_rules)
    if size > IDENTITY_POLICY_QUOTA:
        findings.append(finding("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", size=size, limit=IDENTITY_POLICY_QUOTA))
    if len(findings) > 1:
        findings.sort(key=lambda f: _ORDER[f.severity])
    return ValidationResult(
        decision=_decide(findings, account_rules), findings=tuple(findings), policy=final, account_type=account_type
    )
