"""What the Slack listeners call: the backend, the dialog, the validator and the approver directory, built lazily."""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from bot.slack.actors import ApproverDirectory
from bot.slack.settings import SlackSettings

if TYPE_CHECKING:  # the domain (pydantic) is the lazy listeners' business: acks never import it
    from bot.domain.models import AccessRequest, AccountType, Actor, ValidationResult
    from bot.domain.replies import Reply
    from intents.backend import Backend


class Turn(Protocol):
    """What the Slack front reads of intents.dialog's TurnResult."""

    @property
    def replies(self) -> list[Reply]: ...

    @property
    def request(self) -> AccessRequest | None: ...

    @property
    def request_id(self) -> str | None: ...


class DialogPort(Protocol):
    def turn(self, actor: Actor, text: str, session_id: str) -> Any: ...


#: (policy text or document, account type) -> the central validation's answer.
Validator: TypeAlias = "Callable[[str, str], ValidationResult]"
#: (edited request) -> the policy written for it and its validation (policy writer + central validation).
Drafter: TypeAlias = "Callable[[AccessRequest], ValidationResult]"


def _default_dialog() -> DialogPort:
    dialog: DialogPort = import_module("bot.wiring").dialog()
    return dialog


def _default_validator(text: str, account_type: str) -> ValidationResult:
    from bot.domain.validation import validate

    # An unknown account type is a finding (DATA_TYPE_MISMATCH) of validate(), not an exception.
    return validate(text, account_type=cast("AccountType", account_type))


def _default_drafter(request: AccessRequest) -> ValidationResult:
    """Writes the edited request's policy and validates it with the rules of its account's type."""
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings

    account = load_registry(get_settings().accounts_file).resolve(request.account)
    policy = import_module("bot.domain.writer").write_policy(request)
    result: ValidationResult = import_module("bot.domain.validation").validate(policy, account_type=account.type)
    return result


class Services:
    """Built once per app; each dependency is created on first use (cold starts stay cheap)."""

    def __init__(
        self,
        settings: SlackSettings,
        backend_factory: Callable[[], Backend],
        *,
        dialog_factory: Callable[[], DialogPort] | None = None,
        validator: Validator | None = None,
        drafter: Drafter | None = None,
        accounts: Callable[[], list[tuple[str, str]]] | None = None,
    ) -> None:
        self.settings = settings
        self.directory = ApproverDirectory(settings)
        self.validate = validator or _default_validator
        self.draft = drafter or _default_drafter
        self._backend_factory = backend_factory
        self._dialog_factory = dialog_factory or _default_dialog
        self._accounts = accounts or _default_accounts
        self._backend: Backend | None = None
        self._dialog: DialogPort | None = None
        self._lock = threading.Lock()

    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                self._backend = self._backend_factory()
            return self._backend

    def dialog(self) -> DialogPort:
        with self._lock:
            if self._dialog is None:
                self._dialog = self._dialog_factory()
            return self._dialog

    def accounts(self) -> list[tuple[str, str]]:
        """(alias, label) of every target account, for the edit modal's select."""
        return self._accounts()


def _default_accounts() -> list[tuple[str, str]]:
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings

    return [(a.alias, a.label) for a in load_registry(get_settings().accounts_file).accounts]

