"""No input crashes validation; every result has a decision."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.models import Decision
from bot.domain.validation import validate

KEYS = st.sampled_from(
    [
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "Principal",
        "StringEquals",
        "aws:RequestedRegion",
        "ForAnyValue:StringLike",
        "Null",
        "iam:PermissionsBoundary",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        [
            "*",
            "Allow",
            "Deny",
            "2012-10-17",
            "2008-10-17",
            "s3:GetObject",
            "iam:*",
            "iam:PassRole",
            "arn:aws:s3:::b/*",
            "arn:aws-cn:iam::*:role/x",
            "arn:aws:lambda:*:*:function:security-*",
            "ec2:RunInstances",
            "${aws:username}",
            "t3.micro",
            "true",
            "10.0.0.0/8",
        ]
    ),
)
JSONISH = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=30,
)


def _check(document: Any) -> None:
    result = validate(document)
    assert result.decision in (Decision.ALLOW, Decision.REJECT)
    json.dumps(result.as_json())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSONISH, max_size=4))
def test_random_documents(document: dict[str, Any]) -> None:
    _check(document)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(KEYS, JSONISH, max_size=6), max_size=4))
def test_random_statements(statements: list[Any]) -> None:
    _check({"Version": "2012-10-17", "Statement": statements})
    _check(json.dumps({"Version": "2012-10-17", "Statement": statements}))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=300, deadline=None)
@given(JSONISH, st.booleans())
def test_the_fast_text_check_agrees_with_the_full_walk(value: Any, ascii_only: bool) -> None:
    from bot.domain.validation.parse import _too_deep_or_hidden, parse_document

    document = {"Version": "2012-10-17", "Statement": value}
    parsed = parse_document(json.dumps(document, ensure_ascii=ascii_only))
    expected = _too_deep_or_hidden(document)
    assert [f.code for f in parsed.findings] == ([expected.code] if expected else [])
