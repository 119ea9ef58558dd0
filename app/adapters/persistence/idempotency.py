"""Idempotency records, written in the business transaction of the create they protect.

The request's transaction (``transaction.py``) carries the reservation, the use case's rows and
events, and the stored response, and commits them together. So a committed create always has its
record (a retry replays the first response) and a failed one never has (a retry creates).

Two retries racing with one key: the second one's INSERT of the reservation waits on the first's
uncommitted row (a unique constraint), then finds the committed record and replays it; on SQLite
the write lock taken at BEGIN serialises them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.tables import IdempotencyRow

table = IdempotencyRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    status: int | None
    body: Any
    headers: dict[str, str]


class IdempotencyRecords:
    """The idempotency records seen through one transaction's session."""

    def __init__(self, session: AsyncSession, *, ttl: timedelta) -> None:
        self.session = session
        self.ttl = ttl

    async def _find(self, actor_key: str, key: str, now: datetime) -> StoredResponse | None:
        row = (
            (await self.session.execute(select(table).where(table.c.actor_key == actor_key, table.c.key == key)))
            .mappings()
            .first()
        )
        if row is None:
            return None
        if row["created_at"] < now - self.ttl:  # expired: forget it, the key is free again
            await self.session.execute(delete(table).where(table.c.id == row["id"]))
            return None
        return StoredResponse(
            request_hash=row["request_hash"],
            status=row["response_status"],
            body=row["response_body"],
            headers=dict(row["response_headers"]),
        )

    async def reserve(
        self, *, record_id: UUID, actor_key: str, key: str, method: str, path: str, request_hash: str, now: datetime
    ) -> StoredResponse | None:
        """Reserve ``key`` for this caller in this transaction; returns the earlier record instead
        when one exists (committed by an earlier or a concurrent request)."""
        earlier = await self._find(actor_key, key, now)
        if earlier is not None:
            return earlier
        values = {
            "id": record_id,
            "actor_key": actor_key,
            "key": key,
            "method": method,
            "path": path,
            "request_hash": request_hash,
            "state": "in_progress",
            "response_body": {},
            "response_headers": {},
            "created_at": now,
        }
        try:
            async with self.session.begin_nested():
                await self.session.execute(table.insert().values(**values))
        except IntegrityError:
            # A concurrent request with this key committed first (we waited on its row): replay it.
            return await self._find(actor_key, key, now)
        return None

    async def complete(self, *, actor_key: str, key: str, status: int, body: Any, headers: dict[str, str]) -> None:
        await self.session.execute(
            update(table)
            .where(table.c.actor_key == actor_key, table.c.key == key)
            .values(state="completed", response_status=status, response_body=body, response_headers=headers)
        )


async def purge_expired(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete records created before ``older_than`` (they hold full response bodies)."""
    result = await session.execute(delete(table).where(table.c.created_at < older_than))
    return int(getattr(result, "rowcount", 0) or 0)
