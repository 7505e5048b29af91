"""The REST API's resource policy, as API Gateway would decide real requests, and its routes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.infra.policy_eval import api_decision, condition_values, resolve

pytestmark = pytest.mark.infra

SLACK_IP = "54.80.1.1"  # Slack calls from AWS addresses that change: never on any list
OFFICE_IP = "203.0.113.7"  # in the ci stage's webCidrs
STRANGER_IP = "8.8.8.8"
DENIED_IP = "192.0.2.10"  # in the ci stage's denyCidrs, and in no allow list


def _policy(template: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, Any]:
    conditions = condition_values(template, overrides)
    params = {name: spec.get("Default", "") for name, spec in template["Parameters"].items()}
    params.update(overrides or {})
    lists = {n: params[n].split(",") for n, s in template["Parameters"].items() if s["Type"] == "CommaDelimitedList"}
    policy: dict[str, Any] = resolve(
        template["Resources"]["ApiGatewayRestApi"]["Properties"]["Policy"], conditions, lists
    )
    return policy


def test_the_ci_stage_configures_both_lists(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["WebAllowedCidrs"]["Default"] == "203.0.113.0/24,198.51.100.0/24"
    assert params["DeniedCidrs"]["Default"] == "192.0.2.0/24"


@pytest.mark.parametrize(
    ("method", "path", "ip", "expected"),
    [
        ("POST", "/slack/events", SLACK_IP, "allow"),
        ("POST", "/slack/events", STRANGER_IP, "allow"),
        ("GET", "/healthz", STRANGER_IP, "allow"),
        ("GET", "/", OFFICE_IP, "allow"),
        ("POST", "/chat", OFFICE_IP, "allow"),
        ("GET", "/static/chat.js", OFFICE_IP, "allow"),
        ("GET", "/", STRANGER_IP, "deny"),
        ("POST", "/chat", STRANGER_IP, "deny"),
        ("GET", "/static/chat.js", STRANGER_IP, "deny"),
        ("GET", "/auth/config", OFFICE_IP, "allow"),
        ("GET", "/me", OFFICE_IP, "allow"),
        ("GET", "/requests/mine", OFFICE_IP, "allow"),
        ("GET", "/requests/pending", OFFICE_IP, "allow"),
        ("GET", "/requests/AR-7F3K2", OFFICE_IP, "allow"),
        ("POST", "/requests/AR-7F3K2/decision", OFFICE_IP, "allow"),
        ("GET", "/me", STRANGER_IP, "deny"),
        ("GET", "/requests/pending", STRANGER_IP, "deny"),
        ("POST", "/requests/AR-7F3K2/decision", STRANGER_IP, "deny"),
        ("POST", "/requests/AR-7F3K2/decision", DENIED_IP, "deny"),
        ("POST", "/requests/AR-7F3K2", OFFICE_IP, "deny"),
        ("POST", "/slack/events", DENIED_IP, "deny"),
        ("GET", "/healthz", DENIED_IP, "deny"),
        # IPv6 callers (the custom domain is dualstack) match only IPv6 ranges in the lists.
        ("POST", "/slack/events", "2001:db8::5", "allow"),
        ("GET", "/", "2001:db8::5", "deny"),
        # Methods and paths nobody allowed stay closed, even from the office.
        ("GET", "/slack/events", OFFICE_IP, "deny"),
        ("DELETE", "/chat", OFFICE_IP, "deny"),
        ("POST", "/admin", OFFICE_IP, "deny"),
    ],
)
def test_resource_policy_decisions(template: dict[str, Any], method: str, path: str, ip: str, expected: str) -> None:
    assert api_decision(_policy(template), method, path, ip) == expected


def test_deny_list_beats_the_web_allow_list(template: dict[str, Any]) -> None:
    overlapping = {"WebAllowedCidrs": "192.0.2.0/24", "DeniedCidrs": "192.0.2.10/32"}
    policy = _policy(template, overlapping)
    assert api_decision(policy, "POST", "/chat", "192.0.2.10") == "deny"
    assert api_decision(policy, "POST", "/chat", "192.0.2.11") == "allow"


def test_without_lists_the_web_chat_is_closed_and_slack_open(template: dict[str, Any]) -> None:
    policy = _policy(template, {"WebAllowedCidrs": "", "DeniedCidrs": ""})
    assert api_decision(policy, "GET", "/", OFFICE_IP) == "deny"
    assert api_decision(policy, "POST", "/chat", OFFICE_IP) == "deny"
    assert api_decision(policy, "POST", "/slack/events", DENIED_IP) == "allow"


def test_statements_follow_the_seed_post_shapes(template: dict[str, Any]) -> None:
    statements = {s["Sid"]: s for s in template["Resources"]["ApiGatewayRestApi"]["Properties"]["Policy"]["Statement"]}
    web = statements["WebChatFromAllowedNetworks"]["Condition"]["Fn::If"]
    assert web[0] == "HasWebCidrs"
    assert web[1] == {"IpAddress": {"aws:SourceIp": {"Ref": "WebAllowedCidrs"}}}
    deny = statements["DenyListedNetworks"]
    assert deny["Effect"] == "Deny"
    assert deny["Resource"] == "execute-api:/*"
    assert deny["Condition"]["Fn::If"][1] == {"IpAddress": {"aws:SourceIp": {"Ref": "DeniedCidrs"}}}
    assert "Condition" not in statements["SlackAndHealthFromAnywhere"]


def _routes(resources: dict[str, Any]) -> set[tuple[str, str]]:
    parts = {
        name: (r["Properties"]["PathPart"], r["Properties"]["ParentId"])
        for name, r in resources.items()
        if r["Type"] == "AWS::ApiGateway::Resource"
    }

    def path_of(ref: Any) -> str:
        if isinstance(ref, dict) and "Ref" in ref and ref["Ref"] in parts:
            part, parent = parts[ref["Ref"]]
            return f"{path_of(parent)}/{part}"
        return ""

    return {
        (r["Properties"]["HttpMethod"], path_of(r["Properties"]["ResourceId"]) or "/")
        for r in resources.values()
        if r["Type"] == "AWS::ApiGateway::Method"
    }


def test_api_routes_are_the_designed_ones(resources: dict[str, Any]) -> None:
    assert _routes(resources) == {
        ("POST", "/slack/events"),
        ("POST", "/chat"),
        ("GET", "/"),
        ("GET", "/static/{proxy+}"),
        ("GET", "/healthz"),
        ("GET", "/auth/config"),
        ("GET", "/me"),
        ("GET", "/requests/mine"),
        ("GET", "/requests/pending"),
        ("GET", "/requests/{id}"),
        ("POST", "/requests/{id}/decision"),
    }


def test_every_route_of_the_api_lambda_is_in_api_gateway(resources: dict[str, Any]) -> None:
    """The page's calls (bot/web/routes.py) reach the function: a route missing here is a 403 in AWS only."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "bot" / "web" / "routes.py").read_text()
    declared = {
        (method.upper(), re.sub(r"<(\w+)>", lambda m: "{" + ("proxy+" if m[1] == "name" else "id") + "}", path))
        for method, path in re.findall(r'\bapp\.(get|post)\("([^"]+)"\)', source)  # decorator or call
    }
    local_only = {("POST", "/dev/login"), ("GET", "/dev/users"), ("GET", "/dev/jwks.json")}
    assert declared - local_only == _routes(resources)


def test_only_the_custom_domain_serves_the_api(resources: dict[str, Any]) -> None:
    api = resources["ApiGatewayRestApi"]["Properties"]
    assert api["DisableExecuteApiEndpoint"] is True
    assert api["EndpointConfiguration"]["Types"] == ["REGIONAL"]
