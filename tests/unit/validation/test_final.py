"""The final document's size as IAM counts it: read off the text when it can be, always what json.dumps gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.rules import load_rules
from bot.domain.validation.final import final_document, final_size, policy_size
from bot.domain.validation.parse import parse_document

STATEMENT = {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
# Printable text (hidden characters are refused before any size is taken), quotes and backslashes included.
WORDS = st.text(max_size=12).filter(str.isprintable)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), WORDS),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(WORDS, inner, max_size=3)),
    max_leaves=12,
)
STATEMENTS = st.one_of(
    st.just(STATEMENT),
    st.lists(st.one_of(st.just(STATEMENT), st.dictionaries(WORDS, VALUES, max_size=3)), max_size=3),
)
VERSIONS = st.one_of(st.just("2012-10-17"), st.just("2008-10-17"), VALUES)


def _sizes(document: dict[str, Any], indent: int | None) -> None:
    parsed = parse_document(json.dumps(document, indent=indent, ensure_ascii=False))
    assert parsed.document is not None
    for account_type in ("sandbox", "dev", "test", "prod"):
        rules = load_rules().for_type(account_type)
        final = final_document(parsed.document, rules)
        assert final_size(parsed.document, final, parsed.size, rules) == policy_size(final or parsed.document)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({}, optional={"Version": VERSIONS, "Id": WORDS, "Statement": STATEMENTS}),
    st.sampled_from([None, 2]),
)
def test_the_size_read_off_the_text_is_the_size_of_the_final_document(document: dict[str, Any], indent: Any) -> None:
    # e.g. an integer too long for Python to read back
    assume(parse_document(json.dumps(document, indent=indent, ensure_ascii=False)).document is not None)
    _sizes(document, indent)


def test_a_final_policy_already_holding_the_central_denies() -> None:
    final = final_document({"Statement": [STATEMENT]}, load_rules().for_type("sandbox"))
    assert final is not None
    _sizes(final, 2)
    _sizes({**final, "Statement": final["Statement"][:2]}, None)  # some of the denies only


def test_the_text_tells_the_size_only_when_json_would_write_it_back_the_same() -> None:
    spaced, compact = '{"Statement": [], "Version": "2012-10-17"}', '{"Statement":[],"Version":"2012-10-17"}'
    assert parse_document(spaced).size == len(compact)
    assert parse_document('{"Statement": [], "Id": 1.50}').size is None  # json.dumps writes 1.5
    assert parse_document('{"Statement": [], "Id": "caf\\u00e9"}').size is None  # an escape
