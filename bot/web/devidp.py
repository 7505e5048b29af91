"""The local development identity provider: demo users, an RSA key made at start, RS256 ID tokens.

`accessbot serve` signs tokens with it so the web chat's real OIDC verification (bot.web.identity)
runs unchanged on a laptop. Only the `local` stage exposes it (/dev/login, /dev/jwks.json).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bot.errors import InvalidInput, NotFound
from bot.web import texts
from bot.web.identity import WebSettings, web_settings

TOKEN_SECONDS = 8 * 3600  # a working day; the page signs in again after that


@dataclass(frozen=True)
class DemoUser:
    user: str
    name: str
    role: str
    approver: bool


#: The demo users (README): requesters map to roles in every embedded account (bot.domain.accounts).
DEMO_USERS: dict[str, DemoUser] = {
    u.user: u
    for u in (
        DemoUser("alice", "Alice Martin", "requester (role DataScientist)", approver=False),
        DemoUser("bob", "Bob Chen", "requester (role Developer)", approver=False),
        DemoUser("sam", "Sam Okafor", "security approver", approver=True),
        DemoUser("jo", "Jo Lindqvist", "security approver", approver=True),
    )
}

_lock = threading.Lock()
_key: dict[str, Any] = {}


def _signing_key() -> tuple[Any, str]:
    """The process's RSA key and its kid, generated on first use (never written anywhere)."""
    with _lock:
        if not _key:
            from cryptography.hazmat.primitives.asymmetric import rsa

            _key["private"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            _key["kid"] = f"dev-{uuid.uuid4().hex[:12]}"
        return _key["private"], _key["kid"]


def jwks() -> dict[str, Any]:
    """The public key set, as an issuer serves it at its JWKS URL."""
    from jwt.algorithms import RSAAlgorithm

    private, kid = _signing_key()
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return {"keys": [jwk | {"kid": kid, "use": "sig", "alg": "RS256"}]}


def issue(user: str, settings: WebSettings | None = None, *, ttl: int = TOKEN_SECONDS, now: float | None = None) -> str:
    """A signed ID token for a demo user (`ttl` may be negative in tests, for an expired token)."""
    import jwt

    settings = settings or web_settings()
    if not settings.local:
        raise NotFound(texts.DEV_ONLY)
    demo = DEMO_USERS.get(user.strip().lower()) if isinstance(user, str) else None
    if demo is None:
        raise InvalidInput(texts.UNKNOWN_DEMO_USER.format(users=", ".join(DEMO_USERS)))
    private, kid = _signing_key()
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": settings.oidc_issuer,
        "aud": settings.oidc_audience,
        "sub": demo.user,
        "name": demo.name,
        "iat": issued,
        "exp": issued + ttl,
        settings.groups_claim: [settings.approver_group] if demo.approver else [],
    }
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


def users() -> list[dict[str, Any]]:
    """The sign-in box's choices."""
    return [{"user": u.user, "name": u.name, "role": u.role, "approver": u.approver} for u in DEMO_USERS.values()]
