"""`accessbot chat ["TEXT"] [--as USER] [--json] [--session ID]`: one dialog turn, or a REPL without TEXT."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.domain.models import AccessRequest, Actor, Front, ValidationResult
from bot.domain.replies import Outcome, Reply
from bot.errors import RetryLater

SESSIONS_FILE = Path.home() / ".cache" / "accessbot" / "chat-sessions.json"
OFFLINE = "That needs the running bot: start `accessbot serve` and use the web chat, or Slack."


class OfflineBackend:
    """The CLI's backend without a running bot: lifecycle operations say where to go instead."""

    def _no(self) -> Outcome:
        raise RetryLater(OFFLINE)

    def submit(self, request: AccessRequest, validation: ValidationResult, *, actor: Actor) -> Outcome:
        return self._no()

    def status(self, request_id: str, *, actor: Actor) -> Outcome:
        return self._no()

    def mine(self, *, actor: Actor) -> Outcome:
        return self._no()

    def pending(self, *, actor: Actor) -> Outcome:
        return self._no()

    def cancel(self, request_id: str, *, actor: Actor) -> Outcome:
        return self._no()

    def extend(self, request_id: str, duration: timedelta, *, actor: Actor) -> Outcome:
        return self._no()

    def decide(self, request_id: str, *, approve: bool, reason: str | None, actor: Actor) -> Outcome:
        return self._no()

    def usage(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._no()

    def trim(self, principal_arn: str, days: int, *, actor: Actor) -> Outcome:
        return self._no()


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("chat", help="Talk to the bot: one turn, or an interactive session.")
    parser.add_argument("text", nargs="?", help="One message; without it, an interactive session.")
    parser.add_argument("--as", dest="user", default=None, help="Who is talking (default: your login).")
    parser.add_argument("--json", action="store_true", help="Print the turn as JSON.")
    parser.add_argument("--session", default=None, help="Conversation id (default: cli-USER).")
    parser.set_defaults(handler=run)


def _dialog() -> Any:
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings
    from intents.dialog import Dialog
    from intents.sessions import FileSessionStore

    registry = load_registry(getattr(get_settings(), "accounts_file", None))
    return Dialog(OfflineBackend(), FileSessionStore(SESSIONS_FILE), registry=registry)


def turn_json(result: Any) -> dict[str, Any]:
    """The stable `--json` keys: intent, slots, reply, and request/policy/findings/decision once formed."""
    out: dict[str, Any] = {
        "intent": result.intent,
        "slots": result.slots,
        "reply": result.text,
        "replies": [reply.as_json() for reply in result.replies],
    }
    if result.request is not None:
        out["request"] = result.request.model_dump(mode="json")
    if result.validation is not None:
        out.update(result.validation.as_json())
    if result.request_id:
        out["request_id"] = result.request_id
    if result.status:
        out["status"] = result.status
    return out


def _render(reply: Reply) -> str:
    lines = [reply.text]
    lines += [f"  [{f.severity.value}] {f.code}: {f.message}" for f in reply.findings]
    if reply.policy is not None:
        lines.append(json.dumps(reply.policy, indent=2))
    if reply.buttons:
        lines.append("  choices: " + " | ".join(b.label for b in reply.buttons))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    user = args.user or getpass.getuser()
    actor = Actor(id=user, front=Front.CLI)
    session = args.session or f"cli-{user}"
    dialog = _dialog()
    if args.text is not None:
        result = dialog.turn(actor, args.text, session)
        if args.json:
            print(json.dumps(turn_json(result), indent=2, default=str))
        else:
            print("\n\n".join(_render(r) for r in result.replies))
        return 0
    while True:
        try:
            text = input("you> ")
        except EOFError:
            print()
            return 0
        result = dialog.turn(actor, text, session)
        out = (
            json.dumps(turn_json(result), default=str) if args.json else "\n\n".join(_render(r) for r in result.replies)
        )
        print(out, file=sys.stdout, flush=True)
