"""The outbox as a live feed: every committed event once, in order — including one whose id was
drawn before an event already delivered but committed after it (a slower transaction)."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID

from sqlalchemy import insert

from app.adapters.persistence.outbox_feed import OutboxFeed, uuid7_floor
from app.adapters.persistence.tables import OutboxRow
from app.adapters.system import UUID7Generator

outbox = OutboxRow.__table__  # type: ignore[attr-defined]


async def _write(container: Any, event_id: UUID, event_type: str) -> None:
    async with container.engine.begin() as connection:
        await connection.execute(
            insert(outbox).values(
                id=event_id, event_type=event_type, payload={}, occurred_at=container.clock.now(), dispatched_at=None
            )
        )
    container.outbox_feed.wake()


def test_the_floor_of_a_millisecond_sorts_below_every_id_drawn_then() -> None:
    before = time.time()
    drawn = UUID7Generator().new_id()
    assert uuid7_floor(before - 0.001) < drawn
    assert uuid7_floor(time.time() + 1) > drawn
    assert uuid7_floor(before).version == 7


async def test_a_follower_sees_each_committed_event_once_even_when_committed_late(container) -> None:
    ids = UUID7Generator()
    await _write(container, ids.new_id(), "before.subscribing")
    feed = OutboxFeed(container.read_session_factory, poll_seconds=0.05)
    container_feed = container.outbox_feed
    container.outbox_feed = feed
    try:
        follow = feed.follow()
        first = asyncio.ensure_future(anext(follow))
        await asyncio.sleep(0.2)  # subscribed: what exists now is not replayed
        slow = ids.new_id()  # drawn first, committed last
        quick = ids.new_id()
        await _write(container, quick, "quick")
        assert (await asyncio.wait_for(first, 5)).event_type == "quick"
        await _write(container, slow, "slow")
        late = await asyncio.wait_for(anext(follow), 5)
        assert (late.id, late.event_type) == (slow, "slow")
        await _write(container, ids.new_id(), "next")
        assert (await asyncio.wait_for(anext(follow), 5)).event_type == "next"  # nothing delivered twice
        await follow.aclose()
    finally:
        container.outbox_feed = container_feed
