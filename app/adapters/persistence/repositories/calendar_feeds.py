from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.tables import CalendarFeedRow
from app.domain.ports import CalendarFeed

feeds: Table = CalendarFeedRow.__table__  # type: ignore[attr-defined]


class SqlCalendarFeedRepository:
    """Calendar feed secrets: append and revoke, no aggregate rules (only hashes are stored)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, feed: CalendarFeed) -> None:
        await self.session.execute(insert(feeds).values(**vars(feed)))

    async def by_hash(self, token_hash: str) -> CalendarFeed | None:
        row = (await self.session.execute(select(feeds).where(feeds.c.token_hash == token_hash))).mappings().first()
        return None if row is None else CalendarFeed(**row)

    async def active_of(self, person_id: UUID) -> list[CalendarFeed]:
        stmt = select(feeds).where(feeds.c.person_id == person_id, feeds.c.revoked_at.is_(None)).order_by(feeds.c.id)
        return [CalendarFeed(**row) for row in (await self.session.execute(stmt)).mappings()]

    async def revoke_all(self, person_id: UUID, *, now: datetime) -> int:
        result: Any = await self.session.execute(
            update(feeds).where(feeds.c.person_id == person_id, feeds.c.revoked_at.is_(None)).values(revoked_at=now)
        )
        return int(result.rowcount or 0)
