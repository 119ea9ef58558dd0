"""Housekeeping: platform records removed once their retention is over.

- Idempotency records hold whole responses; past ``TURNABOUT_IDEMPOTENCY_TTL_HOURS`` they can never be
  replayed (an expired key is free again), so they are deleted.
- Outbox rows are the record of every event; once dispatched (``dispatched_at`` set, by the webhook
  fan-out) and older than ``TURNABOUT_OUTBOX_RETENTION_DAYS`` they are deleted. A row not yet
  dispatched is never deleted, however old.

Rows go in batches, each batch a unit of work of its own, so that no transaction holds a lock for long
(on SQLite the write lock is the whole database's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from app.domain.ports import UnitOfWork

PURGE_JOB = "housekeeping.purge"
BATCH = 1000


@dataclass(frozen=True)
class Purged:
    idempotency_records: int
    outbox_rows: int


async def purge_expired(
    new_uow: Callable[[], UnitOfWork],
    *,
    idempotency_ttl: timedelta,
    outbox_retention: timedelta,
    batch: int = BATCH,
) -> Purged:
    """Delete expired idempotency records and dispatched outbox rows past their retention."""
    records = rows = 0
    while True:
        async with new_uow() as uow:
            cutoff = uow.clock.now() - idempotency_ttl
            removed = await uow.retention.purge_idempotency(created_before=cutoff, limit=batch)
            await uow.commit()
        records += removed
        if removed < batch:
            break
    while True:
        async with new_uow() as uow:
            cutoff = uow.clock.now() - outbox_retention
            removed = await uow.retention.trim_outbox(dispatched_before=cutoff, limit=batch)
            await uow.commit()
        rows += removed
        if removed < batch:
            break
    return Purged(idempotency_records=records, outbox_rows=rows)
