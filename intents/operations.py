"""The one-step intents: status, mine, pending, cancel, extend, usage, trim, approve/deny, validate, explain."""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

from bot.domain.accounts import AccountRegistry
from bot.domain.models import Actor, ValidationResult
from bot.domain.replies import Button, Outcome, Reply
from bot.domain.usage_lookup import CHOOSE_ACCOUNT, spec
from bot.errors import AccessBotError
from intents import texts
from intents.backend import Backend
from intents.understand import duration_of

_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
# Usage reports also take groups and customer managed policies (bot.domain.usage checks the ARN strictly).
_REPORT_ARN = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(?:role|user|group|policy)/[\w+=,.@/-]{1,512}$")
#: (slot key it waits for, question) or the outcome.
Step = tuple[str, Reply] | Outcome


def _ask(key: str, text: str, buttons: tuple[Button, ...] = ()) -> Step:
    return key, Reply(text=text, buttons=buttons)


def account_buttons(registry: AccountRegistry) -> tuple[Button, ...]:
    if len(registry.accounts) > 5:
        return ()
    return tuple(Button(label=a.alias, value=a.alias) for a in registry.accounts)


def _principal(
    slots: dict[str, Any], registry: AccountRegistry, *, whole_account: bool = False
) -> tuple[str | None, Step | None]:
    who = str(slots.get("principal") or "")
    accounts = slots.get("account") or []
    if not who and whole_account and accounts:
        # "usage account sandbox": every role of the account (the backend takes "account <alias>").
        return f"account {registry.resolve(str(accounts[0])).alias}", None
    if not who:
        return None, _ask("principal", texts.ASK_PRINCIPAL)
    if who.startswith("arn:"):
        if not _REPORT_ARN.match(who):
            return None, _ask("principal", texts.BAD_PRINCIPAL.format(word=who[:80]))
        return who, None
    if not _NAME.match(who):
        return None, _ask("principal", texts.BAD_PRINCIPAL.format(word=who[:40]))
    # A name: the usage service looks for it (a role or a user, under any path) in the account named, or
    # in every registered account, asking only when several hold it: nobody has to know where it lives.
    account = registry.resolve(str(accounts[0])).alias if accounts else None
    return spec(who, slots.get("principal_kind"), account), None


def run(intent: str, slots: dict[str, Any], actor: Actor, backend: Backend, registry: AccountRegistry) -> Step:
    """Ask for what's missing, or call the backend; backend errors become replies (their text is user-fit)."""
    try:
        return _run(intent, slots, actor, backend, registry)
    except AccessBotError as error:
        return Outcome(replies=(Reply(text=texts.BACKEND_ERROR.format(message=str(error))),))


def _run(intent: str, slots: dict[str, Any], actor: Actor, backend: Backend, registry: AccountRegistry) -> Step:
    request_id = str(slots.get("request_id") or "")
    if intent == "MyRequests":
        return backend.mine(actor=actor)
    if intent == "ListPending":
        return backend.pending(actor=actor)
    if intent in {"CheckStatus", "CancelRequest", "ExtendAccess", "ApproveRequest", "DenyRequest"} and not request_id:
        return _ask("request_id", texts.ASK_REQUEST_ID)
    if intent == "CheckStatus":
        return backend.status(request_id, actor=actor)
    if intent == "CancelRequest":
        return backend.cancel(request_id, actor=actor)
    if intent == "ExtendAccess":
        length = duration_of(slots.get("duration"))
        if length is None:
            return _ask("duration", texts.ASK_DURATION_FREE)
        return backend.extend(request_id, length, actor=actor)
    if intent == "ApproveRequest":
        return backend.decide(request_id, approve=True, reason=None, actor=actor)
    if intent == "DenyRequest":
        if not slots.get("reason"):
            return _ask("reason", texts.ASK_DENY_REASON.format(request_id=request_id))
        return backend.decide(request_id, approve=False, reason=str(slots["reason"]), actor=actor)
    if intent in {"UsageReport", "TrimPolicy"}:
        arn, step = _principal(slots, registry, whole_account=intent == "UsageReport")
        if step is not None:
            return step
        days = int(slots.get("days") or 90)
        run_usage = backend.trim if intent == "TrimPolicy" else backend.usage
        outcome = run_usage(str(arn), days, actor=actor)
        if outcome.status == CHOOSE_ACCOUNT and outcome.replies:
            return "account", outcome.replies[0]  # the answer (or a button) names the account
        return outcome
    if intent in {"ValidatePolicy", "ExplainPolicy"}:
        return _policy(intent, slots, registry)
    if intent == "Help":
        return Outcome(replies=(Reply(text=texts.HELP),))
    return Outcome(replies=(Reply(text=texts.FALLBACK),))


def _policy(intent: str, slots: dict[str, Any], registry: AccountRegistry) -> Step:
    pasted = slots.get("policy")
    verb = "explain" if intent == "ExplainPolicy" else "validate"
    if not pasted:
        return _ask("policy", texts.ASK_POLICY.format(verb=verb))
    accounts = slots.get("account") or []
    account_type = registry.resolve(str(accounts[0])).type if accounts else "sandbox"
    result: ValidationResult = import_module("bot.domain.validation").validate(str(pasted), account_type=account_type)
    if result.policy is None:
        return Outcome(replies=(Reply(text=texts.POLICY_NOT_JSON, findings=result.findings),))
    if intent == "ExplainPolicy":
        try:
            lines = import_module("bot.domain.summary").summarize(result.policy)
        except ImportError:
            lines = []
        text = "\n".join([texts.EXPLAIN_HEAD, *(f"- {line}" for line in lines)]) if lines else texts.EXPLAIN_NOTHING
        return Outcome(replies=(Reply(text=text, findings=result.findings),))
    verdict = texts.POLICY_VERDICT_ALLOW if result.allowed else texts.POLICY_VERDICT_REJECT
    return Outcome(
        replies=(
            Reply(text=verdict.format(account_type=account_type), policy=result.policy, findings=result.findings),
        ),
        status=result.decision.value,
    )
