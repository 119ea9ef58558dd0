"""API keys of integrations, as GraphQL sees them (never their secrets, except once at creation)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.domain.api_keys import ApiKey as DomainApiKey


@strawberry.type(description="An integration's API key: its prefix identifies it; the secret is never shown again.")
class ApiKey:
    id: UUID
    name: str
    prefix: str
    scopes: list[str]
    created_by: UUID | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = strawberry.field(description="Written at most once a minute.")

    @classmethod
    def of(cls, key: DomainApiKey) -> ApiKey:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_by=key.created_by,
            created_at=key.created_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
        )


@strawberry.type(description="A new API key and the key itself, shown this once: keep it in a secret store.")
class NewApiKey:
    api_key: ApiKey
    key: str
