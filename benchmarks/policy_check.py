"""Judging a generated policy against a case: what it must allow, must never allow, and must not reach.

The rules (benchmarks/data/README.md): an [action, ARN] pair is allowed when an Allow statement's
Action and Resource match it (IAM wildcards) and no unconditional Deny statement does. Conditions are
not evaluated: region, time, tag and alias conditions on an Allow don't count against a policy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def _glob(pattern: str, fold: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE if fold else 0)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


def _matches(statement: dict[str, Any], action: str, arn: str) -> bool:
    if "Action" in statement:
        acts = any(_glob(p, True).match(action) for p in _listed(statement["Action"]))
    else:
        acts = not any(_glob(p, True).match(action) for p in _listed(statement.get("NotAction")))
    if not acts:
        return False
    if "Resource" in statement:
        return any(_glob(p, False).match(arn) or p == arn for p in _listed(statement["Resource"]))
    return not any(_glob(p, False).match(arn) for p in _listed(statement.get("NotResource")))


def allowed(policy: dict[str, Any] | None, action: str, arn: str) -> bool:
    if not policy:
        return False
    statements = policy.get("Statement") or []
    statements = [statements] if isinstance(statements, dict) else statements
    allow = any(s.get("Effect") == "Allow" and _matches(s, action, arn) for s in statements)
    # Conditions are not evaluated: an Allow's are taken as met, a Deny's as not met (the central
    # "other regions" deny only bites outside the allowed regions; the request context is unknown here).
    denied = any(s.get("Effect") == "Deny" and not s.get("Condition") and _matches(s, action, arn) for s in statements)
    return allow and not denied


def granted_anywhere(policy: dict[str, Any] | None, action: str) -> bool:
    """Whether any Allow statement lets `action` through, on any resource (a forbidden action must not be)."""
    if not policy:
        return False
    statements = policy.get("Statement") or []
    statements = [statements] if isinstance(statements, dict) else statements
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if "Action" in statement:
            if any(_glob(p, True).match(action) for p in _listed(statement["Action"])):
                return True
        elif not any(_glob(p, True).match(action) for p in _listed(statement.get("NotAction"))):
            return True
    return False


def judge(case: dict[str, Any], output: dict[str, Any]) -> list[str]:
    """What is wrong with `output` (accessbot generate --json) for `case`; [] when it is right."""
    policy = output.get("policy")
    if case.get("refuse"):
        # Refused: no policy written, or one the central rules reject (it can't be submitted).
        refused = policy is None or output.get("decision") == "reject"
        return [] if refused else ["wrote a policy for a request that must be refused"]
    problems: list[str] = []
    if policy is None:
        reason = (output.get("findings") or [{}])[0].get("message", "")
        return [f"no policy: {reason[:160]}"]
    for action, arn in case.get("allow") or []:
        if not allowed(policy, action, arn):
            problems.append(f"does not allow {action} on {arn}")
    for action in case.get("forbid") or []:
        if granted_anywhere(policy, action):
            problems.append(f"FORBIDDEN {action} granted")
    for action, arn in case.get("forbid_on") or []:
        if allowed(policy, action, arn):
            problems.append(f"FORBIDDEN {action} reaches {arn}")
    return problems


def forbidden(problems: list[str]) -> bool:
    return any(p.startswith(("FORBIDDEN", "wrote a policy")) for p in problems)
