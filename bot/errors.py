"""The one exception hierarchy: each class is named by what the caller must do.

Policy problems are never exceptions: they are findings (bot.domain.models.Finding).
Exceptions are for failures, and every message is safe to show to the person who caused it.
"""

from __future__ import annotations


class AccessBotError(Exception):
    """Base class. `str(error)` is a one-line message fit for the user who triggered it."""


class InvalidInput(AccessBotError):
    """The input cannot be used as given: the caller must fix it and try again."""


class ConfigurationError(AccessBotError):
    """A setting or a rules/accounts file is wrong: an operator must fix the configuration."""


class NotFound(AccessBotError):
    """The thing asked for does not exist (a request id, an account alias, a principal)."""


class Forbidden(AccessBotError):
    """The actor may not do this (not an approver, approving their own request, ...)."""


class Conflict(AccessBotError):
    """The request is no longer in a state that allows this (already approved by someone else, ...)."""


class RetryLater(AccessBotError):
    """A dependency (AWS, Slack) failed transiently; nothing was lost, try again later."""


class ProvisioningFailed(AccessBotError):
    """AWS refused a provisioning step; the message names what to fix (permission, trust) before a retry."""
