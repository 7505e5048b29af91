"""IAM wildcards (* any run, ? one character) in actions and ARNs: a regex compiled once per glob, and a string
test for the common "Prefix*"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=8192)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters, ? one character; everything else literal.
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regex of an ARN glob (case-sensitive)."""
    return _glob(pattern, False)


def literal_prefix(glob: str) -> str | None:
    """The literal start of a glob whose one wildcard is a final "*" ("s3:Get*": "s3:Get"), else None.

    Such a glob matches exactly the texts that start with it: a string test, no regex to compile.
    """
    if glob.endswith("*") and "*" not in glob[:-1] and "?" not in glob:
        return glob[:-1]
    return None


def action_matches(pattern: str, action: str) -> bool:
    """IAM action names are case-insensitive."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == action.lower()
    prefix = literal_prefix(pattern)
    # Only for ASCII: case-insensitive regex matching knows Unicode case folds that lower() does not.
    if prefix is not None and pattern.isascii() and action.isascii():
        return action.lower().startswith(prefix.lower())
    return _glob(pattern, True).fullmatch(action) is not None


def any_action_matches(patterns: Iterable[str], action: str) -> bool:
    return any(action_matches(p, action) for p in patterns)


def resource_matches(pattern: str, resource: str) -> bool:
    """ARNs are case-sensitive (in their resource part; the rest is lower case anyway)."""
    if "*" not in pattern and "?" not in pattern:
        return pattern == resource
    prefix = literal_prefix(pattern)
    if prefix is not None:
        return resource.startswith(prefix)
    return _glob(pattern, False).fullmatch(resource) is not None


def resources_overlap(first: str, second: str) -> bool:
    """Could one ARN match both globs? Approximated as one glob covering the other, in either direction."""
    return resource_matches(first, second) or resource_matches(second, first)


def is_star(resource: str) -> bool:
    return resource == "*"


@lru_cache(maxsize=8192)
def glob_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive regex that fully matches what any of the (lower-cased) globs matches."""
    if len(patterns) == 1:
        return _glob(patterns[0], True)
    body = "|".join(f"(?:{_glob(p, True).pattern})" for p in patterns)
    return re.compile(body, re.IGNORECASE | re.DOTALL)
