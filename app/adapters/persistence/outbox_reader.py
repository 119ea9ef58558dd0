"""What operators ask of the outbox: how much is waiting, since when, of which types, and the
latest events (for ``turnabout outbox``). Read-only; the dispatcher owns the writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.persistence.tables import OutboxRow

outbox: Table = OutboxRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class OutboxSummary:
    total: int
    pending: int
    oldest_pending_at: datetime | None
    pending_by_type: dict[str, int]


@dataclass(frozen=True)
class OutboxEvent:
    id: UUID
    event_type: str
    occurred_at: datetime
    dispatched_at: datetime | None
    payload: dict[str, Any]


async def summary(engine: AsyncEngine) -> OutboxSummary:
    pending = outbox.c.dispatched_at.is_(None)
    async with engine.connect() as connection:
        total = int(await connection.scalar(select(func.count()).select_from(outbox)) or 0)
        waiting = int(await connection.scalar(select(func.count()).select_from(outbox).where(pending)) or 0)
        oldest = await connection.scalar(select(func.min(outbox.c.occurred_at)).where(pending))
        rows = await connection.execute(
            select(outbox.c.event_type, func.count()).where(pending).group_by(outbox.c.event_type)
        )
        by_type = {str(event_type): int(count) for event_type, count in rows}
    return OutboxSummary(total=total, pending=waiting, oldest_pending_at=oldest, pending_by_type=by_type)


async def latest(
    engine: AsyncEngine, *, limit: int, event_type: str | None = None, pending_only: bool = False
) -> list[OutboxEvent]:
    query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
    if event_type is not None:
        query = query.where(outbox.c.event_type == event_type)
    if pending_only:
        query = query.where(outbox.c.dispatched_at.is_(None))
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).mappings().all()
    return [
        OutboxEvent(
            id=row["id"],
            event_type=row["event_type"],
            occurred_at=row["occurred_at"],
            dispatched_at=row["dispatched_at"],
            payload=dict(row["payload"]),
        )
        for row in rows
    ]
