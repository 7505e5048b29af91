"""Where a role or user asked for by name lives: every registered account checked at once, with a bound."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain.accounts import Account, AccountRegistry
from bot.domain.usage import Kind, Principal, parse_principal, shown
from bot.domain.usage_lookup import Choice, Lookup, Match
from bot.errors import AccessBotError, NotFound

if TYPE_CHECKING:
    from bot.aws.advisor import Calls


@dataclass(frozen=True)
class Found:
    """The accounts that hold the name (with the IAM calls already set up there), and the ones that failed."""

    matches: list[tuple[Match, Calls]]
    unchecked: list[tuple[Account, AccessBotError]]


def locate(
    lookup: Lookup,
    accounts: Sequence[Account],
    calls_for: Callable[[Account], Calls],
    *,
    max_in_flight: int,
    on_done: Callable[[int, int], None] | None = None,
) -> Found:
    """GetRole (then GetUser) for the name in each account, at most `max_in_flight` accounts at once.

    The answer's ARN is kept as IAM returns it, so a role under a path (`role/ops/DBAdminRole`) is
    reported under its real ARN. One account's trouble (no spoke role, no permission) does not stop the rest.
    """
    from bot.aws import advisor

    def one(account: Account) -> tuple[Match, Calls] | None:
        calls = calls_for(account)
        for kind in lookup.kinds:
            key = "Role" if kind is Kind.ROLE else "User"
            try:
                answer = advisor.call_iam(calls, f"get_{kind.value}", name=lookup.name, **{f"{key}Name": lookup.name})
            except NotFound:
                continue
            arn = str(answer[key]["Arn"])
            return Match(account=account.alias, account_id=account.id, arn=arn, kind=kind), calls
        return None

    results = advisor.run_bounded(accounts, one, max_in_flight=max_in_flight, on_done=on_done)
    matches: list[tuple[Match, Calls]] = []
    unchecked: list[tuple[Account, AccessBotError]] = []
    for account, result in zip(accounts, results, strict=True):
        if isinstance(result, AccessBotError):
            unchecked.append((account, result))
        elif result is not None:
            matches.append(result)
    return Found(matches=matches, unchecked=unchecked)


def resolve_name(
    lookup: Lookup,
    days: int,
    registry: AccountRegistry,
    calls_for: Callable[[Account], Calls],
    *,
    max_in_flight: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Account, Principal, Calls] | Choice:
    """The one account that holds the name; a Choice when several do, or when others could not be checked.

    NotFound when no account holds it (naming the accounts searched); when every account failed the
    same way (no credentials, no spoke role), that error once.
    """
    from bot.domain import usage_render as render
    from bot.domain import usage_texts as texts

    accounts = [registry.resolve(lookup.account)] if lookup.account else list(registry.accounts)
    found = locate(lookup, accounts, calls_for, max_in_flight=max_in_flight, on_done=progress)
    unchecked = tuple((a.alias, shown(str(e), 160)) for a, e in found.unchecked)
    if not found.matches:
        if found.unchecked and len(found.unchecked) == len(accounts):
            raise found.unchecked[0][1]
        what = texts.LOOKUP_WHAT["any" if len(lookup.kinds) > 1 else lookup.kinds[0].value]
        searched = render.listed([a.alias for a in accounts], texts.OR)
        text = texts.LOOKUP_NONE.format(what=what, name=lookup.name, accounts=searched)
        if unchecked:
            checked = render.listed([a for a, _ in unchecked])
            text += texts.LOOKUP_UNCHECKED.format(accounts=checked, reason=unchecked[0][1])
        raise NotFound(text)
    if len(found.matches) == 1 and not unchecked:
        match, calls = found.matches[0]
        return registry.resolve(match.account_id), parse_principal(match.arn), calls
    matches = tuple(m for m, _ in found.matches)
    return Choice(name=lookup.name, days=days, matches=matches, unchecked=unchecked)
