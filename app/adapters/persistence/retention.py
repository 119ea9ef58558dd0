"""Platform records past their retention: expired idempotency records, dispatched outbox rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.tables import IdempotencyRow, OutboxRow

idempotency = IdempotencyRow.__table__  # type: ignore[attr-defined]
outbox = OutboxRow.__table__  # type: ignore[attr-defined]


class SqlRetention:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def purge_idempotency(self, *, created_before: datetime, limit: int) -> int:
        chosen = select(idempotency.c.id).where(idempotency.c.created_at < created_before).limit(limit)
        result = await self.session.execute(delete(idempotency).where(idempotency.c.id.in_(chosen.scalar_subquery())))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def trim_outbox(self, *, dispatched_before: datetime, limit: int) -> int:
        chosen = (
            select(outbox.c.id)
            .where(outbox.c.dispatched_at.is_not(None), outbox.c.dispatched_at < dispatched_before)
            .limit(limit)
        )
        result = await self.session.execute(delete(outbox).where(outbox.c.id.in_(chosen.scalar_subquery())))
        return int(result.rowcount)  # type: ignore[attr-defined]
