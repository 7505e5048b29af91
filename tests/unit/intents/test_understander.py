"""A model's draft is only a draft: unknown services, unknown actions and "*"-only writes are dropped."""

from __future__ import annotations

from intents.understander import DraftRequest, read_tool_input, to_drafts, tool_schema


def _draft(**grant: object) -> DraftRequest:
    found = read_tool_input({"grants": [grant]})
    assert found is not None
    return found


def test_known_actions_pass_and_the_rest_is_dropped() -> None:
    grants, dropped = to_drafts(
        _draft(service="kinesis", actions=["PutRecords", "PutRecordz", "UpdateShardCount"], resources=["clicks"])
    )
    assert [(g.service, g.actions, g.resources) for g in grants] == [("kinesis", ["PutRecords"], ["clicks"])]
    # PutRecordz doesn't exist; UpdateShardCount writes and works only on "*": never from chat
    assert dropped == ["kinesis:PutRecordz", "kinesis:UpdateShardCount"]


def test_an_unknown_service_is_dropped() -> None:
    grants, dropped = to_drafts(_draft(service="frobnicator", access_levels=["Read"]))
    assert grants == [] and dropped == ["frobnicator"]


def test_permissions_management_and_wildcards_cannot_be_expressed() -> None:
    assert read_tool_input({"grants": [{"service": "iam", "access_levels": ["Permissions management"]}]}) is None
    assert read_tool_input({"grants": [{"service": "s3:*", "access_levels": ["Read"]}]}) is None
    levels = tool_schema()["$defs"]["DraftGrant"]["properties"]["access_levels"]["items"]["enum"]
    assert "Permissions management" not in levels


def test_s3_words_keep_their_meaning() -> None:
    grants, _ = to_drafts(_draft(service="s3", access_levels=["Read", "List"], resources=["analytics-raw"]))
    assert {(g.resource_type, tuple(lv.value for lv in g.levels)) for g in grants} == {
        ("object", ("Read",)),
        ("bucket", ("List",)),
    }
