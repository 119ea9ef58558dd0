"""Housekeeping on the databases: expired idempotency records and dispatched outbox rows past their
retention are deleted by the hourly job; everything else stays, undispatched events above all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, select

from app.adapters.persistence.tables import IdempotencyRow, OutboxRow
from app.services.housekeeping import purge_expired

idempotency = IdempotencyRow.__table__  # type: ignore[attr-defined]
outbox = OutboxRow.__table__  # type: ignore[attr-defined]
NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def record(created_at: datetime, key: str) -> dict[str, Any]:
    return {
        "id": uuid4(),
        "actor_key": "issuer|subject",
        "key": key,
        "method": "POST",
        "path": "/api/v1/programs",
        "request_hash": "0" * 64,
        "state": "completed",
        "response_status": 201,
        "response_body": {"id": "x"},
        "response_headers": {},
        "created_at": created_at,
    }


def event(occurred_at: datetime, dispatched_at: datetime | None, name: str) -> dict[str, Any]:
    return {
        "id": uuid4(),
        "event_type": name,
        "payload": {},
        "occurred_at": occurred_at,
        "dispatched_at": dispatched_at,
    }


async def seed(container: Any) -> None:
    async with container.engine.begin() as connection:
        await connection.execute(
            insert(idempotency),
            [
                record(NOW - timedelta(hours=25), "expired"),
                record(NOW - timedelta(hours=23), "fresh"),
            ],
        )
        await connection.execute(
            insert(outbox),
            [
                event(NOW - timedelta(days=40), NOW - timedelta(days=40), "old.dispatched"),
                event(NOW - timedelta(days=40), None, "old.not_dispatched"),
                event(NOW - timedelta(days=5), NOW - timedelta(days=5), "recent.dispatched"),
            ],
        )


async def left(container: Any) -> tuple[list[str], list[str]]:
    async with container.engine.connect() as connection:
        keys = (await connection.execute(select(idempotency.c.key).order_by(idempotency.c.key))).scalars().all()
        events = (await connection.execute(select(outbox.c.event_type).order_by(outbox.c.event_type))).scalars().all()
    return list(keys), list(events)


async def test_the_hourly_job_purges_what_is_past_its_retention_and_nothing_else(container: Any, run_jobs: Any) -> None:
    await seed(container)
    settled = await run_jobs(at=NOW)
    assert ("housekeeping.purge", "succeeded") in {(s.kind, s.state) for s in settled}
    assert await left(container) == (["fresh"], ["old.not_dispatched", "recent.dispatched"])


async def test_purging_goes_in_batches_until_nothing_is_left(container: Any, run_jobs: Any) -> None:
    async with container.engine.begin() as connection:
        await connection.execute(insert(idempotency), [record(NOW - timedelta(days=3), f"k{n}") for n in range(7)])
        await connection.execute(
            insert(outbox), [event(NOW - timedelta(days=90), NOW - timedelta(days=89), f"e{n}") for n in range(5)]
        )
    run_jobs.clock.set(NOW)
    purged = await purge_expired(
        run_jobs.uow, idempotency_ttl=timedelta(hours=24), outbox_retention=timedelta(days=30), batch=2
    )
    assert (purged.idempotency_records, purged.outbox_rows) == (7, 5)
    assert await left(container) == ([], [])
