"""The IAM policy grammar for identity policies: elements, their types, Sids, Version."""

from __future__ import annotations

import re
from typing import Any

from bot.domain.models import Finding
from bot.domain.validation.codes import finding, short
from bot.domain.validation.parse import type_name
from bot.domain.validation.statement import Clause, Statement

# Statement and Clause live in statement.py; they are the grammar's output, so importable from here too.
__all__ = ["CURRENT_VERSION", "OLD_VERSION", "VERSIONS", "Clause", "Statement", "check_grammar"]

# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
CURRENT_VERSION = "2012-10-17"
OLD_VERSION = "2008-10-17"
VERSIONS = (CURRENT_VERSION, OLD_VERSION)
TOP_LEVEL = frozenset({"Version", "Id", "Statement"})
STATEMENT_KEYS = frozenset({"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"})
PRINCIPAL_KEYS = frozenset({"Principal", "NotPrincipal"})
# Identity policies accept only ASCII letters and digits in Sid.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
_SID = re.compile(r"^[A-Za-z0-9]*$")
_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _slow_strings(value: Any, element: str, ref: int | str, out: list[Finding]) -> tuple[str, ...] | None:
    """A string or list of strings, as a tuple; None (with a finding) when the type is wrong."""
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list):
        items = value
        if not items:
            out.append(finding("EMPTY_ARRAY", statement=ref, element=element))
    else:
        out.append(
            finding(
                "DATA_TYPE_MISMATCH",
                statement=ref,
                element=element,
                expected="a string or a list of strings",
                found=type_name(value),
            )
        )
        return None
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            out.append(
                finding(
                    "DATA_TYPE_MISMATCH",
                    statement=ref,
                    element=f"Each {element} entry",
                    expected="a string",
                    found=type_name(item),
                )
            )
            return None
        stripped = item.strip()
        if not stripped:
            out.append(finding("EMPTY_STRING", statement=ref, element=element))
            continue
        result.append(stripped)
    return tuple(result)


def _strings(value: Any, element: str, ref: int | str, out: list[Finding]) -> tuple[str, ...] | None:
    """A string or list of strings, as a tuple; None (with a finding) when the type is wrong."""
    # The common case without a Python-level loop: every entry a non-blank string; anything else goes the
    # long way, which says what is wrong.
    if type(value) is str:
        stripped = value.strip()
        if stripped:
            return (stripped,)
    elif type(value) is list and value:
        try:
            items = tuple(map(str.strip, value))
        except TypeError:  # an entry that is not a string
            return _slow_strings(value, element, ref, out)
        if all(items):
            return items
    return _slow_strings(value, element, ref, out)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def _conditions(value: Any, ref: int | str, out: list[Finding]) -> tuple[Clause, ...]:
    if not isinstance(value, dict):
        out.append(finding("INVALID_CONDITION_BLOCK", statement=ref, element="Condition"))
        return ()
    clauses: list[Clause] = []
    for operator, block in value.items():
        if not isinstance(block, dict) or not block:
            out.append(finding("INVALID_CONDITION_BLOCK", statement=ref, element=f"Condition {short(operator, 40)}"))
            continue
        for key, raw in block.items():
            if type(raw) is str:  # the common case
                clauses.append(Clause(operator, key, (raw,)))
                continue
            raw_list = raw if isinstance(raw, list) else [raw]
            values = [_scalar(v) for v in raw_list]
            if any(v is None for v in values):
                out.append(
                    finding(
                        "DATA_TYPE_MISMATCH",
                        statement=ref,
                        element=f"Condition {short(key, 60)}",
                        expected="a string, number, boolean or a list of them",
                        found=type_name(raw),
                    )
                )
                continue
            if not raw_list:
                out.append(finding("EMPTY_ARRAY", statement=ref, element=f"Condition {short(key, 60)}"))
            clauses.append(Clause(operator, key, tuple(v for v in values if v is not None)))
    return tuple(clauses)


_ABSENT: Any = object()
# Sids seen, and whether they are plain (letters and digits): statements repeat them across policies.
_PLAIN_SIDS: dict[str, bool] = {}
_MAX_SIDS = 65_536


def _plain_sid(sid: str) -> bool:
    plain = _PLAIN_SIDS.get(sid)
    if plain is None:
        if len(_PLAIN_SIDS) >= _MAX_SIDS:
            _PLAIN_SIDS.clear()
        plain = _PLAIN_SIDS[sid] = _SID.match(sid) is not None
    return plain


def _one_of(
    get: Any, element: str, missing: str, ref: int | str, out: list[Finding]
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """`element` (Action, Resource) and its Not- twin, as strings: one of the two, never both."""
    positive = get(element, _ABSENT)
    negative = get(f"Not{element}", _ABSENT)
    if positive is not _ABSENT:
        if negative is not _ABSENT:
            out.append(
                finding("UNSUPPORTED_ELEMENT_COMBINATION", statement=ref, first=element, second=f"Not{element}")
            )
        values = _strings(positive, element, ref, out)
    else:
        values = None
        if negative is _ABSENT:
            out.append(finding(missing, statement=ref))
    not_values = _strings(negative, f"Not{element}", ref, out) if negative is not _ABSENT else None
    return values, not_values


def _statement(index: int, raw: dict[str, Any], policy_type: str, out: list[Finding]) -> Statement | None:
    get = raw.get
    sid_raw = get("Sid")
    sid = sid_raw if isinstance(sid_raw, str) and sid_raw else None
    plain_sid = sid is not None and _plain_sid(sid)
    ref: int | str = sid if sid is not None and plain_sid else index
    before = len(out)
    if not raw.keys() <= STATEMENT_KEYS:
        for key in raw:
            if key in PRINCIPAL_KEYS and policy_type == "identity":
                out.append(finding("UNSUPPORTED_PRINCIPAL", statement=ref, element=key))
            elif key not in STATEMENT_KEYS:
                out.append(finding("INVALID_POLICY_ELEMENT", statement=ref, element=short(key, 40)))
    if sid_raw is not None and not isinstance(sid_raw, str):
        out.append(
            finding("DATA_TYPE_MISMATCH", statement=ref, element="Sid", expected="a string", found=type_name(sid_raw))
        )
    elif sid and not plain_sid:
        out.append(finding("UNSUPPORTED_SID", statement=ref, sid=short(sid, 40)))
    effect = get("Effect")
    if effect != "Allow" and effect != "Deny":  # noqa: PLR1714 (a set test would hash unhashable JSON values)
        if effect is None:
            out.append(finding("MISSING_EFFECT", statement=ref))
        elif not isinstance(effect, str):
            out.append(
                finding(
                    "DATA_TYPE_MISMATCH", statement=ref, element="Effect", expected="a string", found=type_name(effect)
                )
            )
        else:
            out.append(finding("INVALID_EFFECT", statement=ref, effect=short(effect, 20)))
    # Action/NotAction, then Resource/NotResource: one of each, as strings.
    actions, not_actions = _one_of(get, "Action", "MISSING_ACTION", ref, out)
    resources, not_resources = _one_of(get, "Resource", "MISSING_RESOURCE", ref, out)
    condition = get("Condition", _ABSENT)
    conditions = _conditions(condition, ref, out) if condition is not _ABSENT else ()
    if len(out) > before and any(f.severity == "error" for f in out[before:]):
        return None
    return Statement(
        index=index,
        sid=sid,
        effect=str(effect),
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        conditions=conditions,
    )


def _uses_variables(statements: list[Statement]) -> str | None:
    for st in statements:
        for text in (*(st.resources or ()), *(st.not_resources or ()), *(v for c in st.conditions for v in c.values)):
            match = _VARIABLE.search(text)
            if match:
                return match.group(0)
    return None


def check_grammar(document: dict[str, Any], policy_type: str = "identity") -> tuple[list[Statement], list[Finding]]:
    """The usable statements, and the grammar findings of the whole document."""
    out: list[Finding] = []
    for key in document:
        if key not in TOP_LEVEL:
            if key in PRINCIPAL_KEYS or key in STATEMENT_KEYS:
                out.append(finding("INVALID_POLICY_ELEMENT", element=f"{short(key, 40)} (outside a statement)"))
            else:
                out.append(finding("INVALID_POLICY_ELEMENT", element=short(key, 40)))
    version = document.get("Version")
    if version is not None and version not in VERSIONS:
        out.append(finding("INVALID_VERSION", version=short(version, 30)))
    if "Id" in document and not isinstance(document["Id"], str):
        out.append(finding("DATA_TYPE_MISMATCH", element="Id", expected="a string", found=type_name(document["Id"])))
    raw = document.get("Statement")
    if raw is None:
        out.append(finding("MISSING_STATEMENT"))
        raw_statements: list[Any] = []
    elif isinstance(raw, dict):
        raw_statements = [raw]
    elif isinstance(raw, list):
        raw_statements = raw
        if not raw:
            out.append(finding("EMPTY_STATEMENT"))
    else:
        out.append(
            finding(
                "DATA_TYPE_MISMATCH",
                element="Statement",
                expected="an object or a list of objects",
                found=type_name(raw),
            )
        )
        raw_statements = []
    statements: list[Statement] = []
    sids: set[str] = set()
    for index, item in enumerate(raw_statements):
        if not isinstance(item, dict):
            out.append(
                finding(
                    "DATA_TYPE_MISMATCH",
                    statement=index,
                    element="Each statement",
                    expected="an object",
                    found=type_name(item),
                )
            )
            continue
        sid = item.get("Sid")
        if isinstance(sid, str) and sid:
            if sid in sids:
                out.append(finding("DUPLICATE_SID", statement=index, sid=short(sid, 40)))
            sids.add(sid)
        statement = _statement(index, item, policy_type, out)
        if statement is not None:
            statements.append(statement)
    if version is None:
        out.append(finding("MISSING_VERSION", version=CURRENT_VERSION))
    elif version == OLD_VERSION:
        out.append(finding("OLD_VERSION", version=CURRENT_VERSION))
    if version != CURRENT_VERSION:
        variable = _uses_variables(statements)
        if variable is not None:
            out.append(finding("VARIABLES_NEED_VERSION_2012", variable=short(variable, 40)))
    return statements, out
