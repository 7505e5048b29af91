"""Action lists as sets: "Prefix*" globs answered by a string test, the same answers as a regex gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.validation.action_sets import ActionSet
from bot.domain.validation.globs import action_matches, resource_matches


def _regex(glob: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile(body, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


GLOBS = ["s3:Get*", "S3:get*", "s3:*", "s3:Get?bject", "*:Get*", "*", "s3:Getſ*", "ec2:Describe*", "iam:Put*Policy"]
NAMES = [
    "s3:GetObject",
    "s3:getobject",
    "S3:GETBUCKETPOLICY",
    "s3:PutObject",
    "ec2:DescribeInstances",
    "iam:PutRolePolicy",
    "s3:getsomething",
    "s3:GetſX",
    "s3:\u212aey",
    "s3:",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("glob", GLOBS)
def test_membership_is_the_case_insensitive_glob(glob: str, name: str) -> None:
    expected = _regex(glob.lower(), True).fullmatch(name.lower()) is not None
    assert (name in ActionSet([glob])) == expected
    assert action_matches(glob, name) == (_regex(glob, True).fullmatch(name) is not None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*GLOBS, "s3:GetObject", "kms:Decrypt"]), max_size=4), st.sampled_from(NAMES))
def test_a_list_contains_what_one_of_its_globs_matches(globs: list[str], name: str) -> None:
    expected = any(_regex(g.lower(), True).fullmatch(name.lower()) for g in globs)
    assert (name in ActionSet(globs)) == expected


@pytest.mark.parametrize(
    ("glob", "resource", "expected"),
    [
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/key", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::B/key", False),  # ARNs are case-sensitive
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/", True),
        ("arn:aws:s3:::b*", "arn:aws:s3:::b\nx", True),
        ("arn:aws:s3:::b?/*", "arn:aws:s3:::bx/k", True),
        ("arn:aws:*:::b", "arn:aws:s3:::b", True),
    ],
)
def test_resource_globs(glob: str, resource: str, expected: bool) -> None:
    assert resource_matches(glob, resource) == expected == (_regex(glob, False).fullmatch(resource) is not None)
