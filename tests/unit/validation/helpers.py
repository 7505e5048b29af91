"""Small builders for validation tests."""

from __future__ import annotations

from typing import Any

from bot.domain.models import ValidationResult
from bot.domain.validation import validate


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    doc: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return doc


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def codes(result: ValidationResult) -> list[str]:
    return [f.code for f in result.findings]


def run(*statements: dict[str, Any], account_type: Any = "dev", **kwargs: Any) -> ValidationResult:
    return validate(policy(*statements), account_type=account_type, **kwargs)


def only(result: ValidationResult, code: str) -> Any:
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, (code, codes(result))
    return found[0]
