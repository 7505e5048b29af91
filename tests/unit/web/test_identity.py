"""OIDC ID-token checks: the header, the claims, the groups, and where the keys come from."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from bot.errors import ConfigurationError, NotFound
from bot.web.devidp import issue, jwks
from bot.web.identity import Unauthenticated, WebSettings, actor_from_claims, bearer, is_approver, verify

LOCAL = WebSettings(stage="local")


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({"Authorization": "Bearer abc.def.ghi"}, "abc.def.ghi"),
        ({"authorization": "bearer  abc "}, "abc"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, ""),
        ({}, ""),
        (None, ""),
    ],
)
def test_bearer_reads_only_bearer_tokens(headers: dict[str, str] | None, token: str) -> None:
    assert bearer(headers) == token


def test_a_dev_token_verifies_into_a_web_actor() -> None:
    actor = verify(issue("jo", LOCAL), LOCAL)
    assert (actor.id, actor.front.value, actor.display) == ("jo", "web", "Jo Lindqvist")
    assert is_approver(actor, LOCAL)
    assert not is_approver(verify(issue("bob", LOCAL), LOCAL), LOCAL)


def test_a_token_without_sub_or_exp_is_refused() -> None:
    from bot.web import devidp

    private, kid = devidp._signing_key()
    now = int(time.time())
    for missing in ("sub", "exp"):
        claims: dict[str, Any] = {"iss": LOCAL.oidc_issuer, "aud": LOCAL.oidc_audience, "sub": "x", "iat": now}
        claims["exp"] = now + 60
        del claims[missing]
        token = jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})
        with pytest.raises(Unauthenticated, match="not valid"):
            verify(token, LOCAL)


def test_an_hs256_token_made_with_the_public_key_is_refused() -> None:
    public = jwks()["keys"][0]
    token = jwt.encode({"sub": "sam"}, str(public["n"]), algorithm="HS256", headers={"kid": public["kid"]})
    with pytest.raises(Unauthenticated):
        verify(token, LOCAL)


def test_outside_the_local_stage_a_jwks_url_is_required() -> None:
    with pytest.raises(ConfigurationError, match="ACCESSBOT_OIDC_JWKS_URL"):
        verify("a.b.c", WebSettings(stage="prod"))


def test_the_dev_idp_does_not_exist_outside_the_local_stage() -> None:
    with pytest.raises(NotFound):
        issue("sam", WebSettings(stage="prod"))


def test_groups_come_from_the_configured_claim_and_only_as_a_list() -> None:
    cognito = WebSettings(groups_claim="cognito:groups")
    actor = actor_from_claims({"sub": "u1", "cognito:groups": ["accessbot-approvers", "x"]}, cognito)
    assert actor.groups == frozenset({"accessbot-approvers", "x"})
    assert actor_from_claims({"sub": "u1", "groups": "accessbot-approvers"}, LOCAL).groups == frozenset()


def test_an_injected_jwks_client_is_used() -> None:
    class Keys:
        def get_signing_key_from_jwt(self, token: str) -> Any:
            raise jwt.PyJWKClientError("no matching key")

    with pytest.raises(Unauthenticated, match="not valid"):
        verify(issue("alice", LOCAL), LOCAL, jwks_client=Keys())
