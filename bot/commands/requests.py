"""`accessbot requests list|show|approve|deny|revoke|retry`: the request store, for the security team's terminal.

With real AWS it acts on the bot's store in this process (ACCESSBOT_TABLE_NAME); who may approve is
the rule of chat: the name given with --as (default: your login) must be in ACCESSBOT_APPROVERS.
Otherwise it acts on the local bot's store as one of its demo users (`--as sam` approves), like the
web chat's sign-in (bot/commands/localbot.py).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from typing import Any

from bot.commands import where
from bot.domain.lifecycle import APPROVER_GROUP, Status
from bot.domain.models import Actor, Front

EXIT_OK = 0
TEXTS = {
    "help": "List, show, approve, deny, revoke or retry access requests.",
    "as": "Who is acting (default: your login with real AWS; the demo user alice on the local bot).",
    "none": "No requests.",
    "history": "History:",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("requests", help=TEXTS["help"])
    parser.add_argument("--as", dest="user", default=None, help=TEXTS["as"])
    where.add_arguments(parser)
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser("list", help="Requests (approvers: everyone's; others: their own).")
    listing.add_argument("--status", choices=[s.value for s in Status], type=str.upper, default=None)
    listing.add_argument("--json", action="store_true", help="One JSON object per request.")
    show = verbs.add_parser("show", help="One request with its audit history.")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    for verb in ("approve", "revoke", "retry"):
        verbs.add_parser(verb, help=f"{verb.title()} a request.").add_argument("id")
    deny = verbs.add_parser("deny", help="Deny a request (a reason is required).")
    deny.add_argument("id")
    deny.add_argument("--reason", required=True, help="Why: the requester reads it.")
    parser.set_defaults(handler=run)


def actor(user: str | None) -> Actor:
    """The CLI's actor with real AWS: approver when named in ACCESSBOT_APPROVERS."""
    name = (user or getpass.getuser())[:256]
    approvers = {p.strip() for p in os.environ.get("ACCESSBOT_APPROVERS", "").split(",") if p.strip()}
    groups = frozenset({APPROVER_GROUP}) if name in approvers else frozenset()
    return Actor(id=name, front=Front.CLI, groups=groups)


def _bot(args: argparse.Namespace) -> Any:
    if where.choose(args) == "real":
        from bot.commands.bots import InProcessBot

        return InProcessBot(actor(args.user))
    from bot.commands.localbot import connect

    return connect(args.url, args.user)


def run(args: argparse.Namespace) -> int:
    from bot.commands import render as out
    from bot.domain.lifecycle import AuditEvent, RequestRecord
    from bot.lifecycle import render

    bot = _bot(args)
    if args.verb == "list":
        records = [RequestRecord.model_validate(r) for r in bot.requests(args.status)]
        if args.json:
            for record in records:
                print(record.model_dump_json())
        elif records:
            listed = render.table(records)
            out.print_table(listed.columns, listed.rows)
        else:
            print(TEXTS["none"])
        return EXIT_OK
    if args.verb == "show":
        answer = bot.request(args.id)
        if args.json:
            print(json.dumps(answer, indent=2))
            return EXIT_OK
        record = RequestRecord.model_validate(answer["request"])
        events = [AuditEvent.model_validate(e) for e in answer["events"]]
        out.print_text("\n".join(render.detail_lines(record)))
        history = render.history(events)
        out.print_text("\n" + TEXTS["history"])
        out.print_table(history.columns, history.rows)
        return EXIT_OK
    answer = bot.act(args.verb, args.id, getattr(args, "reason", None))
    out.print_text("\n\n".join(reply["text"] for reply in answer["replies"]))
    return EXIT_OK
