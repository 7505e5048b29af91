"""`accessbot requests list|show|approve|deny|revoke|retry`: the request store, for the security team's terminal.

It acts on the same store as the running bot (ACCESSBOT_TABLE_NAME; `accessbot serve` prints the
exports that point another shell at its embedded world). Who may approve is the same rule as in
chat: the name given with --as (default: your login) must be in ACCESSBOT_APPROVERS.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from typing import Any

from bot.domain.lifecycle import APPROVER_GROUP, Status
from bot.domain.models import Actor, Front
from bot.domain.replies import Outcome

EXIT_OK = 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("requests", help="List, show, approve, deny, revoke or retry access requests.")
    parser.add_argument("--as", dest="user", default=None, help="Who is acting (default: your login).")
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
    name = (user or getpass.getuser())[:256]
    approvers = {p.strip() for p in os.environ.get("ACCESSBOT_APPROVERS", "").split(",") if p.strip()}
    groups = frozenset({APPROVER_GROUP}) if name in approvers else frozenset()
    return Actor(id=name, front=Front.CLI, groups=groups)


def run(args: argparse.Namespace) -> int:
    from bot import wiring
    from bot.commands.text_table import render

    who = actor(args.user)
    service = wiring.service()
    if args.verb == "list":
        records = service.listing(Status(args.status) if args.status else None, actor=who)
        if args.json:
            for record in records:
                print(record.model_dump_json())
        else:
            from bot.lifecycle.render import table

            listed = table(records)
            print(render(listed.columns, listed.rows) if records else "No requests.")
        return EXIT_OK
    if args.verb == "show":
        record, events = service.history(args.id, actor=who)
        if args.json:
            print(json.dumps({"request": record.model_dump(mode="json"),
                              "events": [e.model_dump(mode="json") for e in events]}, indent=2))
            return EXIT_OK
        from bot.lifecycle import render as lifecycle_render

        print("\n".join(lifecycle_render.detail_lines(record)))
        history = lifecycle_render.history(events)
        print("\nHistory:\n" + render(history.columns, history.rows))
        return EXIT_OK
    backend = wiring.backend()
    outcomes: dict[str, Any] = {
        "approve": lambda: backend.decide(args.id, approve=True, reason=None, actor=who),
        "deny": lambda: backend.decide(args.id, approve=False, reason=args.reason, actor=who),
        "revoke": lambda: backend.revoke(args.id, actor=who),
        "retry": lambda: backend.retry(args.id, actor=who),
    }
    outcome: Outcome = outcomes[args.verb]()
    print("\n\n".join(reply.text for reply in outcome.replies))
    return EXIT_OK
