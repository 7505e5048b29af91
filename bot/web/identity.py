"""Who is on the web chat: OIDC ID-token verification (PyJWT + the issuer's JWKS) into an Actor."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.models import Actor, Front
from bot.errors import ConfigurationError
from bot.web import texts

#: The development identity provider's issuer and audience (used when nothing else is configured
#: and the stage is `local`): the same verification below runs against its keys.
DEV_ISSUER = "https://accessbot.local/dev-idp"
DEV_AUDIENCE = "accessbot-web"
ALGORITHMS = ["RS256"]
_MAX_TOKEN = 8192  # an ID token is ~1 KB; anything much larger is not one


class WebSettings(BaseSettings):
    """The web front's settings (env prefix ACCESSBOT_)."""

    model_config = SettingsConfigDict(env_prefix="ACCESSBOT_", extra="ignore")

    stage: str = Field(default="local", description="'local' enables /dev/login and the dev identity provider.")
    oidc_issuer: str = Field(default=DEV_ISSUER, description="The `iss` every ID token must carry.")
    oidc_audience: str = Field(default=DEV_AUDIENCE, description="The `aud` (client id) every ID token must carry.")
    oidc_jwks_url: str | None = Field(default=None, description="The issuer's JWKS URL; None: the dev IdP (local).")
    oidc_authorize_url: str | None = Field(default=None, description="The IdP's authorization endpoint (page sign-in).")
    oidc_token_url: str | None = Field(default=None, description="The IdP's token endpoint (PKCE, no client secret).")
    oidc_client_id: str | None = Field(default=None, description="The page's public client id; default: the audience.")
    oidc_scope: str = "openid email profile"
    groups_claim: str = Field(default="groups", description="Claim with the user's groups ('cognito:groups', ...).")
    approver_group: str = Field(default="accessbot-approvers", description="Group of the security approvers.")
    lex_bot_id: str | None = Field(default=None, description="Lex V2 bot id; None: the embedded dialog runs.")
    lex_bot_alias_id: str | None = None
    lex_locale: str = "en_US"
    region: str = "us-east-1"

    @property
    def local(self) -> bool:
        return self.stage == "local"

    def sign_in(self) -> dict[str, str]:
        """What the page needs to sign in: the dev IdP locally, else OIDC authorization code + PKCE."""
        if self.local:
            return {"mode": "dev"}
        if not (self.oidc_authorize_url and self.oidc_token_url):
            return {"mode": "none"}
        return {
            "mode": "oidc",
            "authorize_url": self.oidc_authorize_url,
            "token_url": self.oidc_token_url,
            "client_id": self.oidc_client_id or self.oidc_audience,
            "scope": self.oidc_scope,
        }

    def token_origin(self) -> str | None:
        """The token endpoint's origin, which the page's CSP must allow to connect to."""
        from urllib.parse import urlsplit

        if self.local or not self.oidc_token_url:
            return None
        url = urlsplit(self.oidc_token_url)
        return f"https://{url.netloc}" if url.scheme == "https" and url.netloc else None


@lru_cache(maxsize=1)
def web_settings() -> WebSettings:
    return WebSettings()


class Unauthenticated(Exception):
    """No usable identity: the API answers 401 with this one-line, safe message."""


def _jwks_client(settings: WebSettings) -> Any:
    if settings.oidc_jwks_url:
        return _cached_remote_jwks(settings.oidc_jwks_url)
    if not settings.local:
        raise ConfigurationError("ACCESSBOT_OIDC_JWKS_URL must be set outside the local stage")
    return _dev_jwks_client()


@lru_cache(maxsize=1)
def _dev_jwks_client() -> Any:
    import jwt

    from bot.web.devidp import jwks

    class _DevJWKClient(jwt.PyJWKClient):
        # Same PyJWKClient key selection (kid, kty, use); only the key set's source is in-process.
        def fetch_data(self) -> Any:
            return jwks()

    # cache_keys: the dev key lives as long as the process, so each kid's key is built once, not per request
    # (rebuilding the RSA key from its JWK was half of a token check). A new kid still reads the key set.
    return _DevJWKClient("https://dev-idp.invalid/jwks.json", cache_keys=True, cache_jwk_set=False)


@lru_cache(maxsize=4)
def _cached_remote_jwks(url: str) -> Any:
    import jwt

    # The key set is cached for 5 minutes; an unknown `kid` (key rotation) refetches it.
    return jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=300, timeout=5)


def verify(token: str, settings: WebSettings | None = None, *, jwks_client: Any = None) -> Actor:
    """The Actor of a valid ID token; Unauthenticated (never the reason in detail) otherwise."""
    import jwt

    settings = settings or web_settings()
    if not token or len(token) > _MAX_TOKEN:
        raise Unauthenticated(texts.SIGN_IN)
    client = jwks_client or _jwks_client(settings)
    try:
        key = client.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=settings.oidc_audience,
            issuer=settings.oidc_issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as error:
        raise Unauthenticated(texts.SIGN_IN_EXPIRED) from error
    except (jwt.PyJWTError, ValueError) as error:
        raise Unauthenticated(texts.SIGN_IN_INVALID) from error
    return actor_from_claims(claims, settings)


def actor_from_claims(claims: dict[str, Any], settings: WebSettings) -> Actor:
    subject = str(claims.get("sub", ""))[:256]
    if not subject:
        raise Unauthenticated(texts.SIGN_IN_INVALID)
    raw_groups = claims.get(settings.groups_claim) or []
    groups = frozenset(str(g)[:256] for g in raw_groups[:50]) if isinstance(raw_groups, list) else frozenset()
    display = claims.get("name") or claims.get("email") or subject
    return Actor(id=subject, front=Front.WEB, display=str(display)[:256], groups=groups)


def bearer(headers: dict[str, str] | None) -> str:
    """The token of an `Authorization: Bearer …` header (header names are case-insensitive)."""
    for name, value in (headers or {}).items():
        if name.lower() == "authorization" and value[:7].lower() == "bearer ":
            return value[7:].strip()
    return ""


def is_approver(actor: Actor, settings: WebSettings | None = None) -> bool:
    """Whether the page shows the approver's view (the lifecycle still decides every approval)."""
    settings = settings or web_settings()
    return settings.approver_group in actor.groups
