"""`accessbot validate FILE|-` and `accessbot validate DIR|FILES… [--jobs N]`: the central validation on policy
documents, for people and scripts (one file here, a sweep in validate_batch)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.domain.models import Finding, Severity, ValidationResult
from bot.errors import InvalidInput

EXIT_ALLOWED, EXIT_REJECTED = 0, 1
MAX_INPUT_BYTES = 5 * 1024 * 1024  # read at most this much; the validator refuses far less anyway

_HEADINGS = {
    Severity.ERROR: "Errors",
    Severity.SECURITY_WARNING: "Security warnings",
    Severity.WARNING: "Warnings",
    Severity.SUGGESTION: "Suggestions",
}
TEXTS = {
    "allow": "ALLOWED for {account_type} accounts",
    "reject": "REJECTED for {account_type} accounts",
    "no_findings": "No findings.",
    "final": "Final policy (central deny statements appended):",
    "no_policy": "No final policy: the input is not a usable policy document.",
    "unreadable": "cannot read {path} ({reason})",
    "too_big": "{path} is larger than {limit} bytes",
    "aws": "Access Analyzer second opinion merged ({count} findings from AWS).",
    # A sweep of many files (validate_batch).
    "missing": "cannot read {path} (No such file or directory)",
    "nothing": "nothing to validate: no *.json file in {paths}",
    "stdin_alone": "- (standard input) is validated on its own, not with other files",
    "aws_alone": "--aws asks Access Analyzer about one file at a time, not a sweep",
    "jobs": "--jobs must be a whole number of at least 1",
    "progress": "Validating",
    "column_file": "file",
    "column_decision": "decision",
    "column_findings": "findings",
    "column_code": "code",
    "column_severity": "severity",
    "column_count": "count",
    "column_files": "files",
    "decision_allow": "ALLOWED",
    "decision_reject": "REJECTED",
    "no_codes": "-",
    "repeated": "{code} ×{count}",
    "totals": "{files} files for {account_type} accounts: {allowed} allowed, {rejected} rejected.",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="Validate an IAM policy document against the central rules.",
        description="Exit 0 allowed (every file), 1 rejected (any file), 2 unusable arguments.",
    )
    parser.add_argument(
        "file",
        nargs="+",
        metavar="FILE|DIR|-",
        help="policy JSON file, - for standard input, or several files and directories (walked for *.json)",
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="processes for a sweep of many files (default: the number of CPUs)"
    )
    parser.add_argument("--account-type", choices=("sandbox", "dev", "test", "prod"), default="sandbox")
    parser.add_argument("--rules", type=Path, help="central rules YAML (default: the shipped rules)")
    parser.add_argument("--json", action="store_true", help="print the stable JSON result")
    parser.add_argument("--aws", action="store_true", help="also ask IAM Access Analyzer (needs AWS credentials)")
    parser.set_defaults(handler=run)


def _read(source: str) -> bytes:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            reason = error.strerror or error.__class__.__name__
            raise InvalidInput(TEXTS["unreadable"].format(path=source, reason=reason)) from None
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInput(TEXTS["too_big"].format(path=source, limit=MAX_INPUT_BYTES))
    return data


def _line(finding: Finding) -> str:
    where = []
    if finding.statement is not None:
        where.append(f"statement {finding.statement}")
    if finding.action:
        where.append(finding.action)
    head = f"  [{finding.code}] " + (f"({', '.join(where)}) " if where else "")
    text = head + finding.message
    if finding.fix:
        text += f"\n      fix: {finding.fix}"
    return text


def render(result: ValidationResult) -> str:
    """Human output: the decision first, findings by severity, the final policy last."""
    key = result.decision.value
    lines = [TEXTS[key].format(account_type=result.account_type or "?")]
    if not result.findings:
        lines.append(TEXTS["no_findings"])
    for severity, heading in _HEADINGS.items():
        group = [f for f in result.findings if f.severity is severity]
        if group:
            lines.append(f"\n{heading} ({len(group)}):")
            lines.extend(_line(f) for f in group)
    lines.append("")
    if result.policy is None:
        lines.append(TEXTS["no_policy"])
    else:
        lines.append(TEXTS["final"])
        lines.append(json.dumps(result.policy, indent=2))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from bot.domain.rules import load_rules
    from bot.domain.validation import validate

    if args.jobs is not None and args.jobs < 1:
        raise InvalidInput(TEXTS["jobs"])
    sources: list[str] = args.file
    if len(sources) > 1 or (sources[0] != "-" and Path(sources[0]).is_dir()):
        from bot.commands.validate_batch import sweep

        return sweep(args)
    rules = load_rules(args.rules) if args.rules is not None else None
    data = _read(sources[0])
    result = validate(data, account_type=args.account_type, rules=rules)
    if args.aws and result.policy is not None:
        from bot.aws.analyzer import access_analyzer_findings, merge
        from bot.domain.validation import decide

        theirs = access_analyzer_findings(data.decode("utf-8", "replace"))
        merged = merge(result.findings, theirs, result.policy)
        result = result.model_copy(
            update={"findings": tuple(merged), "decision": decide(merged, rules, args.account_type)}
        )
        print(TEXTS["aws"].format(count=len(theirs)), file=sys.stderr)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
    else:
        print(render(result))
    return EXIT_ALLOWED if result.allowed else EXIT_REJECTED
