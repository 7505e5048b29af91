"""The policy documents a principal holds (managed and inline; a policy ARN: itself), read for trims."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from bot.aws.advisor import Calls, all_pages, call_iam
from bot.domain.usage import Kind, Principal


def _document(value: Any) -> dict[str, Any] | None:
    """boto3 decodes policy documents into dicts; the raw API sends URL-encoded JSON text."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(unquote(value))
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _managed(calls: Calls, arn: str, *, name: str) -> dict[str, Any] | None:
    policy = call_iam(calls, "get_policy", name=name, PolicyArn=arn)["Policy"]
    version = call_iam(calls, "get_policy_version", name=name, PolicyArn=arn, VersionId=policy["DefaultVersionId"])
    return _document(version["PolicyVersion"].get("Document"))


_OPERATIONS = {
    Kind.ROLE: ("RoleName", "list_attached_role_policies", "list_role_policies", "get_role_policy"),
    Kind.USER: ("UserName", "list_attached_user_policies", "list_user_policies", "get_user_policy"),
    Kind.GROUP: ("GroupName", "list_attached_group_policies", "list_group_policies", "get_group_policy"),
}


def read_documents(calls: Calls, principal: Principal) -> list[tuple[str, dict[str, Any]]]:
    """(policy name, document) of every managed and inline policy on the principal (a policy ARN: itself)."""
    if principal.kind is Kind.POLICY:
        document = _managed(calls, principal.arn, name=principal.arn)
        return [(principal.name, document)] if document else []
    key, attached, inline, get_inline = _OPERATIONS[principal.kind]
    out: list[tuple[str, dict[str, Any]]] = []
    for item in all_pages(calls, attached, "AttachedPolicies", name=principal.arn, **{key: principal.name}):
        document = _managed(calls, str(item["PolicyArn"]), name=principal.arn)
        if document:
            out.append((str(item["PolicyName"]), document))
    for policy_name in all_pages(calls, inline, "PolicyNames", name=principal.arn, **{key: principal.name}):
        answer = call_iam(calls, get_inline, name=principal.arn, **{key: principal.name, "PolicyName": policy_name})
        document = _document(answer.get("PolicyDocument"))
        if document:
            out.append((str(policy_name), document))
    return out
