"""API keys for integrations (HRIS, LMS): created, listed and revoked by admins.

The key itself is returned once, at creation, and stored only as a hash; lists show the prefix,
scopes, expiry, revocation and when the key was last used — never the secret.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.api_keys import ApiKey, new_api_key
from app.domain.errors import not_found
from app.domain.ports import Page, PageRequest, UnitOfWork

_ADMINS_ONLY = "Only admins, signed in as themselves, manage API keys."


async def create_api_key(
    uow: UnitOfWork, actor: Actor, *, name: str, scopes: list[str], expires_at: datetime | None
) -> tuple[ApiKey, str]:
    """Create an API key for an integration; the key is in this answer and nowhere else, ever.

    - admins only; at least one scope, each a known one; an optional expiry in the future;
    - stored as a SHA-256 hash; its prefix (`tb_<prefix>_…`) identifies it in lists and logs.
    """
    policies.require(policies.can_manage_api_keys(actor), "api_keys_admin_only", _ADMINS_ONLY)
    async with uow:
        key, secret, announced = new_api_key(
            key_id=uow.ids.new_id(),
            name=name,
            scopes=scopes,
            expires_at=expires_at,
            created_by=actor.person_id,
            now=uow.clock.now(),
        )
        await uow.api_keys.add(key)
        uow.record(announced)
        await uow.commit()
        return key, secret


async def list_api_keys(uow: UnitOfWork, actor: Actor, *, page: PageRequest) -> Page[ApiKey]:
    """List API keys (never their secrets): prefix, scopes, expiry, revocation, last use. Admins only."""
    policies.require(policies.can_manage_api_keys(actor), "api_keys_admin_only", _ADMINS_ONLY)
    async with uow:
        return await uow.api_keys.list(page)


async def revoke_api_key(uow: UnitOfWork, actor: Actor, key_id: UUID) -> ApiKey:
    """Revoke an API key: it stops working at once (other server processes within seconds). Admins only."""
    policies.require(policies.can_manage_api_keys(actor), "api_keys_admin_only", _ADMINS_ONLY)
    async with uow:
        key = await uow.api_keys.get(key_id)
        if key is None:
            raise not_found("api_key", key_id)
        revoked, announced = key.revoke(now=uow.clock.now(), by=actor.person_id)
        await uow.api_keys.save(revoked)
        uow.record(announced)
        await uow.commit()
        return revoked
