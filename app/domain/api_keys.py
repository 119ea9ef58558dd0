"""API keys of integrations (HRIS, LMS): ``tb_<prefix>_<secret>``, shown once, stored hashed.

- the prefix (public, 8 characters) identifies a key in lists and logs; the secret is never stored,
  only the SHA-256 of the whole key (the secret has 256 bits of entropy: no slow hash is needed);
- a key carries scopes (at least one, all known), an optional expiry in the future, and can be
  revoked; ``last_used_at`` is written at most once a minute.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.actors import Scope
from app.domain.errors import DomainError, invalid
from app.domain.events import ApiKeyCreated, ApiKeyRevoked

KEY_MARK = "tb_"
PREFIX_LENGTH = 8
NAME_LENGTH = 120
LAST_USED_EVERY = timedelta(minutes=1)
_PREFIX_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789"  # no look-alikes: prefixes are read out loud


@dataclass(frozen=True)
class ApiKey:
    id: UUID
    name: str
    prefix: str
    secret_hash: str
    scopes: tuple[str, ...]
    created_by: UUID | None
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.secret_hash, secret_hash(key))

    def revoke(self, *, now: datetime, by: UUID | None) -> tuple[ApiKey, ApiKeyRevoked]:
        """The key, revoked, and the event that announces it (``api_key_revoked`` if it already was)."""
        if self.revoked_at is not None:
            raise DomainError(code="api_key_revoked", detail="This API key is already revoked.", kind="conflict")
        return dataclasses.replace(self, revoked_at=now), ApiKeyRevoked(
            api_key_id=self.id, prefix=self.prefix, revoked_by=by
        )


def secret_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The prefix of something that looks like an API key, else ``None`` (then it is no API key)."""
    if not key.startswith(KEY_MARK):
        return None
    prefix, underscore, secret = key[len(KEY_MARK) :].partition("_")
    return prefix if underscore and len(prefix) == PREFIX_LENGTH and secret else None


def new_key_material() -> tuple[str, str]:
    """``(prefix, key)``: a fresh prefix and the whole key to show once."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    return prefix, f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}"


def new_api_key(
    *,
    key_id: UUID,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    created_by: UUID | None,
    now: datetime,
) -> tuple[ApiKey, str, ApiKeyCreated]:
    """A new key, its secret (to show once) and the event that announces it. Scopes must be known and
    at least one; an expiry must lie in the future."""
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise invalid("api_key_name_invalid", f"Name the key (1 to {NAME_LENGTH} characters).", path="body.name")
    known = {s.value for s in Scope}
    unknown = sorted(set(scopes) - known)
    if not scopes or unknown:
        raise invalid(
            "api_key_scopes_invalid",
            f"Give at least one scope, each one of {', '.join(sorted(known))}"
            + (f" (unknown: {', '.join(unknown)})." if unknown else "."),
            path="body.scopes",
        )
    if expires_at is not None and expires_at <= now:
        raise invalid("api_key_expiry_in_past", "An API key's expiry must lie in the future.", path="body.expires_at")
    prefix, key = new_key_material()
    api_key = ApiKey(
        id=key_id,
        name=name,
        prefix=prefix,
        secret_hash=secret_hash(key),
        scopes=tuple(sorted(set(scopes))),
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    announced = ApiKeyCreated(
        api_key_id=key_id, prefix=prefix, scopes=list(api_key.scopes), expires_at=expires_at, created_by=created_by
    )
    return api_key, key, announced
