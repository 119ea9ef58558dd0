"""Idempotency records: reserve a key, run the create, remember its response.

A key is reserved in its own short transaction before the use case runs, so two concurrent
retries cannot both create; the response is stored after the use case committed. A use case that
fails releases the key (nothing was created, the client may retry). A reservation left by a crash
is taken over after a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.persistence.tables import IdempotencyRow

table = IdempotencyRow.__table__  # type: ignore[attr-defined]
STALE_RESERVATION = timedelta(minutes=1)


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    state: str
    status: int | None
    body: Any
    headers: dict[str, str]
    created_at: datetime


class IdempotencyStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, ttl: timedelta) -> None:
        self.session_factory = session_factory
        self.ttl = ttl

    async def reserve(
        self, *, record_id: UUID, actor_key: str, key: str, method: str, path: str, request_hash: str, now: datetime
    ) -> StoredResponse | None:
        """Reserve ``key`` for this caller; returns the earlier record instead if there is one."""
        async with self.session_factory() as session:
            where = (table.c.actor_key == actor_key, table.c.key == key)
            row = (await session.execute(select(table).where(*where))).mappings().first()
            if row is not None:
                expired = row["created_at"] < now - self.ttl
                abandoned = row["state"] == "in_progress" and row["created_at"] < now - STALE_RESERVATION
                if not (expired or abandoned):
                    return StoredResponse(
                        request_hash=row["request_hash"],
                        state=row["state"],
                        status=row["response_status"],
                        body=row["response_body"],
                        headers=dict(row["response_headers"]),
                        created_at=row["created_at"],
                    )
                await session.execute(delete(table).where(*where))
            try:
                await session.execute(
                    table.insert().values(
                        id=record_id,
                        actor_key=actor_key,
                        key=key,
                        method=method,
                        path=path,
                        request_hash=request_hash,
                        state="in_progress",
                        response_body={},
                        response_headers={},
                        created_at=now,
                    )
                )
                await session.commit()
            except IntegrityError:
                await session.rollback()
                return StoredResponse(
                    request_hash=request_hash, state="in_progress", status=None, body=None, headers={}, created_at=now
                )
        return None

    async def complete(self, *, actor_key: str, key: str, status: int, body: Any, headers: dict[str, str]) -> None:
        async with self.session_factory() as session:
            await session.execute(
                update(table)
                .where(table.c.actor_key == actor_key, table.c.key == key)
                .values(state="completed", response_status=status, response_body=body, response_headers=headers)
            )
            await session.commit()

    async def release(self, *, actor_key: str, key: str) -> None:
        async with self.session_factory() as session:
            await session.execute(delete(table).where(table.c.actor_key == actor_key, table.c.key == key))
            await session.commit()

    async def purge_expired(self, *, now: datetime) -> int:
        async with self.session_factory() as session:
            result = await session.execute(delete(table).where(table.c.created_at < now - self.ttl))
            await session.commit()
            return int(getattr(result, "rowcount", 0) or 0)
