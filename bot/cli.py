"""The `accessbot` command: one sub-command module per verb in bot/commands/."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from bot.errors import AccessBotError

# Each module in bot/commands/ has `register(subparsers)` and sets `handler` (args -> exit code).
# Imported only when the command line names them, to keep `accessbot --help` fast.
COMMANDS: dict[str, str] = {
    "validate": "Validate an IAM policy document against the central rules.",
    "generate": "Turn a request (words or JSON) into a least-privilege policy.",
    "chat": "Talk to the bot: one turn, or an interactive session without TEXT.",
    "requests": "List, show, approve, deny, revoke or retry access requests.",
    "usage": "Access-advisor summary of a role, user, group, policy or account (by ARN or name).",
    "serve": "Run the whole bot locally: web chat, embedded AWS, scheduler (Slack when configured).",
}

EXIT_USAGE = 2
# The reader of stdout went away (`accessbot generate ... | head -1`). 141 = 128 + SIGPIPE (13), what a shell
# reports for a command killed by SIGPIPE (`yes | head -1` under `set -o pipefail`), so a script sees
# the same status as from coreutils; 0 would claim that all the output was delivered, and it was not.
EXIT_BROKEN_PIPE = 141


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accessbot", description="Least-privilege AWS access, by chat.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in commands or COMMANDS:
        module = import_module(f"bot.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    named = [a for a in args_list if a in COMMANDS][:1]
    parser = build_parser(named if named else None)
    args = parser.parse_args(args_list)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except AccessBotError as error:
        print(f"accessbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the flush at exit doesn't raise again (the Python docs' SIGPIPE note)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor (tests, wrappers)
        sys.stdout = os.fdopen(devnull, "w")
        return
    os.close(devnull)


if __name__ == "__main__":
    raise SystemExit(main())
