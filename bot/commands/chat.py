"""`accessbot chat ["TEXT"] [--as USER] [--json] [--session ID]`: one dialog turn, or a REPL without TEXT.

With real AWS the dialog runs in this process over the bot's wiring (its request table, its spoke
roles); otherwise every turn goes to the local bot (bot/commands/localbot.py), which keeps the
conversation, the requests and the embedded accounts between commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.commands import where
from bot.errors import AccessBotError

TEXTS = {
    "help": "Talk to the bot: one turn, or an interactive session.",
    "text": "One message; without it, an interactive session.",
    "as": "Who is talking (default: your login with real AWS; the demo user alice on the local bot).",
    "json": "Print the turn as JSON.",
    "session": "Conversation id (default: cli-USER).",
    "prompt": "you> ",
    "waiting": "Waiting for the bot",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("chat", help=TEXTS["help"])
    parser.add_argument("text", nargs="?", help=TEXTS["text"])
    parser.add_argument("--as", dest="user", default=None, help=TEXTS["as"])
    parser.add_argument("--json", action="store_true", help=TEXTS["json"])
    parser.add_argument("--session", default=None, help=TEXTS["session"])
    where.add_arguments(parser)
    parser.set_defaults(handler=run)


class _LazyBackend:
    """The bot's backend, built on the first lifecycle or usage call: a turn that only reads words needs no AWS."""

    def __getattr__(self, name: str) -> Any:
        from bot import wiring

        return getattr(wiring.backend(), name)


def _in_process(user: str | None) -> tuple[Any, str]:
    from bot.commands.bots import InProcessBot
    from bot.commands.requests import actor
    from bot.commands.statedir import SESSIONS, state_dir
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings
    from intents.dialog import Dialog
    from intents.sessions import FileSessionStore

    who = actor(user)
    registry = load_registry(get_settings().accounts_file)
    dialog = Dialog(_LazyBackend(), FileSessionStore(state_dir() / SESSIONS), registry=registry)
    return InProcessBot(who, dialog=dialog), who.id


def _bot(args: argparse.Namespace) -> tuple[Any, str]:
    """The bot that answers, and the conversation id (cli-USER unless --session)."""
    if where.choose(args) == "real":
        bot, user = _in_process(args.user)
    else:
        from bot.commands.localbot import connect

        bot = connect(args.url, args.user)
        user = bot.user
    return bot, args.session or f"cli-{user}"


def _turn(bot: Any, text: str, session: str) -> dict[str, Any]:
    from bot.commands.progress import progress

    with progress(TEXTS["waiting"]):
        answer: dict[str, Any] = bot.chat(text, session)
        return answer


def _show(turn: dict[str, Any], *, as_json: bool, compact: bool = False) -> None:
    if as_json:
        print(json.dumps(turn, indent=None if compact else 2, default=str), flush=True)
        return
    from bot.commands.render import print_replies
    from bot.domain.replies import Reply

    print_replies([Reply.model_validate(r) for r in turn.get("replies", [])])


def run(args: argparse.Namespace) -> int:
    bot, session = _bot(args)
    if args.text is not None:
        _show(_turn(bot, args.text, session), as_json=args.json)
        return 0
    while True:
        try:
            text = input(TEXTS["prompt"])
        except EOFError:
            print()
            return 0
        if not text.strip():
            continue
        try:
            _show(_turn(bot, text, session), as_json=args.json, compact=True)
        except AccessBotError as error:  # one refused turn does not end the session
            print(f"accessbot: {error}", file=sys.stderr, flush=True)
