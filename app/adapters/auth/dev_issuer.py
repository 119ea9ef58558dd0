"""The development issuer as a small but real OpenID provider: authorization code + PKCE (S256 only).

``/oauth/authorize`` shows a login page where a developer picks a person of the directory and roles;
``/oauth/token`` swaps the one-time code for tokens after checking the PKCE verifier (Authlib's
RFC 7636 S256 transform), the client id and the redirect URI. Codes live one minute, in memory, and
work once. Production never has this issuer (``Settings.dev_issuer_enabled``).
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from threading import Lock
from urllib.parse import urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from cachetools import TTLCache

from app.domain.actors import Role

CODE_SECONDS = 60


class AuthorizationRefused(Exception):
    """An OAuth2 error (RFC 6749 §4.1.2.1 / §5.2): ``error`` is the protocol's code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    code_challenge: str
    state: str | None
    nonce: str | None
    scope: str


@dataclass(frozen=True)
class Grant:
    request: AuthorizationRequest
    email: str
    roles: tuple[Role, ...]


def check_request(
    *,
    response_type: str | None,
    client_id: str | None,
    redirect_uri: str | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
    state: str | None,
    nonce: str | None,
    scope: str | None,
    allowed_origins: set[str],
) -> AuthorizationRequest:
    if not client_id:
        raise AuthorizationRefused("invalid_request", "client_id is required.")
    if not redirect_uri or (_origin(redirect_uri) not in allowed_origins and not _loopback(redirect_uri)):
        raise AuthorizationRefused("invalid_request", "redirect_uri must be on this service or a loopback address.")
    if response_type != "code":
        raise AuthorizationRefused("unsupported_response_type", "Only the authorization code flow (code).")
    if code_challenge_method != "S256" or not code_challenge or not 43 <= len(code_challenge) <= 128:
        raise AuthorizationRefused("invalid_request", "PKCE is required, with code_challenge_method=S256.")
    return AuthorizationRequest(client_id, redirect_uri, code_challenge, state, nonce, scope or "openid")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _loopback(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}


class DevAuthorizations:
    """One-time authorization codes, kept a minute."""

    def __init__(self) -> None:
        self._codes: TTLCache[str, Grant] = TTLCache(maxsize=1000, ttl=CODE_SECONDS, timer=time.monotonic)
        self._lock = Lock()

    def issue(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = grant
        return code

    def redeem(self, *, code: str, client_id: str | None, redirect_uri: str | None, verifier: str | None) -> Grant:
        with self._lock:
            grant = self._codes.pop(code, None)  # once, whatever happens next
        if grant is None:
            raise AuthorizationRefused("invalid_grant", "The code is unknown, used or expired.")
        if client_id != grant.request.client_id or redirect_uri != grant.request.redirect_uri:
            raise AuthorizationRefused("invalid_grant", "client_id or redirect_uri differ from the authorization.")
        if not verifier or not hmac.compare_digest(create_s256_code_challenge(verifier), grant.request.code_challenge):
            raise AuthorizationRefused("invalid_grant", "The PKCE code_verifier does not match the code_challenge.")
        return grant
