"""The account registry: target accounts, their type, the spoke role to assume, and principal mapping."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.domain.models import AccountType
from bot.errors import ConfigurationError, NotFound

_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
_PRINCIPAL_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):(role|user)/[\w+=,.@/-]{1,512}$")
_ALIAS = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

#: The spoke role's default name, as in the seed post (`central-account-role`).
DEFAULT_SPOKE_ROLE = "central-account-role"


class Account(BaseModel):
    """One target account."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{12}$")
    alias: str
    type: AccountType
    role_arn: str = Field(description="The spoke role the bot assumes in this account.")
    external_id: str = Field(min_length=2, max_length=1224)
    principals: dict[str, str] = Field(
        default_factory=dict,
        description="Requester (Slack id, web user, ...) -> IAM role/user ARN the policy is attached to. "
        "A requester with no entry gets the policy created and its ARN reported (the seed's flow).",
    )

    @field_validator("alias")
    @classmethod
    def _alias(cls, value: str) -> str:
        if not _ALIAS.match(value):
            raise ValueError("an alias is lower case letters, digits and dashes")
        return value

    @model_validator(mode="after")
    def _same_account(self) -> Account:
        match = _ROLE_ARN.match(self.role_arn)
        if not match or match.group(1) != self.id:
            raise ValueError(f"role_arn must be a role ARN in account {self.id}")
        for who, arn in self.principals.items():
            found = _PRINCIPAL_ARN.match(arn)
            if not found or found.group(1) != self.id:
                raise ValueError(f"principal for '{who}' must be a role or user ARN in account {self.id}")
        return self

    def principal_for(self, requester: str) -> str | None:
        return self.principals.get(requester)

    @property
    def label(self) -> str:
        return f"{self.alias} ({self.id}, {self.type})"


class AccountRegistry(BaseModel):
    """All target accounts the bot knows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    security_account_id: str = Field(pattern=r"^\d{12}$", description="Where the bot itself runs.")
    accounts: tuple[Account, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AccountRegistry:
        for attr in ("id", "alias"):
            seen = [getattr(a, attr) for a in self.accounts]
            dupes = sorted({v for v in seen if seen.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate account {attr}: {', '.join(dupes)}")
        return self

    def resolve(self, id_or_alias: str) -> Account:
        """The account for an id or alias (case-insensitive alias), or NotFound naming the known ones."""
        key = id_or_alias.strip().lower()
        for account in self.accounts:
            if key in (account.id, account.alias):
                return account
        raise NotFound(f"I don't know the account '{id_or_alias[:64]}'. Known accounts: {self.describe()}.")

    def find(self, id_or_alias: str) -> Account | None:
        try:
            return self.resolve(id_or_alias)
        except NotFound:
            return None

    def aliases(self) -> list[str]:
        return [a.alias for a in self.accounts]

    def describe(self) -> str:
        return ", ".join(f"{a.alias} ({a.id})" for a in self.accounts)


#: The embedded world (DESIGN.md): a security account and four targets. The sandbox uses the
#: seed posts' account id, so the access-advisor post's ARNs work verbatim.
EMBEDDED_SECURITY_ACCOUNT = "111111111111"
EMBEDDED_EXTERNAL_ID = "accessbot-local-external-id"
EMBEDDED_ACCOUNTS: dict[str, tuple[str, AccountType]] = {
    "sandbox": ("123456789012", "sandbox"),
    "dev": ("234567890123", "dev"),
    "test": ("345678901234", "test"),
    "prod": ("456789012345", "prod"),
}
#: Demo requesters and the role each one's grants are attached to, in every embedded account.
EMBEDDED_PRINCIPALS = {"alice": "role/DataScientist", "bob": "role/Developer"}


def embedded_registry() -> AccountRegistry:
    """The account registry of the embedded world (`accessbot serve`, and the CLI's default)."""
    accounts = tuple(
        Account(
            id=account_id,
            alias=alias,
            type=kind,
            role_arn=f"arn:aws:iam::{account_id}:role/{DEFAULT_SPOKE_ROLE}",
            external_id=EMBEDDED_EXTERNAL_ID,
            principals={who: f"arn:aws:iam::{account_id}:{name}" for who, name in EMBEDDED_PRINCIPALS.items()},
        )
        for alias, (account_id, kind) in EMBEDDED_ACCOUNTS.items()
    )
    return AccountRegistry(security_account_id=EMBEDDED_SECURITY_ACCOUNT, accounts=accounts)


def load_registry(path: Path | None = None) -> AccountRegistry:
    """The registry from a YAML file, or the embedded one when no file is configured."""
    if path is None:
        return embedded_registry()
    from bot.domain.yamlconf import load_yaml_model

    return load_yaml_model(path, AccountRegistry, what="accounts file")


def registry_from_data(data: Any) -> AccountRegistry:
    try:
        return AccountRegistry.model_validate(data)
    except ValidationError as error:
        raise ConfigurationError(f"accounts: {error.errors()[0]['msg']}") from error
