"""What the bot says, front-neutral: each front (Slack, web, Lex, CLI) renders these its own way."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.models import Finding, PolicyDocument


class Button(BaseModel):
    """A choice the person can click; `value` is sent back as the next turn's text."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(max_length=75)
    value: str = Field(max_length=2000)
    style: str | None = Field(default=None, description="'primary' or 'danger', where the front supports it.")


class Table(BaseModel):
    """A small table (usage reports, request lists)."""

    model_config = ConfigDict(frozen=True)

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: dict[str, float] | None = Field(default=None, description="label -> value for a small bar chart.")


class Reply(BaseModel):
    """One message from the bot."""

    model_config = ConfigDict(frozen=True)

    text: str
    buttons: tuple[Button, ...] = ()
    policy: PolicyDocument | None = None
    findings: tuple[Finding, ...] = ()
    table: Table | None = None

    def as_json(self) -> dict[str, Any]:
        """The web chat contract: `text`, and `buttons`/`policy`/`findings`/`table` where they apply."""
        return self.model_dump(mode="json", exclude_defaults=True) | {"text": self.text}


class Outcome(BaseModel):
    """What an operation produced: messages, and the request it concerns when there is one."""

    model_config = ConfigDict(frozen=True)

    replies: tuple[Reply, ...]
    request_id: str | None = None
    status: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The turn as the fronts send it: replies, and the request id and status when there are."""
        return outcome_body(self.replies, self.request_id, self.status)


def outcome_body(replies: tuple[Reply, ...], request_id: str | None, status: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"replies": [reply.as_json() for reply in replies]}
    if request_id:
        body["request_id"] = request_id
    if status:
        body["status"] = status
    return body
