"""`accessbot validate DIR|FILES… [--jobs N]`: an organisation-wide sweep on every core, with a summary table."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from bot.commands.progress import progress
from bot.commands.validate import EXIT_ALLOWED, EXIT_REJECTED, MAX_INPUT_BYTES, TEXTS
from bot.domain.models import Decision, Finding, Severity
from bot.domain.rules import CentralRules
from bot.errors import InvalidInput

UNREADABLE = "UNREADABLE_FILE"  # finding code of a file the sweep could not read
# Files per task: big enough that a worker is rarely idle waiting for the next, small enough for the bar to move.
MAX_CHUNK = 32
_SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}

# One file's result as the worker hands it back: the stable --json shape plus the file.
Result = dict[str, Any]


def _files(sources: list[str]) -> list[str]:
    """The files to validate, in the order given; a directory is walked for *.json, sorted."""
    if "-" in sources:
        raise InvalidInput(TEXTS["stdin_alone"])
    found: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*.json")) if p.is_file())
        elif path.exists():
            found.append(source)
        else:
            raise InvalidInput(TEXTS["missing"].format(path=source))
    if not found:
        raise InvalidInput(TEXTS["nothing"].format(paths=", ".join(sources)))
    return list(dict.fromkeys(found))


def _unreadable(path: str, message: str) -> Result:
    """A file the sweep could not read: a rejected row that says why."""
    finding = Finding(code=UNREADABLE, severity=Severity.ERROR, message=message)
    return {
        "file": path,
        "decision": "reject",
        "findings": [finding.model_dump(mode="json", exclude_none=True)],
        "policy": None,
    }


def _check(path: str, account_type: str, rules: CentralRules | None) -> Result:
    """One file: its validation, or a rejection saying why it could not be read (never an exception)."""
    from bot.domain.validation import validate

    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        return _unreadable(path, TEXTS["unreadable"].format(path=path, reason=reason))
    if len(data) > MAX_INPUT_BYTES:
        return _unreadable(path, TEXTS["too_big"].format(path=path, limit=MAX_INPUT_BYTES))
    result = validate(data, account_type=account_type, rules=rules)  # type: ignore[arg-type]
    return {"file": path, **result.as_json()}


# A worker process's settings, set once by its initializer.
_WORKER: dict[str, Any] = {}


def _start_worker(account_type: str, rules: CentralRules | None) -> None:
    """Each worker loads the whole catalogue and compiles the rules once, before its first file."""
    from bot.domain import catalog
    from bot.domain.validation import validate

    _WORKER.update(account_type=account_type, rules=rules)
    catalog.warm()
    validate({"Version": "2012-10-17", "Statement": []}, account_type=account_type, rules=rules)  # type: ignore[arg-type]


def _check_chunk(paths: list[str]) -> list[Result]:
    return [_check(path, _WORKER["account_type"], _WORKER["rules"]) for path in paths]


def _chunks(items: list[str], jobs: int) -> list[list[str]]:
    size = max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _running(files: list[str], jobs: int, account_type: str, rules: CentralRules | None) -> Iterator[Iterator[Result]]:
    """Results as they finish (any order), each file once; with several jobs, from worker processes.

    Every task is handed to the pool on entry, so the workers start (fork) before the caller starts a progress
    bar, whose thread a fork must not copy.
    """
    if jobs == 1 or len(files) == 1:
        yield (_check(path, account_type, rules) for path in files)
        return
    workers = min(jobs, len(files))
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(account_type, rules)) as pool:
        futures: list[Future[list[Result]]] = [pool.submit(_check_chunk, chunk) for chunk in _chunks(files, workers)]
        try:
            yield (result for future in as_completed(futures) for result in future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def sweep(args: argparse.Namespace) -> int:
    """Validate every file; a summary table (or --json, a list of results); exit 1 if any file is rejected."""
    from bot.domain.rules import load_rules

    if args.aws:
        raise InvalidInput(TEXTS["aws_alone"])
    jobs = args.jobs if args.jobs is not None else os.cpu_count() or 1
    if jobs < 1:
        raise InvalidInput(TEXTS["jobs"])
    files = _files(args.file)
    rules = load_rules(args.rules) if args.rules is not None else None
    order = {path: index for index, path in enumerate(files)}
    results: list[Result] = []
    with _running(files, jobs, args.account_type, rules) as running, progress(TEXTS["progress"]) as advance:
        for result in running:
            results.append(result)
            advance(len(results), len(files))
    results.sort(key=lambda r: order[r["file"]])
    if args.json:
        # One result per line: a sweep's output is large, and json.dumps only writes compact JSON at C speed.
        print("[\n" + ",\n".join(json.dumps(r) for r in results) + "\n]")
    else:
        render(results, args.account_type, sys.stdout)
    return EXIT_REJECTED if any(r["decision"] != "allow" for r in results) else EXIT_ALLOWED


def _codes(findings: list[dict[str, Any]]) -> str:
    counts = Counter(f["code"] for f in findings)
    shown = [code if n == 1 else TEXTS["repeated"].format(code=code, count=n) for code, n in counts.items()]
    return ", ".join(shown) or TEXTS["no_codes"]


def render(results: list[Result], account_type: str, stream: TextIO) -> None:
    """One row per file (decision, finding codes), then the findings per code, then the count of each decision."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    terminal = stream.isatty()
    # In a pipe or a file nothing wraps (each row stays one line for grep) and lines carry no padding.
    out = stream if terminal else io.StringIO()
    console = Console(file=out, width=None if terminal else 100_000, highlight=False)
    # A rule under the header in a terminal; in a pipe it would run as long as the longest row.
    style = box.SIMPLE_HEAD if terminal else None
    files = Table(box=style, show_edge=False)
    # Long paths and codes fold onto the next line in a narrow terminal rather than lose their ends.
    files.add_column(TEXTS["column_file"], overflow="fold")
    files.add_column(TEXTS["column_decision"], no_wrap=True)
    files.add_column(TEXTS["column_findings"], overflow="fold")
    for result in results:
        files.add_row(result["file"], TEXTS[f"decision_{result['decision']}"], _codes(result["findings"]))
    console.print(files)
    per_code: Counter[str] = Counter()
    per_file: Counter[str] = Counter()
    severity: dict[str, str] = {}
    for result in results:
        for finding in result["findings"]:
            per_code[finding["code"]] += 1
            severity[finding["code"]] = finding["severity"]
        per_file.update({f["code"] for f in result["findings"]})
    if per_code:
        console.print()
        totals = Table(box=style, show_edge=False)
        totals.add_column(TEXTS["column_code"], overflow="fold", min_width=max(map(len, per_code)))
        totals.add_column(TEXTS["column_severity"], no_wrap=True)
        totals.add_column(TEXTS["column_count"], justify="right", no_wrap=True)
        totals.add_column(TEXTS["column_files"], justify="right", no_wrap=True)
        for code in sorted(per_code, key=lambda c: (_SEVERITY_ORDER[Severity(severity[c])], -per_code[c], c)):
            totals.add_row(code, severity[code], str(per_code[code]), str(per_file[code]))
        console.print(totals)
    allowed = sum(1 for r in results if r["decision"] == Decision.ALLOW.value)
    console.print()
    console.print(
        TEXTS["totals"].format(
            files=len(results), account_type=account_type, allowed=allowed, rejected=len(results) - allowed
        )
    )
    if isinstance(out, io.StringIO):
        stream.write("".join(line.rstrip() + "\n" for line in out.getvalue().splitlines()))
