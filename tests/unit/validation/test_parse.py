"""Hostile input: every bad document gives a finding and a reject, never an exception."""

from __future__ import annotations

import json

import pytest

from bot.domain.validation import validate

GOOD = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}],
}


def _rejected(document: object, code: str) -> str:
    result = validate(document)  # type: ignore[arg-type]
    assert result.decision.value == "reject"
    assert [f.code for f in result.findings] == [code]
    assert result.policy is None
    return result.findings[0].message


def test_text_bytes_and_dict_give_the_same_result() -> None:
    text = json.dumps(GOOD)
    results = [validate(text), validate(text.encode()), validate(GOOD)]
    assert {r.decision.value for r in results} == {"allow"}
    assert results[0].policy == results[1].policy == results[2].policy


def test_not_json() -> None:
    assert "line 1 column 2" in _rejected("{nope", "JSON_SYNTAX_ERROR")


def test_five_megabytes_are_not_parsed() -> None:
    message = _rejected('{"Statement": "' + "a" * 5_000_000 + '"}', "POLICY_TOO_LARGE_TO_READ")
    assert message == "The policy text is 5000017 characters; AccessBot reads at most 262144."


def test_five_megabytes_of_bytes() -> None:
    _rejected(b"{" * 5_000_000, "POLICY_TOO_LARGE_TO_READ")


@pytest.mark.parametrize("depth", [20, 10_000])
def test_deep_nesting(depth: int) -> None:
    message = _rejected('{"a":' * depth + "1" + "}" * depth, "NESTING_TOO_DEEP")
    assert message == "The policy nests deeper than 16 levels; no IAM policy does."


def test_nesting_at_the_limit_is_read() -> None:
    # 15 objects deep: the innermost value sits at depth 16, the limit.
    assert validate('{"x":' * 14 + '{"y": 1}' + "}" * 14).findings[0].code != "NESTING_TOO_DEEP"
    _rejected('{"x":' * 15 + '{"y": 1}' + "}" * 15, "NESTING_TOO_DEEP")


@pytest.mark.parametrize("depth", [14, 15, 16, 17])
def test_objects_and_lists_taking_turns_count_one_level_each(depth: int) -> None:
    # {"a": [{"a": [...]}]}: a quick pass removing [] then {} would peel two levels a round.
    text = "1"
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"a": {text}}}'
    result = validate('{"Statement": ' + text + "}")
    # The innermost container sits at depth + 1 (the document is 1): from 16, it holds something deeper than 16.
    assert ("NESTING_TOO_DEEP" in [f.code for f in result.findings]) == (depth + 1 >= 16)


def test_deep_nesting_of_lists() -> None:
    _rejected('{"Statement": ' + "[" * 10_000 + "]" * 10_000 + "}", "NESTING_TOO_DEEP")


def test_deep_dict_passed_in() -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(5_000):
        node["a"] = {}
        node = node["a"]  # type: ignore[assignment]
    _rejected(deep, "NESTING_TOO_DEEP")


def test_invalid_utf8() -> None:
    assert _rejected(b'{"Version": "\xff\xfe"}', "INVALID_ENCODING") == "The policy is not valid UTF-8 text."


def test_utf8_bom_is_accepted() -> None:
    assert validate(b"\xef\xbb\xbf" + json.dumps(GOOD).encode()).allowed


@pytest.mark.parametrize(("document", "found"), [("[1, 2]", "a list"), ('"text"', "a string"), ("null", "null")])
def test_top_level_must_be_an_object(document: str, found: str) -> None:
    assert _rejected(document, "DATA_TYPE_MISMATCH") == f"The policy must be a JSON object, not {found}."


def test_raw_control_characters() -> None:
    message = _rejected('{"Version": "2012-10-17\x00"}', "JSON_SYNTAX_ERROR")
    assert message == "The policy is not valid JSON: Invalid control character at line 1 column 24."


def test_escaped_control_and_invisible_characters() -> None:
    message = _rejected('{"Version": "2012-10-17", "Statement": [{"Sid": "A\\u0000"}]}', "CONTROL_CHARACTERS")
    assert message == "The value 'A?' contains control or invisible characters."
    message = _rejected({"Version": "2012\u200b-10-17"}, "CONTROL_CHARACTERS")
    assert message == "The value '2012?-10-17' contains control or invisible characters."


@pytest.mark.parametrize("hidden", ["\u200b", "\u00a0", "\u202e"])
def test_invisible_characters_typed_raw_in_the_text(hidden: str) -> None:
    text = '{"Version": "2012-10-17", "Statement": [{"Sid": "A' + hidden + 'B"}]}'
    assert _rejected(text, "CONTROL_CHARACTERS") == "The value 'A?B' contains control or invisible characters."
    key = '{"Version": "2012-10-17", "Statement": [{"S' + hidden + 'id": "A"}]}'
    assert _rejected(key, "CONTROL_CHARACTERS") == "The key 'S?id' contains control or invisible characters."


def test_escaped_newline_in_a_value() -> None:
    text = '{"Version": "2012-10-17", "Statement": [{"Sid": "A\\nB"}]}'
    assert _rejected(text, "CONTROL_CHARACTERS") == "The value 'A?B' contains control or invisible characters."


def test_pretty_printed_policies_are_not_hidden_characters() -> None:
    assert validate(json.dumps(GOOD, indent="\t")).allowed
    assert validate(json.dumps(GOOD, indent=2).replace("\n", "\r\n")).allowed


def test_duplicate_keys_are_ambiguous() -> None:
    message = _rejected('{"Version": "2012-10-17", "Version": "2008-10-17"}', "DUPLICATE_KEY")
    assert "'Version'" in message


def test_nan_is_not_json() -> None:
    message = _rejected('{"Version": NaN}', "JSON_SYNTAX_ERROR")
    assert message == "The policy is not valid JSON: NaN is not a JSON number."


def test_non_json_objects_in_a_dict() -> None:
    message = _rejected({"Version": object()}, "NOT_JSON_VALUE")
    assert message == "The policy holds a value JSON cannot carry (Object of type object is not JSON serializable)."


def test_cycles_in_a_dict() -> None:
    cyclic: dict[str, object] = {}
    cyclic["self"] = cyclic
    _rejected(cyclic, "NOT_JSON_VALUE")


def test_wrong_python_type() -> None:
    assert _rejected(42, "DATA_TYPE_MISMATCH") == "The policy must be JSON text or an object, not a number."


def test_an_arn_in_another_partition_is_named() -> None:
    doc = {"Version": "2012-10-17", "Statement": [{**GOOD["Statement"][0], "Resource": "arn:aws-cn:s3:::b/*"}]}  # type: ignore[index]
    [finding] = validate(doc).findings
    assert (finding.code, finding.severity) == ("OTHER_PARTITION", "warning")
    assert finding.message == (
        'The resource "arn:aws-cn:s3:::b/*" is in the aws-cn partition; AccessBot accounts are in aws.'
    )


def test_unknown_key_in_a_statement_is_named() -> None:
    doc = {"Version": "2012-10-17", "Statement": [{**GOOD["Statement"][0], "Actions": "s3:*"}]}  # type: ignore[index]
    [finding] = validate(doc).findings
    assert (finding.code, finding.statement) == ("INVALID_POLICY_ELEMENT", 0)
    assert finding.message == 'The element "Actions" is not valid here.'


def test_unknown_account_type() -> None:
    result = validate(GOOD, account_type="staging")  # type: ignore[arg-type]
    assert result.decision.value == "reject"
    assert "sandbox or dev or test or prod" in result.findings[0].message


def test_long_lists_do_not_make_work_quadratic() -> None:
    resources = [f"arn:aws:s3:::b{i}*" for i in range(9_000)]
    actions = [f"s3:Get{i}*" for i in range(2_000)]
    text = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]}
    )
    assert len(text) < 256 * 1024
    result = validate(text)
    assert "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA" in [f.code for f in result.findings]
