"""The outbox as a live feed, for GraphQL subscriptions: the events committed after a point, in id
order, read by polling with a short interval and woken at once by commits made in this process.

Outbox ids are UUIDv7 (time-ordered), but they are drawn when a use case writes its events and become
visible only at the request's commit, so an event may appear *behind* one already read. The feed
therefore re-reads a window of recent ids (``LOOKBACK``) on every poll and skips the ones it has
already delivered: a subscriber sees every committed event once, including those committed late.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.persistence.tables import OutboxRow
from app.domain.events import DomainEvent

outbox = OutboxRow.__table__  # type: ignore[attr-defined]

LOOKBACK_SECONDS = 30.0
BATCH = 500


@dataclass(frozen=True)
class OutboxEvent:
    id: UUID
    event_type: str
    payload: dict[str, Any]


def uuid7_floor(unix_seconds: float) -> UUID:
    """The smallest UUIDv7 of that millisecond: every id drawn at or after it sorts above it."""
    millis = max(int(unix_seconds * 1000), 0)
    return UUID(int=(millis << 80) | (0x7 << 76) | (0b10 << 62))


class OutboxFeed:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        poll_seconds: float,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._sessions = session_factory
        self.poll_seconds = poll_seconds
        self._now = now
        self._waiters: set[asyncio.Event] = set()

    def wake(self, events: Sequence[DomainEvent] = ()) -> None:
        """A commit listener: something was committed in this process, look now."""
        for waiter in self._waiters:
            waiter.set()

    async def _read(self, after: UUID) -> list[OutboxEvent]:
        stmt = (
            select(outbox.c.id, outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.id > after)
            .order_by(outbox.c.id)
            .limit(BATCH)
        )
        async with self._sessions() as session:
            rows = (await session.execute(stmt)).all()
        return [OutboxEvent(row.id, row.event_type, dict(row.payload)) for row in rows]

    async def _latest(self) -> UUID | None:
        async with self._sessions() as session:
            # (PostgreSQL has no max() of a uuid: the last in id order instead)
            latest: UUID | None = await session.scalar(select(outbox.c.id).order_by(outbox.c.id.desc()).limit(1))
        return latest

    async def ticks(self) -> AsyncIterator[None]:
        """A beat after every commit in this process, and every ``poll_seconds`` anyway (for changes
        committed by other processes): when to look again at something that changes in place."""
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter.wait(), timeout=self.poll_seconds)
                waiter.clear()
                yield None
        finally:
            self._waiters.discard(waiter)

    async def follow(self) -> AsyncIterator[OutboxEvent]:
        """Every event committed from now on, once each, for as long as the caller iterates."""
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        try:
            start = await self._latest() or uuid7_floor(self._now())
            delivered: dict[UUID, float] = {}
            cursor = start
            while True:
                waiter.clear()
                floor = min(cursor, uuid7_floor(self._now() - LOOKBACK_SECONDS))
                after = max(floor, start)
                while True:
                    batch = await self._read(after)
                    for event in batch:
                        if event.id not in delivered:
                            delivered[event.id] = self._now()
                            cursor = max(cursor, event.id)
                            yield event
                    if len(batch) < BATCH:
                        break
                    after = batch[-1].id
                horizon = self._now() - 2 * LOOKBACK_SECONDS
                for event_id in [i for i, seen in delivered.items() if seen < horizon]:
                    del delivered[event_id]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter.wait(), timeout=self.poll_seconds)
        finally:
            self._waiters.discard(waiter)
