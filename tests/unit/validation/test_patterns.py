"""Per-text answers from the catalogue: the same as asking the catalogue each time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import catalog
from bot.domain.validation.patterns import ActionPattern, arn_types

ARNS = [
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::*",
    "arn:aws:dynamodb:*:*:table/T",
    "arn:aws:dynamodb:*:*:table/T/index/I",
    "arn:aws:dynamodb:eu-west-1:123456789012:table/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:*:*:*",
    "arn:aws:iam::*:role/accessbot-*",
    "arn:aws:iam::123456789012:role/path/Name",
    "arn:aws:secretsmanager:*:*:secret:db-??????",
    "arn:aws:lambda:*:*:function:f:*",
    "arn:aws:logs:*:*:log-group:/aws/lambda/*",
    "arn:aws:sqs:us-east-1:123456789012:queue",
    "arn:aws:s3:us-east-1::bucket",
    "arn:aws:iam::*:*",
    "arn:aws:states:*:*:stateMachine:*",
]
SEGMENTS = st.sampled_from(["", "*", "?", "aws", "s3", "ec2", "iam", "us-east-1", "123456789012", "table", "x"])
RESOURCE = st.lists(st.sampled_from(["table/", "T", "/index/", "*", "?", "role/", "instance/", "bucket", "/", ":"]))


@pytest.mark.parametrize("arn", ARNS)
def test_the_types_of_an_arn_are_the_catalogues(arn: str) -> None:
    assert arn_types(arn) == tuple(catalog.match_arn_to_resource_types(arn))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["s3", "dynamodb", "iam", "ec2", "secretsmanager", "lambda"]), SEGMENTS, SEGMENTS, RESOURCE)
def test_generated_arns_get_the_catalogues_types(service: str, region: str, account: str, parts: list[str]) -> None:
    arn = f"arn:aws:{service}:{region}:{account}:{''.join(parts)}"
    assert arn_types(arn) == tuple(catalog.match_arn_to_resource_types(arn))


@pytest.mark.parametrize(
    "text", ["iam:PassRole", "IAM:passrole", "s3:Put*", "iam:*", "*:Put*Policy", "s3:Get Object", "nope:X"]
)
def test_permissions_management_is_what_the_expansion_says(text: str) -> None:
    from bot.domain.models import AccessLevel

    expected = tuple(
        a.full_name for a in catalog.expand(text.lower()) if AccessLevel.PERMISSIONS_MANAGEMENT in a.access_levels
    )
    assert ActionPattern(text).permissions_management == expected
