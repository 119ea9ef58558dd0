"""Bearer-token validation (OIDC access/ID tokens as JWTs) and the development issuer."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwt import JWTClaimsRegistry

from app.adapters.auth.keys import DevSigningKey, KeySource
from app.domain.actors import Role


class InvalidToken(Exception):
    """The token cannot be trusted; the message is safe to show."""


@dataclass(frozen=True)
class VerifiedClaims:
    issuer: str
    subject: str
    email: str | None
    roles: frozenset[Role]
    raw: Mapping[str, Any]


class TokenValidator:
    """Signature against the issuer's keys (allow-listed algorithms), then ``iss``, ``aud``, ``exp``
    (required) and ``nbf`` with a small leeway. Roles come from a configurable claim; unknown role
    names are ignored and everybody is at least an employee."""

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
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.algorithms = list(algorithms)
        self.roles_claim = roles_claim
        self.email_claim = email_claim
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
        return VerifiedClaims(
            issuer=str(claims["iss"]),
            subject=str(claims["sub"]),
            email=_email(claims.get(self.email_claim)),
            roles=_roles(claims.get(self.roles_claim)),
            raw=claims,
        )


def _email(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and "@" in value else None


def _roles(value: Any) -> frozenset[Role]:
    names = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    known = {r.value: r for r in Role}
    return frozenset({Role.EMPLOYEE, *(known[n] for n in names if isinstance(n, str) and n in known)})


def issue_dev_token(
    key: DevSigningKey,
    *,
    issuer: str,
    audience: str,
    email: str,
    roles: Iterable[Role],
    ttl_seconds: int,
    subject: str | None = None,
) -> str:
    """A token signed by the development issuer. Refused in production by the callers' settings."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject or f"dev|{email.lower()}",
        "email": email.lower(),
        "roles": sorted(r.value for r in roles),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    header = {"alg": "RS256", "kid": key.key.kid, "typ": "JWT"}
    return jwt.encode(header, claims, key.key)
