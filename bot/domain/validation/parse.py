"""Hostile-input-safe reading of a policy document: size, encoding, syntax, depth, duplicate keys."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.domain.models import Finding
from bot.domain.validation.codes import finding, short

# IAM's largest customer identity policy is 10,240 characters (inline, whitespace excluded); pasted
# documents may be pretty-printed (AWS's largest managed policy is 156 KB so), so allow room, but never
# hand megabytes to the parser.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MAX_TEXT = 256 * 1024
# Document > Statement > [i] > Condition > operator > key > [values]: real policies stay under 8.
MAX_DEPTH = 16


@dataclass(slots=True)
class Parsed:
    document: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    # The document's size as IAM counts it (JSON without insignificant whitespace), when the text tells it.
    size: int | None = None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# One decoder for every call (json.loads with hooks builds a new one each time).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def _type_name(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else type(value).__name__)


def _too_deep(root: object) -> bool:
    """True when any value sits deeper than MAX_DEPTH; walks containers only, iteratively."""
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(root, 1)] if isinstance(root, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH and node:  # its children are deeper than MAX_DEPTH
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


# Every byte but the JSON brackets; digits; JSON whitespace.
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_DIGITS = b"0123456789"
_WHITESPACE = b" \n\r\t"
# Printable ASCII and JSON whitespace: what an ASCII policy text holds when it holds nothing hidden.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\r\t"
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")


def _outside_strings(data: bytes) -> bytes:
    """What a backslash-free JSON text (as UTF-8) holds outside its strings: every quote opens or closes one."""
    return b"".join(data.split(b'"')[::2])


def _shallow(outside: bytes) -> bool:
    """True when the containers nest fewer than MAX_DEPTH deep, from the text outside the strings.

    Only brackets are kept. A quick pass first: each round removes empty [] pairs, then empty {} pairs, so one
    or two levels; emptied in fewer than MAX_DEPTH / 2 rounds means fewer than MAX_DEPTH levels. Otherwise each
    round removes exactly the innermost (empty) pairs, one level per round.
    """
    brackets = outside.translate(None, _NOT_BRACKET)
    quick = brackets
    for _ in range((MAX_DEPTH - 1) // 2):
        if not quick:
            return True
        quick = quick.replace(b"[]", b"").replace(b"{}", b"")
    for _ in range(MAX_DEPTH - 1):
        if not brackets:
            return True
        brackets = _EMPTY_PAIR.sub(b"", brackets)  # one pass: only the pairs empty before it
    return not brackets


def _plain_size(text: str, outside: bytes) -> int | None:
    """The size IAM counts, read off a backslash-free text: its length less the whitespace outside strings.

    Its strings are written back as they are (nothing in them needs an escape); numbers may not be
    (1.50, 1e3), so a text with digits outside its strings says None.
    """
    if len(outside.translate(None, _DIGITS)) != len(outside):
        return None
    return len(text) - (len(outside) - len(outside.translate(None, _WHITESPACE)))


def _visible_text(text: str) -> bytes | None:
    """The text as UTF-8 when no string in it can hold a control or invisible character, else None.

    Without a backslash every character of every key and value appears literally in the text, and
    raw tabs and newlines inside strings are syntax errors, so the text outside JSON whitespace
    being printable is enough. Policies almost always pass, which spares a walk over every string.
    """
    if text.isascii():
        data = text.encode("ascii")
        return data if b"\\" not in data and not data.translate(None, _PLAIN_ASCII) else None
    if "\\" in text or not text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return None
    return text.encode("utf-8")


def _too_deep_or_hidden(root: object) -> Finding | None:
    """Walks iteratively (no recursion on hostile input): depth cap and invisible characters."""
    stack: list[tuple[object, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return finding("NESTING_TOO_DEEP", limit=MAX_DEPTH)
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.isprintable():
                    return finding("CONTROL_CHARACTERS", element=f"The key '{short(key)}'")
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
        elif isinstance(node, str) and not node.isprintable():
            return finding("CONTROL_CHARACTERS", element=f"The value '{short(node)}'")
    return None


def parse_document(document: str | bytes | dict[str, Any] | object) -> Parsed:
    """The document as a dict, or None with the findings that explain why it cannot be used."""
    if isinstance(document, dict):
        try:
            # Round-trip through JSON: refuses cycles, NaN and non-JSON objects, as a pasted text would be.
            text = json.dumps(document, allow_nan=False)
        except RecursionError:
            return Parsed(None, [finding("NESTING_TOO_DEEP", limit=MAX_DEPTH)])
        except (TypeError, ValueError) as error:
            return Parsed(None, [finding("NOT_JSON_VALUE", found=short(error, 60))])
    elif isinstance(document, bytes | bytearray):
        if len(document) > MAX_TEXT * 4:
            return Parsed(None, [finding("POLICY_TOO_LARGE_TO_READ", size=len(document), limit=MAX_TEXT)])
        try:
            text = bytes(document).decode("utf-8-sig")
        except UnicodeDecodeError:
            return Parsed(None, [finding("INVALID_ENCODING")])
    elif isinstance(document, str):
        text = document.removeprefix("\ufeff")
    else:
        return Parsed(
            None,
            [
                finding(
                    "DATA_TYPE_MISMATCH",
                    element="The policy",
                    expected="JSON text or an object",
                    found=_type_name(document),
                )
            ],
        )
    if len(text) > MAX_TEXT:
        return Parsed(None, [finding("POLICY_TOO_LARGE_TO_READ", size=len(text), limit=MAX_TEXT)])
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except _DuplicateKey as error:
        return Parsed(None, [finding("DUPLICATE_KEY", key=short(error.key, 40))])
    except json.JSONDecodeError as error:
        message = error.msg.removesuffix(" at")  # "Invalid control character at" ends in "at" already
        detail = f"{message} at line {error.lineno} column {error.colno}"
        return Parsed(None, [finding("JSON_SYNTAX_ERROR", detail=detail)])
    except RecursionError:
        return Parsed(None, [finding("NESTING_TOO_DEEP", limit=MAX_DEPTH)])
    except ValueError as error:  # NaN/Infinity, integers too long to convert
        return Parsed(None, [finding("JSON_SYNTAX_ERROR", detail=short(error, 80))])
    if not isinstance(value, dict):
        return Parsed(
            None,
            [finding("DATA_TYPE_MISMATCH", element="The policy", expected="a JSON object", found=_type_name(value))],
        )
    data = _visible_text(text)
    size = None
    if data is not None:
        outside = _outside_strings(data)
        size = _plain_size(text, outside)
        problem = None if _shallow(outside) or not _too_deep(value) else finding("NESTING_TOO_DEEP", limit=MAX_DEPTH)
    else:
        problem = _too_deep_or_hidden(value)
    if problem is not None:
        return Parsed(None, [problem])
    return Parsed(value, size=size)


def type_name(value: object) -> str:
    return _type_name(value)
