"""What the dialog needs from the rest of the bot: the lifecycle and usage operations, as a protocol."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from bot.domain.models import AccessRequest, Actor, ValidationResult
from bot.domain.replies import Outcome


class Backend(Protocol):
    """Implemented by bot.lifecycle (requests) and bot usage (access advisor); fronts pass one in.

    Every method returns an Outcome (front-neutral replies) and raises only bot.errors exceptions
    whose messages are fit for the actor (NotFound, Forbidden, Conflict, RetryLater, ...).
    """

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        """Store a validated request as PENDING_APPROVAL (or auto-approve per rules) and notify."""
        ...

    def status(self, request_id: str, *, actor: Actor) -> Outcome: ...

    def mine(self, *, actor: Actor) -> Outcome: ...

    def pending(self, *, actor: Actor) -> Outcome:
        """Requests waiting for this approver (approvers only)."""
        ...

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome: ...

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        """A new approval round for more time on an ACTIVE grant."""
        ...

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        """Approve or deny (deny needs a reason); refuses non-approvers and self-approval."""
        ...

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        """Access-advisor report for a principal ARN (or 'account <alias>')."""
        ...

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        """Propose a smaller policy from usage and submit it as a normal request (pending approval)."""
        ...
