"""Bearer-token validation (OIDC access/ID tokens as JWTs) and the development issuer."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwt import JWTClaimsRegistry

from app.adapters.auth.keys import DevSigningKey, IdentityProviderUnavailable, KeySource
from app.domain.actors import Role

__all__ = ["IdentityProviderUnavailable", "InvalidToken", "TokenValidator", "VerifiedClaims", "issue_dev_token"]


class InvalidToken(Exception):
    """The token cannot be trusted; the message is safe to show."""


@dataclass(frozen=True)
class VerifiedClaims:
    issuer: str
    subject: str
    email: str | None
    roles: frozenset[Role]
    raw: Mapping[str, Any]
    email_verified: bool = False
    scopes: frozenset[str] = frozenset()

    @property
    def is_service_client(self) -> bool:
        """A client-credentials token of an integration: the integration role, no person behind it."""
        return Role.INTEGRATION in self.roles


class TokenValidator:
    """Signature against the issuer's keys (allow-listed algorithms), then ``iss``, ``aud``, ``exp``
    (required) and ``nbf`` with a small leeway. Roles come from a configurable claim path
    (``roles``, ``realm_access.roles``) and from groups mapped to roles (``groups`` of Entra ID or
    Okta); unknown names are ignored and everybody is at least an employee. Scopes (of integrations)
    come from the scope claim, space-separated or a list."""

    def __init__(
        self,
        *,
        keys: KeySource,
        issuer: str,
        audience: str,
        algorithms: Iterable[str],
        roles_claim: str,
        email_claim: str,
        leeway_seconds: int,
        groups_claim: str = "groups",
        group_roles: Mapping[str, str] | None = None,
        scopes_claim: str = "scope",
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithms = list(algorithms)
        self.roles_claim = roles_claim
        self.email_claim = email_claim
        self.groups_claim = groups_claim
        self.group_roles = dict(group_roles or {})
        self.scopes_claim = scopes_claim
        self.registry = JWTClaimsRegistry(
            leeway=leeway_seconds,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            sub={"essential": True},
        )

    async def validate(self, token: str) -> VerifiedClaims:
        try:
            try:
                decoded = jwt.decode(token, await self.keys.key_set(), algorithms=self.algorithms)
            except InvalidKeyIdError:
                # Perhaps the IdP rotated its keys: look once more (the source rate-limits this).
                decoded = jwt.decode(token, await self.keys.key_set(refresh=True), algorithms=self.algorithms)
            self.registry.validate(decoded.claims)
        except JoseError as error:
            raise InvalidToken(f"The bearer token is not valid ({error.error}).") from error
        except ValueError as error:
            raise InvalidToken("The bearer token is malformed.") from error
        claims = decoded.claims
        names = _names(claim_at(claims, self.roles_claim))
        if self.group_roles:
            names |= {self.group_roles[g] for g in _names(claim_at(claims, self.groups_claim)) if g in self.group_roles}
        return VerifiedClaims(
            issuer=str(claims["iss"]),
            subject=str(claims["sub"]),
            email=_email(claims.get(self.email_claim)),
            roles=_roles(names),
            raw=claims,
            email_verified=claims.get("email_verified") in (True, "true"),
            scopes=frozenset(_names(claim_at(claims, self.scopes_claim))),
        )


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """A claim by dotted path (``realm_access.roles``); a claim whose own name has dots wins."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _names(value: Any) -> set[str]:
    items = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    return {item for item in items if isinstance(item, str)}


def _email(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and "@" in value else None


def _roles(names: set[str]) -> frozenset[Role]:
    known = {r.value: r for r in Role}
    return frozenset({Role.EMPLOYEE, *(known[n] for n in names if n in known)})


def issue_dev_token(
    key: DevSigningKey,
    *,
    issuer: str,
    audience: str,
    email: str,
    roles: Iterable[Role],
    ttl_seconds: int,
    subject: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """A token signed by the development issuer. Refused in production by the callers' settings."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject or f"dev|{email.lower()}",
        "email": email.lower(),
        "email_verified": True,  # the development issuer vouches for the e-mails it is told
        "roles": sorted(r.value for r in roles),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        **(extra or {}),
    }
    header = {"alg": "RS256", "kid": key.key.kid, "typ": "JWT"}
    return jwt.encode(header, claims, key.key)
