"""`accessbot usage PRINCIPAL [--days N] [--json]`: access advisor for a role, user, group, policy or account.

PRINCIPAL is an ARN, a role or user name (looked up in every registered account), or "account ALIAS".
With real AWS the report is made in this process; otherwise the local bot makes it (and keeps its
access-advisor jobs between commands). Exit 0 report, 1 still running, 2 unusable arguments.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from bot.commands import where
from bot.domain import usage_texts as texts
from bot.domain.models import AccessRequest, Actor, Front, ValidationResult
from bot.domain.replies import Outcome
from bot.errors import InvalidInput

EXIT_DONE, EXIT_RUNNING = 0, 1
#: The terminal waits longer than chat does: nobody else is waiting on this process.
CLI_WAIT_SECONDS = 120.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("usage", help=texts.CLI_HELP, description=texts.CLI_DESCRIPTION)
    parser.add_argument(
        "principal", nargs="+", metavar="PRINCIPAL",
        help="an IAM role/user/group/policy ARN, a role or user name (NAME, or NAME in ALIAS), or: account ALIAS",
    )
    parser.add_argument("--days", type=int, default=90, metavar="N", help="the window in days (default 90, max 400)")
    parser.add_argument("--json", action="store_true", help="print the stable JSON report")
    parser.add_argument(
        "--wait", type=float, default=CLI_WAIT_SECONDS, metavar="SECONDS", help="how long to wait for access advisor"
    )
    where.add_arguments(parser)
    parser.set_defaults(handler=run)


def _no_submit(request: AccessRequest, validation: ValidationResult, actor: Actor, principal: str | None) -> Outcome:
    raise InvalidInput(texts.CLI_NO_SUBMIT)


def _embedded_world_hook() -> Callable[[Any], None] | None:
    """Shells pointed at `accessbot serve`'s moto (its export line) answer access advisor in this process too."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if not endpoint or urlparse(endpoint).hostname not in _LOOPBACK:
        return None
    try:
        from bot.local.advisor_world import hook
    except ImportError:  # pragma: no cover (the local extra is not installed)
        return None
    from bot.aws.sessions import _client_hooks, add_client_hook

    if hook in _client_hooks:
        return None
    add_client_hook(hook)
    return hook


def _checked(text: str, days: int) -> str:
    """What the words ask for, checked before any bot or AWS is involved; the progress bar's description."""
    from bot.domain.accounts import load_registry
    from bot.domain.usage import account_words, check_days, parse_principal
    from bot.domain.usage_lookup import lookup_words
    from bot.errors import NotFound
    from bot.settings import get_settings

    check_days(days)
    registry = load_registry(get_settings().accounts_file)
    alias = account_words(text)
    if alias is not None:
        return texts.PROGRESS_SWEEP.format(account=registry.resolve(alias).alias)
    lookup = lookup_words(text)
    if lookup is not None:
        if lookup.account:
            registry.resolve(lookup.account)
        return texts.PROGRESS_LOOKUP.format(name=lookup.name)
    principal = parse_principal(text)
    if registry.find(principal.account_id) is None:
        raise NotFound(texts.UNKNOWN_ACCOUNT.format(account=principal.account_id))
    return texts.PROGRESS_WAIT


def _in_process(args: argparse.Namespace, text: str, advance: Callable[[int, int], None]) -> dict[str, Any]:
    from bot.commands.bots import InProcessBot
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings
    from bot.usage import UsageService

    service = UsageService(
        load_registry(get_settings().accounts_file), submit=_no_submit, deadline_seconds=args.wait, progress=advance
    )
    added = _embedded_world_hook()
    try:
        return InProcessBot(Actor(id="cli", front=Front.CLI), usage=service).usage(text, args.days, args.wait)
    finally:
        if added is not None:
            from bot.aws.sessions import remove_client_hook

            remove_client_hook(added)


def run(args: argparse.Namespace) -> int:
    from bot.commands.progress import progress

    text = " ".join(args.principal)
    if not args.wait > 0:
        raise InvalidInput("--wait must be a positive number of seconds")
    description = _checked(text, args.days)
    if where.choose(args) == "real":
        with progress(description) as advance:
            answer = _in_process(args, text, advance)
    else:
        from bot.commands.localbot import connect

        bot = connect(args.url, None)  # before the bar: starting a bot shows its own
        with progress(description) as advance:
            answer = bot.usage(text, args.days, args.wait, advance)
    if args.json:
        print(json.dumps(answer["report"], indent=2))
    else:
        from bot.commands.render import print_replies
        from bot.domain.replies import Reply

        print_replies([Reply.model_validate(r) for r in answer["replies"]], next_step=texts.CLI_NEXT)
    return EXIT_RUNNING if answer["running"] else EXIT_DONE
