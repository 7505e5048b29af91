"""`accessbot usage PRINCIPAL_ARN [--days N] [--json]`: access advisor for a role, user, group, policy or account."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from bot.domain import usage_texts as texts
from bot.domain.models import AccessRequest, Actor, ValidationResult
from bot.domain.replies import Outcome
from bot.errors import InvalidInput

EXIT_DONE, EXIT_RUNNING = 0, 1
#: The terminal waits longer than chat does: nobody else is waiting on this process.
CLI_WAIT_SECONDS = 120.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("usage", help=texts.CLI_HELP, description=texts.CLI_DESCRIPTION)
    parser.add_argument(
        "principal", nargs="+", metavar="PRINCIPAL_ARN", help="an IAM role/user/group/policy ARN, or: account ALIAS"
    )
    parser.add_argument("--days", type=int, default=90, metavar="N", help="the window in days (default 90, max 400)")
    parser.add_argument("--json", action="store_true", help="print the stable JSON report")
    parser.add_argument(
        "--wait", type=float, default=CLI_WAIT_SECONDS, metavar="SECONDS", help="how long to wait for access advisor"
    )
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


def _progress(done: int, total: int) -> None:
    print("\r" + texts.PROGRESS.format(done=done, total=total), end="\n" if done == total else "", file=sys.stderr)


def render_outcome(outcome: Outcome) -> str:
    """Replies as terminal text: each reply's text, its table, and what to type next."""
    from bot.commands.text_table import render

    blocks: list[str] = []
    for reply in outcome.replies:
        parts = [reply.text]
        if reply.table is not None and reply.table.rows:
            parts.append(render(reply.table.columns, reply.table.rows))
        parts += [texts.CLI_NEXT.format(value=b.value) for b in reply.buttons]
        blocks.append("\n".join(parts))
    return "\n\n".join(blocks)


def run(args: argparse.Namespace) -> int:
    from bot.domain import usage_render
    from bot.domain.accounts import load_registry
    from bot.domain.usage import AccountReport, Pending, account_words
    from bot.settings import get_settings
    from bot.usage import UsageService

    text = " ".join(args.principal)
    if not args.wait > 0:
        raise InvalidInput("--wait must be a positive number of seconds")
    sweep = account_words(text) is not None and sys.stderr.isatty() and not args.json
    service = UsageService(
        load_registry(get_settings().accounts_file),
        submit=_no_submit,
        deadline_seconds=args.wait,
        progress=_progress if sweep else None,
    )
    added = _embedded_world_hook()
    try:
        found = service.report(text, args.days)
    finally:
        if added is not None:
            from bot.aws.sessions import remove_client_hook

            remove_client_hook(added)
    if args.json:
        print(json.dumps(found.as_json(), indent=2))
    elif isinstance(found, Pending):
        print(usage_render.pending_outcome(found, cli=True).replies[0].text)
    elif isinstance(found, AccountReport):
        print(render_outcome(usage_render.account_outcome(found, cli=True)))
    else:
        print(render_outcome(usage_render.report_outcome(found)))
    running = isinstance(found, Pending) or (isinstance(found, AccountReport) and found.pending > 0)
    return EXIT_RUNNING if running else EXIT_DONE
