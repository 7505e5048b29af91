"""Just enough IAM evaluation to ask the generated template questions: conditions, Fn::If, and
API Gateway resource-policy decisions for a (method, path, source IP) request."""

from __future__ import annotations

import fnmatch
import ipaddress
from typing import Any

NO_VALUE = object()


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def condition_values(template: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, bool]:
    """Each template condition evaluated with the parameters' defaults (or overrides)."""
    params = {name: spec.get("Default", "") for name, spec in template.get("Parameters", {}).items()}
    params.update(overrides or {})
    conditions: dict[str, Any] = template.get("Conditions", {})
    done: dict[str, bool] = {}

    def value(node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref":
                raw = params[arg]
                kind = template["Parameters"][arg]["Type"]
                return list(raw.split(",")) if kind == "CommaDelimitedList" else raw
            if fn == "Fn::Join":
                return arg[0].join(value(arg[1]))
            if fn == "Fn::Equals":
                return value(arg[0]) == value(arg[1])
            if fn == "Fn::Not":
                return not value(arg[0])
            if fn == "Fn::And":
                return all(value(a) for a in arg)
            if fn == "Fn::Or":
                return any(value(a) for a in arg)
            if fn == "Condition":
                return evaluate(arg)
        return node

    def evaluate(name: str) -> bool:
        if name not in done:
            done[name] = bool(value(conditions[name]))
        return done[name]

    return {name: evaluate(name) for name in conditions}


def resolve(node: Any, conditions: dict[str, bool], params: dict[str, Any] | None = None) -> Any:
    """Fn::If picked by the conditions, Ref of parameters replaced by their value; the rest as is."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, then, otherwise = node["Fn::If"]
            return resolve(then if conditions[name] else otherwise, conditions, params)
        if set(node) == {"Ref"} and params is not None and node["Ref"] in params:
            return params[node["Ref"]]
        resolved = {k: resolve(v, conditions, params) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(node, list):
        return [r for r in (resolve(v, conditions, params) for v in node) if r is not NO_VALUE]
    if node == {"Ref": "AWS::NoValue"}:
        return NO_VALUE
    return node


def _ip_in(ip: str, cidrs: Any) -> bool:
    address = ipaddress.ip_address(ip)
    return any(c and address in ipaddress.ip_network(c) for c in as_list(cidrs))


def _condition_holds(condition: dict[str, Any], source_ip: str) -> bool:
    for operator, checks in condition.items():
        for key, expected in checks.items():
            assert key == "aws:SourceIp", f"unexpected condition key {key}"
            if operator == "IpAddress" and not _ip_in(source_ip, expected):
                return False
            if operator == "NotIpAddress" and _ip_in(source_ip, expected):
                return False
            if operator == "Null" and str(expected).lower() == "true":
                return False  # API Gateway always knows the source IP
            if operator not in {"IpAddress", "NotIpAddress", "Null"}:
                raise AssertionError(f"unexpected operator {operator}")
    return True


def api_decision(policy: dict[str, Any], method: str, path: str, source_ip: str, stage: str = "ci") -> str:
    """'allow' or 'deny' for an anonymous request, as API Gateway decides with only a resource policy
    (no IAM auth): an explicit Deny wins, else it needs an explicit Allow."""
    arn = f"execute-api:/{stage}/{method}{path}"
    allowed = False
    for statement in as_list(policy["Statement"]):
        if "execute-api:Invoke" not in as_list(statement["Action"]) or statement.get("Principal") != "*":
            continue
        if not any(fnmatch.fnmatchcase(arn, pattern) for pattern in as_list(statement["Resource"])):
            continue
        if not _condition_holds(statement.get("Condition", {}), source_ip):
            continue
        if statement["Effect"] == "Deny":
            return "deny"
        allowed = True
    return "allow" if allowed else "deny"


def substitute(node: Any, values: dict[str, str]) -> Any:
    """Fn::Sub strings and Refs filled in from `values` (pseudo parameters and template parameters)."""
    if isinstance(node, dict) and set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
        text: str = node["Fn::Sub"]
        for name, value in values.items():
            text = text.replace("${" + name + "}", value)
        assert "${" not in text, f"unresolved {text}"
        return text
    if isinstance(node, dict) and set(node) == {"Ref"} and node["Ref"] in values:
        return values[node["Ref"]]
    if isinstance(node, dict):
        return {k: substitute(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, values) for v in node]
    return node


def _matches(value: str, patterns: Any) -> bool:
    return any(fnmatch.fnmatchcase(value.lower(), str(p).lower()) for p in as_list(patterns))


def _arn_condition_holds(condition: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, checks in condition.items():
        for key, expected in checks.items():
            if operator not in {"ArnLike", "ArnEquals", "StringEquals", "StringLike"}:
                raise AssertionError(f"unexpected operator {operator}")
            if key not in context or not _matches(context[key], expected):
                return False
    return True


def iam_decision(statements: list[dict[str, Any]], action: str, resource: str, context: dict[str, str]) -> str:
    """'allow' or 'deny' for one call under identity-policy statements: an explicit Deny wins, else an Allow.

    `resource` "*" stands for an action without a resource type: only `Resource: "*"` covers it."""
    allowed = False
    for statement in statements:
        if not _matches(action, statement["Action"]):
            continue
        resources = as_list(statement["Resource"])
        if resource == "*" and "*" not in resources:
            continue
        if not _matches(resource, resources):
            continue
        if not _arn_condition_holds(statement.get("Condition", {}), context):
            continue
        if statement["Effect"] == "Deny":
            return "deny"
        allowed = True
    return "allow" if allowed else "deny"
