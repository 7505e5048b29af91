"""`accessbot generate [TEXT] [--request FILE|-]`: a request becomes a policy, validated centrally."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot.domain.models import AccessRequest, Finding, Severity
from bot.errors import InvalidInput

if TYPE_CHECKING:
    from bot.domain.accounts import AccountRegistry
    from bot.domain.models import ValidationResult
    from bot.domain.writer import WrittenPolicy

EXIT_ALLOWED, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
MAX_REQUEST_BYTES = 256 * 1024

TEXTS = {
    "no_input": "give the request in words, or as JSON with --request FILE|-",
    "both": "give the request in words or with --request, not both",
    "bad_json": "the request is not valid JSON (line {line}, column {column}: {reason})",
    "bad_request": "the request is not usable: {where}{reason}",
    "unreadable": "cannot read {path} ({reason})",
    "too_big": "the request is larger than {limit} bytes",
    "no_nlu": "plain-words requests need the conversation module",
    "summary": "In plain words:",
    "notes": "Notes for the reviewer:",
    "not_written": "REJECTED: no policy written",
}
REFUSED = "REQUEST_REFUSED"  # finding code when the words do not make a request AccessBot will write


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="Turn a request (words or JSON) into a least-privilege policy.",
        description="Exit 0 allowed, 1 rejected, 2 unusable arguments.",
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the request in plain words")
    parser.add_argument("--request", metavar="FILE|-", help="an AccessRequest as JSON (file, or - for stdin)")
    parser.add_argument("--account", metavar="ID_OR_ALIAS", help="target account (overrides the request's)")
    parser.add_argument("--json", action="store_true", help="print the stable JSON result")
    parser.set_defaults(handler=run)


def _read(source: str) -> bytes:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_REQUEST_BYTES + 1)
        except OSError as error:
            raise InvalidInput(TEXTS["unreadable"].format(path=source, reason=error.strerror or "error")) from None
    if len(data) > MAX_REQUEST_BYTES:
        raise InvalidInput(TEXTS["too_big"].format(limit=MAX_REQUEST_BYTES))
    return data


def parse_request(data: bytes, account: str | None = None) -> AccessRequest:
    """JSON bytes to an AccessRequest; unknown keys and bad values give a one-line InvalidInput."""
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as error:
        raise InvalidInput(TEXTS["bad_json"].format(line=error.lineno, column=error.colno, reason=error.msg)) from None
    except UnicodeDecodeError:
        raise InvalidInput(TEXTS["bad_json"].format(line=1, column=1, reason="not UTF-8")) from None
    if isinstance(raw, dict) and account:
        raw["account"] = account
    try:
        return AccessRequest.model_validate(raw)
    except ValidationError as error:
        errors = error.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        where = ".".join(str(p) for p in first["loc"])
        reason = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise InvalidInput(TEXTS["bad_request"].format(where=f"{where}: " if where else "", reason=reason)) from None


def _from_text(text: str, account: str | None, registry: AccountRegistry) -> tuple[AccessRequest | None, str]:
    try:
        from intents.understand import request_from_text
    except ImportError:
        raise InvalidInput(TEXTS["no_nlu"]) from None
    return request_from_text(text, account=account, requester="cli", registry=registry)


def _not_written(reason: str, as_json: bool) -> int:
    """Words that make no request (refused, or something missing): a rejection that says why."""
    if as_json:
        print(json.dumps(_refused(reason), indent=2))
    else:
        print(f"{TEXTS['not_written']}\n  [{REFUSED}] {reason}")
    return EXIT_REJECTED


def generate(text: str, *, account: str | None = None, registry: AccountRegistry | None = None) -> dict[str, Any]:
    """Words to the stable `--json` result: request, decision, findings, policy (what benchmarks check too).

    Words that make no request, or one the writer can't write ("Name the ... resources"), are a
    rejection with one REQUEST_REFUSED finding saying why.
    """
    from bot.domain.accounts import load_registry
    from bot.settings import get_settings

    registry = registry or load_registry(get_settings().accounts_file)
    request, reason = _from_text(text, account, registry)
    if request is None:
        return _refused(reason)
    try:
        _, result = _write(request, registry)
    except InvalidInput as error:
        return _refused(str(error))
    return {"request": request.model_dump(mode="json"), **result.as_json()}


def _refused(reason: str) -> dict[str, Any]:
    finding = Finding(code=REFUSED, severity=Severity.ERROR, message=reason)
    return {"request": None, "decision": "reject", "findings": [finding.model_dump(mode="json", exclude_none=True)],
            "policy": None}  # fmt: skip


def _write(request: AccessRequest, registry: AccountRegistry) -> tuple[WrittenPolicy, ValidationResult]:
    from bot.domain.validation import validate
    from bot.domain.writer import write_policy_with_notes

    account = registry.resolve(request.account)
    expires_at = datetime.now(UTC) + request.duration if request.duration is not None else None
    written = write_policy_with_notes(request, account_id=account.id, expires_at=expires_at)
    return written, validate(written.document, account_type=account.type)


def run(args: argparse.Namespace) -> int:
    from bot.commands.validate import render
    from bot.domain.accounts import load_registry
    from bot.domain.summary import summarize
    from bot.settings import get_settings

    if args.text and args.request:
        raise InvalidInput(TEXTS["both"])
    registry = load_registry(get_settings().accounts_file)
    request: AccessRequest | None
    if args.request:
        request = parse_request(_read(args.request), args.account)
    elif args.text:
        request, reason = _from_text(args.text, args.account, registry)
        if request is None:
            return _not_written(reason, args.json)
    else:
        raise InvalidInput(TEXTS["no_input"])
    try:
        written, result = _write(request, registry)
    except InvalidInput as error:
        if not args.text:
            raise
        return _not_written(str(error), args.json)  # the words made a request the writer can't write
    if args.json:
        output = {"request": request.model_dump(mode="json"), **result.as_json()}
        print(json.dumps(output, indent=2))
    else:
        text = render(result)
        lines = [TEXTS["summary"], *(f"  - {line}" for line in summarize(written.document))]
        if written.notes:
            lines += [TEXTS["notes"], *(f"  - {note.message}" for note in written.notes)]
        head, _, policy = text.rpartition("\n\n")
        print("\n".join([head, "", *lines, "", policy]) if head else "\n".join([*lines, "", text]))
    return EXIT_ALLOWED if result.allowed else EXIT_REJECTED
