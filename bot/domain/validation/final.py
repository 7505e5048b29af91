"""The final document (central denies appended) and its size as IAM counts it, against the managed-policy quota."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.models import PolicyDocument
from bot.domain.rules import AccountRules
from bot.domain.validation.grammar import CURRENT_VERSION

# Managed policies: 6,144 characters, whitespace not counted.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
IDENTITY_POLICY_QUOTA = 6144
_STATEMENT_KEY = len('"Statement":')
_VERSION = len(f'"{CURRENT_VERSION}"')
_VERSION_ENTRY = len(f'"Version":"{CURRENT_VERSION}",')  # first, and a Statement always follows


def policy_size(document: Any) -> int:
    """The size IAM counts: the JSON text without insignificant whitespace."""
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def final_document(document: PolicyDocument, rules: AccountRules) -> PolicyDocument | None:
    """The document with "Version": "2012-10-17" and the account type's central denies appended; None when its
    Statement is unusable.

    The version is set whatever the document said (missing, 2008-10-17, or not valid, which is an error
    finding anyway): what AccessBot creates always reads policy variables the way IAM documents them.
    """
    if not isinstance(document.get("Statement", []), dict | list):
        return None
    final = rules.with_central_deny(document)
    if "Version" not in final:
        return {"Version": CURRENT_VERSION, **final}
    final["Version"] = CURRENT_VERSION  # a new dict: the document is left as it was
    return final


_MISSING = object()
_ALL_DENIES: dict[int, tuple[AccountRules, int]] = {}
_MAX_RULES = 64


def _denies_size(rules: AccountRules) -> int:
    """policy_size of the list of all the central deny statements (computed once per rules)."""
    found = _ALL_DENIES.get(id(rules))
    if found is None or found[0] is not rules:
        if len(_ALL_DENIES) >= _MAX_RULES:
            _ALL_DENIES.clear()
        found = _ALL_DENIES[id(rules)] = (rules, policy_size(list(rules.central_deny)))
    return found[1]


def final_size(document: PolicyDocument, final: PolicyDocument | None, size: int | None, rules: AccountRules) -> int:
    """policy_size(final or document), from the document's own size when the text told it (see Parsed.size).

    with_central_deny keeps every key where it was and only appends statements, so the final text is the
    document's with the added statements written into its Statement list (made a list, added when missing),
    and the Version set (in place, or first).
    """
    if final is None or size is None:
        return policy_size(final or document)
    version = document.get("Version", _MISSING)
    if version is _MISSING:
        size += _VERSION_ENTRY
    elif version != CURRENT_VERSION:
        size += _VERSION - policy_size(version)
    statements = document.get("Statement")
    kept = 0 if statements is None else 1 if isinstance(statements, dict) else len(statements)
    added = final["Statement"][kept:]
    # "[a,b]": usually every central deny was added (none was in the document already).
    listed = _denies_size(rules) if len(added) == len(rules.central_deny) else policy_size(added)
    if statements is None:  # ',"Statement":[...]' (no comma in an empty object)
        return size + _STATEMENT_KEY + listed + (1 if document else 0)
    if isinstance(statements, dict):  # "{...}" becomes "[{...},a,b]"
        return size + listed + 1 if added else size + 2
    if not added:
        return size
    return size + listed - 1 if kept else size + listed - 2  # ",a,b" into "[...]", or "a,b" into "[]"
