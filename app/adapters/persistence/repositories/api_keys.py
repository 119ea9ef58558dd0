from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.tables import ApiKeyRow
from app.domain.api_keys import ApiKey
from app.domain.ports import Page, PageRequest

keys: Table = ApiKeyRow.__table__  # type: ignore[attr-defined]


def _key(row: Any) -> ApiKey:
    return ApiKey(**{**row, "scopes": tuple(row["scopes"])})


class SqlApiKeyRepository:
    """API keys: created, revoked and touched; only hashes are stored."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> None:
        await self.session.execute(insert(keys).values(**{**vars(key), "scopes": list(key.scopes)}))

    async def get(self, key_id: UUID) -> ApiKey | None:
        row = (await self.session.execute(select(keys).where(keys.c.id == key_id))).mappings().first()
        return None if row is None else _key(row)

    async def by_prefix(self, prefix: str) -> ApiKey | None:
        row = (await self.session.execute(select(keys).where(keys.c.prefix == prefix))).mappings().first()
        return None if row is None else _key(row)

    async def list(self, page: PageRequest) -> Page[ApiKey]:
        stmt = select(keys).order_by(keys.c.id).limit(page.limit + 1)
        if page.after is not None:
            stmt = stmt.where(keys.c.id > page.after)
        rows = [_key(row) for row in (await self.session.execute(stmt)).mappings()]
        more = len(rows) > page.limit
        items = rows[: page.limit]
        return Page(items=items, next_after=items[-1].id if more and items else None)

    async def save(self, key: ApiKey) -> None:
        await self.session.execute(
            update(keys).where(keys.c.id == key.id).values(revoked_at=key.revoked_at, expires_at=key.expires_at)
        )

    async def touch(self, key_id: UUID, *, now: datetime) -> None:
        await self.session.execute(update(keys).where(keys.c.id == key_id).values(last_used_at=now))
