"""The api router through bot.handlers.api: REST (v1) and HTTP API (v2) events, identity, limits, headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from tests.functional.web.conftest import FakeBackend, FakeEngine, body_of, headers_of, http_event, rest_event

EVENTS = pytest.mark.parametrize("make", [rest_event, http_event], ids=["rest", "http-v2"])
Call = Callable[[dict[str, Any]], dict[str, Any]]
XSS = "<img src=x onerror=alert(1)>"
DECIDE = 'Say whether you approve: {"approve": true} or {"approve": false, "reason": "…"}.'


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


@EVENTS
def test_healthz_answers_on_both_event_formats(make: Any, call: Call, local_stage: None) -> None:
    response = call(make("GET", "/healthz"))
    assert response["statusCode"] == 200
    assert body_of(response) == {"ok": True, "stage": "local"}


@EVENTS
def test_chat_turn_returns_replies_request_and_status(make: Any, call: Call, engine: FakeEngine, token: Any) -> None:
    response = call(make("POST", "/chat", {"text": "read the bucket", "session_id": "s1"}, bearer(token("alice"))))
    assert response["statusCode"] == 200
    body = body_of(response)
    assert body["request_id"] == "AR-7F3K2" and body["status"] == "PENDING_APPROVAL"
    assert body["replies"][0] == {
        "text": "You said: read the bucket",
        "buttons": [{"label": "Yes", "value": "yes", "style": "primary"}],
    }
    assert body["replies"][1]["policy"]["Version"] == "2012-10-17"
    assert body["replies"][2]["table"]["chart"] == {"s3": 3.0}
    actor, text, session = engine.turns[0]
    assert (actor.id, actor.front.value, text, session) == ("alice", "web", "read the bucket", "s1")


def test_with_metrics_off_no_metric_reaches_stdout(
    call: Call, engine: FakeEngine, token: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    alice = bearer(token("alice"))
    for turn in range(101):  # Powertools prints a batch at the 100th data point of a metric
        assert call(rest_event("POST", "/chat", {"text": f"turn {turn}"}, alice))["statusCode"] == 200
    assert "_aws" not in capsys.readouterr().out


@EVENTS
def test_chat_without_a_token_is_401(make: Any, call: Call, engine: FakeEngine) -> None:
    response = call(make("POST", "/chat", {"text": "hi"}))
    assert response["statusCode"] == 401
    assert body_of(response) == {"error": "Sign in first."}
    assert headers_of(response)["www-authenticate"].startswith("Bearer")
    assert engine.turns == []


@pytest.mark.parametrize(
    ("label", "forge", "message"),
    [
        ("garbage", lambda t: "not-a-jwt", "Your sign-in is not valid; sign in again."),
        ("expired", lambda t: t("alice", ttl=-3600), "Your sign-in has expired; sign in again."),
        ("tampered", lambda t: t("alice")[:-4] + "AAAA", "Your sign-in is not valid; sign in again."),
        (
            "alg-none",
            lambda t: jwt.encode(_claims(), None, algorithm="none"),
            "Your sign-in is not valid; sign in again.",
        ),
        ("other-key", lambda t: _foreign_token(), "Your sign-in is not valid; sign in again."),
        ("huge", lambda t: "a" * 9000, "Sign in first."),
    ],
)
def test_chat_with_a_bad_token_is_401(
    label: str, forge: Any, message: str, call: Call, engine: FakeEngine, token: Any
) -> None:
    response = call(rest_event("POST", "/chat", {"text": "hi"}, bearer(forge(token))))
    assert response["statusCode"] == 401, label
    assert body_of(response) == {"error": message}
    assert engine.turns == []


def test_wrong_audience_or_issuer_is_401(
    call: Call, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, token: Any
) -> None:
    from bot.web import identity, routes

    alice = token("alice")  # signed for the default audience and issuer
    for key, value in (("ACCESSBOT_OIDC_AUDIENCE", "another-app"), ("ACCESSBOT_OIDC_ISSUER", "https://evil.example")):
        monkeypatch.setenv(key, value)
        identity.web_settings.cache_clear()
        routes.resolver.cache_clear()
        response = call(rest_event("POST", "/chat", {"text": "hi"}, bearer(alice)))
        assert response["statusCode"] == 401, key
        assert body_of(response) == {"error": "Your sign-in is not valid; sign in again."}
        monkeypatch.delenv(key)
    assert engine.turns == []


def _claims() -> dict[str, Any]:
    from bot.web.identity import DEV_AUDIENCE, DEV_ISSUER

    now = int(time.time())
    return {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "sam",
        "iat": now,
        "exp": now + 600,
        "groups": ["accessbot-approvers"],
    }


def _foreign_token() -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from bot.web.devidp import jwks

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = jwks()["keys"][0]["kid"]  # claims the dev IdP's kid, signed with another key
    return jwt.encode(_claims(), other, algorithm="RS256", headers={"kid": kid})


@EVENTS
def test_bodies_over_64_kb_are_refused_with_413(make: Any, call: Call, engine: FakeEngine, token: Any) -> None:
    big = {"text": "x" * (64 * 1024), "session_id": "s1"}
    for b64 in (False, True):
        response = call(make("POST", "/chat", big, bearer(token()), b64=b64))
        assert response["statusCode"] == 413
        assert body_of(response) == {"error": "That message is too large (at most 64 KB)."}
    assert engine.turns == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The request body must be a JSON object."),
        ('["a list"]', "The request body must be a JSON object."),
        ({"text": "   "}, "Type a message first."),
        ({"text": "y" * 4001}, "That message is too long (at most 4000 characters)."),
        (
            {"text": "hi", "session_id": "../../etc"},
            "The session id may use letters, digits, '-' and '_' (at most 64).",
        ),
        ({"text": "hi", "admin": True}, "Unknown field 'admin'."),
        ({"session_id": "s1"}, "Type a message first."),
    ],
)
def test_bad_chat_bodies_say_what_is_wrong(body: Any, message: str, call: Call, engine: FakeEngine, token: Any) -> None:
    response = call(rest_event("POST", "/chat", body, bearer(token())))
    assert response["statusCode"] == 400
    assert body_of(response) == {"error": message}


@EVENTS
def test_every_response_carries_a_strict_csp(make: Any, call: Call, local_stage: None) -> None:
    for path in ("/", "/healthz", "/nowhere", "/static/app.js"):
        headers = headers_of(call(make("GET", path)))
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_style(call: Call, local_stage: None) -> None:
    response = call(rest_event("GET", "/"))
    page = response["body"]
    assert response["statusCode"] == 200 and headers_of(response)["content-type"].startswith("text/html")
    assert '<script src="/static/app.js" defer></script>' in page
    assert "<script>" not in page and "style=" not in page and "<style" not in page and "onclick" not in page


def test_the_script_never_uses_inner_html(call: Call, local_stage: None) -> None:
    script = call(rest_event("GET", "/static/app.js"))["body"]
    assert "innerHTML" not in script.replace("never innerHTML", "") and "outerHTML" not in script
    assert "eval(" not in script and "document.write" not in script


@pytest.mark.parametrize("path", ["/static/../api.py", "/static/index.html.bak", "/static/secret.py", "/static/"])
def test_only_the_page_assets_are_served(path: str, call: Call, local_stage: None) -> None:
    response = call(rest_event("GET", path))
    assert response["statusCode"] == 404
    assert body_of(response) == {"error": "There is nothing here."}


@EVENTS
def test_hostile_text_stays_text_in_the_json(make: Any, call: Call, engine: FakeEngine, token: Any) -> None:
    response = call(make("POST", "/chat", {"text": XSS}, bearer(token())))
    assert headers_of(response)["content-type"] == "application/json"
    assert body_of(response)["replies"][0]["text"] == f"You said: {XSS}"
    assert engine.turns[0][1] == XSS


@EVENTS
def test_failures_never_leak_a_stack_trace(make: Any, call: Call, engine: FakeEngine, token: Any) -> None:
    engine.fail = RuntimeError("database password is hunter2")
    response = call(make("POST", "/chat", {"text": "hi"}, bearer(token())))
    assert response["statusCode"] == 500
    assert body_of(response) == {
        "error": "Something went wrong on our side; nothing was changed. Try again in a moment."
    }
    assert "hunter2" not in response["body"] and "Traceback" not in response["body"]


def test_bot_errors_map_to_status_codes_with_their_message(call: Call, engine: FakeEngine, token: Any) -> None:
    from bot.errors import ConfigurationError, Conflict, RetryLater

    for error, status, message in (
        (Conflict("Someone already approved it."), 409, "Someone already approved it."),
        (RetryLater("AWS is slow; try again."), 503, "AWS is slow; try again."),
        (
            ConfigurationError("ACCESSBOT_TABLE_NAME is wrong"),
            500,
            "Something went wrong on our side; nothing was changed. Try again in a moment.",
        ),
    ):
        engine.fail = error
        response = call(rest_event("POST", "/chat", {"text": "hi"}, bearer(token())))
        assert (response["statusCode"], body_of(response)) == (status, {"error": message})


@EVENTS
def test_dev_login_issues_a_token_the_api_accepts(make: Any, call: Call, local_stage: None) -> None:
    response = call(make("POST", "/dev/login", {"user": "sam"}))
    assert response["statusCode"] == 200
    login = body_of(response)
    assert (login["user"], login["approver"]) == ("sam", True)
    me = call(make("GET", "/me", headers=bearer(login["token"])))
    assert body_of(me) == {"user": "sam", "name": "Sam Okafor", "approver": True}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"user": "mallory"}, "Unknown demo user. Pick one of: alice, bob, sam, jo."),
        ({"user": ""}, 'Say which demo user signs in, like {"user": "alice"}.'),
        ({"user": "alice", "groups": ["accessbot-approvers"]}, 'Say which demo user signs in, like {"user": "alice"}.'),
        ({}, 'Say which demo user signs in, like {"user": "alice"}.'),
        ("alice", "The request body must be a JSON object."),
        ("{not json", "The request body must be a JSON object."),
    ],
)
def test_dev_login_refuses_unknown_users_and_bad_bodies(body: Any, message: str, call: Call, local_stage: None) -> None:
    response = call(rest_event("POST", "/dev/login", body))
    assert (response["statusCode"], body_of(response)) == (400, {"error": message})


def test_dev_jwks_publishes_only_public_keys(call: Call, local_stage: None) -> None:
    keys = body_of(call(rest_event("GET", "/dev/jwks.json")))["keys"]
    assert keys and all(set(k) >= {"kty", "kid", "n", "e"} and "d" not in k and "p" not in k for k in keys)


def test_dev_routes_do_not_exist_outside_the_local_stage(
    call: Call, local_stage: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web import identity, routes

    monkeypatch.setenv("ACCESSBOT_STAGE", "prod")
    monkeypatch.setenv("ACCESSBOT_OIDC_JWKS_URL", "https://idp.example/jwks.json")
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()
    for method, path, body in (
        ("POST", "/dev/login", {"user": "sam"}),
        ("GET", "/dev/jwks.json", None),
        ("GET", "/dev/users", None),
    ):
        response = call(rest_event(method, path, body))
        assert response["statusCode"] == 404, path


def test_approver_sees_pending_and_decides(call: Call, backend: FakeBackend, token: Any) -> None:
    sam = bearer(token("sam"))
    pending = call(rest_event("GET", "/requests/pending", headers=sam))
    assert pending["statusCode"] == 200
    assert body_of(pending)["replies"][0]["table"]["rows"] == [["AR-7F3K2", "alice"]]
    decided = call(rest_event("POST", "/requests/AR-7F3K2/decision", {"approve": True}, sam))
    assert body_of(decided) == {
        "replies": [{"text": "AR-7F3K2 approved"}],
        "request_id": "AR-7F3K2",
        "status": "APPROVED",
    }
    assert ("decide", ("AR-7F3K2", True, None, "sam")) in backend.calls


def test_requesters_are_refused_the_pending_list(call: Call, backend: FakeBackend, token: Any) -> None:
    response = call(rest_event("GET", "/requests/pending", headers=bearer(token("alice"))))
    assert (response["statusCode"], body_of(response)) == (
        403,
        {"error": "Only security approvers can see pending requests."},
    )


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/requests/AR-7F3K2/decision", {"approve": False}, 400, "Value error, Say why you deny the request."),
        ("/requests/AR-7F3K2/decision", {"approve": False, "reason": "   "}, 400, "Say why you deny the request."),
        ("/requests/AR-7F3K2/decision", {"approve": "maybe"}, 400, DECIDE),
        ("/requests/AR-7F3K2/decision", {"reason": "too broad"}, 400, DECIDE),
        ("/requests/AR-7F3K2/decision", "{oops", 400, "The request body must be a JSON object."),
        (
            "/requests/AR-7F3K2/decision",
            {"approve": False, "reason": "r" * 1001},
            400,
            "The reason may be at most 1000 characters.",
        ),
        ("/requests/AR-7F3K2/decision", {"approve": True, "as": "jo"}, 400, "Unknown field 'as'."),
        ("/requests/not-an-id/decision", {"approve": True}, 400, "That is not a request id (like AR-7F3K2)."),
        ("/requests/AR-SELF1/decision", {"approve": True}, 403, "You cannot approve your own request."),
    ],
)
def test_bad_decisions_say_why(
    path: str, body: Any, status: int, message: str, call: Call, backend: FakeBackend, token: Any
) -> None:
    response = call(rest_event("POST", path, body, bearer(token("sam"))))
    assert (response["statusCode"], body_of(response)) == (status, {"error": message.removeprefix("Value error, ")})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/me", None),
        ("GET", "/requests/mine", None),
        ("GET", "/requests/pending", None),
        ("GET", "/requests/AR-7F3K2", None),
        ("POST", "/requests/AR-7F3K2/decision", {"approve": True}),
    ],
)
def test_every_request_route_needs_a_sign_in(
    method: str, path: str, body: Any, call: Call, backend: FakeBackend, token: Any
) -> None:
    for headers in (None, bearer("not-a-jwt"), bearer(token("sam", ttl=-60))):
        response = call(rest_event(method, path, body, headers))
        assert response["statusCode"] == 401, (path, headers)
        assert body_of(response)["error"] in {
            "Sign in first.", "Your sign-in is not valid; sign in again.", "Your sign-in has expired; sign in again.",
        }
    assert backend.calls == []


def test_my_requests_are_the_signed_in_users(call: Call, backend: FakeBackend, token: Any) -> None:
    backend.own = (("AR-7F3K2", "active", "sandbox", "alice", "2026-12-02 21:59 UTC"),)
    response = call(http_event("GET", "/requests/mine", headers=bearer(token("alice"))))
    assert response["statusCode"] == 200
    assert body_of(response)["replies"][0]["table"]["rows"] == [list(backend.own[0])]
    assert backend.calls == [("mine", "alice")]


def test_a_bad_request_id_in_the_path_says_so(call: Call, backend: FakeBackend, token: Any) -> None:
    response = call(rest_event("GET", "/requests/AR-../../x", headers=bearer(token("alice"))))
    assert response["statusCode"] in {400, 404}
    response = call(rest_event("GET", "/requests/nope", headers=bearer(token("alice"))))
    assert (response["statusCode"], body_of(response)) == (400, {"error": "That is not a request id (like AR-7F3K2)."})
    assert backend.calls == []


def test_request_status_for_live_updates(call: Call, backend: FakeBackend, token: Any) -> None:
    response = call(http_event("GET", "/requests/ar-7f3k2", headers=bearer(token("alice"))))
    assert body_of(response) == {
        "replies": [{"text": "AR-7F3K2 is ACTIVE"}],
        "request_id": "AR-7F3K2",
        "status": "ACTIVE",
    }


def test_slack_events_are_forwarded_raw_to_the_slack_adapter(
    call: Call, local_stage: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.slack.lambda_adapter as slack

    seen: list[dict[str, Any]] = []

    def fake_handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return {"statusCode": 401, "body": "", "headers": {"Content-Type": "text/plain"}}

    monkeypatch.setattr(slack, "handle", fake_handle)
    event = rest_event("POST", "/slack/events", "token=x&command=%2Faccess", {"X-Slack-Signature": "v0=bad"})
    response = call(event)
    assert response["statusCode"] == 401
    assert seen[0]["body"] == "token=x&command=%2Faccess"
    assert seen[0]["headers"]["X-Slack-Signature"] == "v0=bad"
    assert "content-security-policy" in headers_of(response)


def test_sign_in_config_is_the_dev_idp_locally(call: Call, local_stage: None) -> None:
    assert body_of(call(rest_event("GET", "/auth/config"))) == {"mode": "dev"}


def test_sign_in_config_is_oidc_pkce_in_aws_and_the_csp_allows_only_its_token_endpoint(
    call: Call, local_stage: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web import identity, routes

    monkeypatch.setenv("ACCESSBOT_STAGE", "prod")
    monkeypatch.setenv("ACCESSBOT_OIDC_JWKS_URL", "https://idp.example/jwks.json")
    monkeypatch.setenv("ACCESSBOT_OIDC_AUTHORIZE_URL", "https://idp.example/oauth2/authorize")
    monkeypatch.setenv("ACCESSBOT_OIDC_TOKEN_URL", "https://idp.example/oauth2/token")
    monkeypatch.setenv("ACCESSBOT_OIDC_AUDIENCE", "web-client")
    identity.web_settings.cache_clear()
    routes.resolver.cache_clear()
    response = call(rest_event("GET", "/auth/config"))
    assert body_of(response) == {
        "mode": "oidc",
        "authorize_url": "https://idp.example/oauth2/authorize",
        "token_url": "https://idp.example/oauth2/token",
        "client_id": "web-client",
        "scope": "openid email profile",
    }
    assert "connect-src 'self' https://idp.example;" in headers_of(response)["content-security-policy"]
