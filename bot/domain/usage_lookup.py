"""Usage asks by name ("DBAdminRole", "user deploy-bot in dev"): the words, the accounts that hold it, the choice."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.domain.usage import Kind

# IAM role and user names: up to 64 of these characters (a path is not part of the name).
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
_NAME_WORDS = re.compile(
    r"^\s*(?:(?P<kind>role|user)\s+)?(?P<name>[\w+=,.@-]{1,64})(?:\s+in(?:\s+account)?\s+(?P<account>[A-Za-z0-9-]{1,64}))?\s*$",
    re.ASCII | re.IGNORECASE,
)
#: Outcome.status of "it is in several accounts: which one?" (the dialog turns it into a question).
CHOOSE_ACCOUNT = "choose_account"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Lookup(_Frozen):
    """A role or user asked for by name; `account` narrows the search to one registered account."""

    name: str
    kinds: tuple[Kind, ...]
    account: str | None = None


class Match(_Frozen):
    """One registered account that holds the name."""

    account: str
    account_id: str
    arn: str
    kind: Kind


class Choice(_Frozen):
    """The name is in several accounts (or in one, with others not checked): the person picks one."""

    name: str
    days: int
    matches: tuple[Match, ...]
    unchecked: tuple[tuple[str, str], ...] = ()  # (account, why it could not be checked)

    def as_json(self) -> dict[str, Any]:
        """The stable `--json` shape: which accounts hold the name."""
        return {
            "status": CHOOSE_ACCOUNT,
            "principal": self.name,
            "days": self.days,
            "matches": [m.model_dump(mode="json") for m in self.matches],
            "unchecked": [{"account": a, "error": e} for a, e in self.unchecked],
        }


def lookup_words(text: str) -> Lookup | None:
    """ "DBAdminRole", "role DBAdminRole", "user deploy-bot in dev" as a Lookup; None for anything else (ARNs...)."""
    if not isinstance(text, str) or len(text) > 200 or text.strip().lower().startswith("arn:"):
        return None
    found = _NAME_WORDS.fullmatch(text)
    if found is None or found["name"].lower() in {"account", "role", "user"}:
        return None
    kind = (found["kind"] or "").lower()
    kinds = (Kind(kind),) if kind else (Kind.ROLE, Kind.USER)
    return Lookup(name=found["name"], kinds=kinds, account=found["account"])


def spec(name: str, kind: str | None = None, account: str | None = None) -> str:
    """The words `lookup_words` reads back: what the dialog and the CLI hand to the usage service."""
    words = f"{kind} {name}" if kind in ("role", "user") else name
    return f"{words} in {account}" if account else words
