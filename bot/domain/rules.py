"""The central rules: one YAML file, per account type, written by the security team."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.models import AccountType, PolicyDocument, Severity

DEFAULT_RULES_RESOURCE = "default_rules.yml"


class AccountRules(BaseModel):
    """What the security team allows in one account type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allowed_regions: tuple[str, ...] = Field(default=(), description="Empty: any region.")
    allowed_instance_types: tuple[str, ...] = Field(default=(), description="Globs, e.g. 't3.*'. Empty: any.")
    protected_resources: tuple[str, ...] = Field(
        default=(), description="ARN globs no grant may touch (the security team's functions, rules, roles)."
    )
    forbidden_actions: tuple[str, ...] = Field(default=(), description="Actions (wildcards allowed) never granted.")
    privilege_escalation_checks: bool = True
    block_severities: tuple[Severity, ...] = Field(
        default=(Severity.ERROR, Severity.SECURITY_WARNING),
        description="Findings of these severities reject the policy.",
    )
    max_duration: timedelta | None = Field(default=None, description="Longest grant; None: no limit.")
    require_duration: bool = Field(default=False, description="True: permanent grants are refused.")
    approvals_required: int = Field(default=1, ge=1, le=5)
    auto_approve_read_only: bool = False
    permissions_boundary: str | None = Field(
        default=None,
        description="Policy ARN (account id may be '${AccountId}') the principal must carry before attach, "
        "and that any granted iam:CreateRole/CreateUser must require.",
    )
    central_deny: tuple[dict[str, Any], ...] = Field(
        default=(), description="Deny statements appended to every policy in this account type."
    )

    @model_validator(mode="after")
    def _deny_only(self) -> AccountRules:
        for index, statement in enumerate(self.central_deny):
            if statement.get("Effect") != "Deny":
                raise ValueError(f"central_deny[{index}] must have Effect: Deny")
            if not str(statement.get("Sid", "")).isalnum():
                raise ValueError(f"central_deny[{index}] needs an alphanumeric Sid")
        return self

    def with_central_deny(self, document: PolicyDocument) -> PolicyDocument:
        """A copy of the document with this account type's central deny statements appended."""
        statements = document.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else list(statements)
        # Skip a deny only when the very same statement is already there (validating a final document
        # again changes nothing); a requester's statement that merely reuses the Sid never replaces it.
        extra = [dict(s) for s in self.central_deny if s not in statements]
        return {**document, "Statement": statements + extra}

    def reserved_sids(self) -> frozenset[str]:
        """Sids of the central deny statements: a requester's statement may not use them."""
        return frozenset(str(s.get("Sid")) for s in self.central_deny)


class CentralRules(BaseModel):
    """The whole rules file: one AccountRules per account type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(default=1, ge=1, le=1)
    account_types: dict[AccountType, AccountRules]

    @model_validator(mode="before")
    @classmethod
    def _drop_anchors(cls, data: Any) -> Any:
        # Top-level keys starting with "x-" hold YAML anchors shared between account types.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data

    @model_validator(mode="after")
    def _all_types(self) -> CentralRules:
        missing = {"sandbox", "dev", "test", "prod"} - set(self.account_types)
        if missing:
            raise ValueError(f"rules for account types missing: {', '.join(sorted(missing))}")
        return self

    def for_type(self, account_type: AccountType) -> AccountRules:
        return self.account_types[account_type]


def load_rules(path: Path | None = None) -> CentralRules:
    """The rules from a file, or the shipped defaults (`bot/domain/default_rules.yml`)."""
    from bot.domain.yamlconf import load_yaml_model, load_yaml_text

    if path is not None:
        return load_yaml_model(path, CentralRules, what="rules file")
    return _default_rules(load_yaml_text)


@lru_cache(maxsize=1)
def _default_rules(loader: Any) -> CentralRules:
    text = resources.files("bot.domain").joinpath(DEFAULT_RULES_RESOURCE).read_text(encoding="utf-8")
    rules: CentralRules = loader(text, CentralRules, source=DEFAULT_RULES_RESOURCE, what="rules file")
    return rules
