"""Enqueueing: the rows a unit of work inserts at commit, and ``SqlJobQueue`` (``uow.jobs``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.jobs.shared import CHANNEL, jobs
from app.domain.jobs import UNFINISHED, JobRequest, JobState
from app.domain.ports import IdGenerator

_UNFINISHED_WHERE = text("state IN ('queued', 'running', 'retrying') AND dedupe_key IS NOT NULL")
assert {s.value for s in UNFINISHED} == {"queued", "running", "retrying"}  # the index's predicate


def _insert(dialect: str) -> Any:
    """An INSERT that skips a job whose kind and dedupe key an unfinished job holds already."""
    if dialect == "postgresql":
        return postgresql.insert(jobs).on_conflict_do_nothing(
            index_elements=["kind", "dedupe_key"], index_where=_UNFINISHED_WHERE
        )
    return sqlite.insert(jobs).on_conflict_do_nothing(
        index_elements=["kind", "dedupe_key"], index_where=_UNFINISHED_WHERE
    )


def job_rows(requests: Sequence[JobRequest], *, now: datetime, ids: IdGenerator) -> list[dict[str, Any]]:
    """Rows for these requests; of two with the same kind and dedupe key only the first is kept."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for request in requests:
        if request.dedupe_key is not None:
            key = (request.kind, request.dedupe_key)
            if key in seen:
                continue
            seen.add(key)
        rows.append(
            {
                "id": ids.new_id(),
                "kind": request.kind,
                "payload": dict(request.payload),
                "state": JobState.QUEUED.value,
                "run_at": request.run_at or now,
                "attempts": 0,
                "max_attempts": request.max_attempts,
                "dedupe_key": request.dedupe_key,
                "last_error": None,
                "locked_by": None,
                "lease_expires_at": None,
                "created_at": now,
                "updated_at": now,
                "finished_at": None,
            }
        )
    return rows


async def insert_jobs(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert job rows (dedupe conflicts skipped) and, on PostgreSQL, notify the workers at commit."""
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    await session.execute(_insert(dialect), rows)
    if dialect == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class SqlJobQueue:
    """``uow.jobs``: what the use case asked for, written by the unit of work's commit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[JobRequest] = []
        self.requeued = False  # a dead job was queued again: wake the runners after the commit

    def enqueue(self, job: JobRequest) -> None:
        self.pending.append(job)

    def drain(self) -> list[JobRequest]:
        pending, self.pending = self.pending, []
        return pending

    async def retry_dead(self, job_id: UUID, *, now: datetime) -> bool:
        other = jobs.alias("other")
        holder = (
            select(other.c.id)
            .where(
                other.c.kind == jobs.c.kind,
                other.c.dedupe_key == jobs.c.dedupe_key,
                other.c.state.in_(sorted(s.value for s in UNFINISHED)),
            )
            .exists()
        )
        result = await self.session.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == JobState.DEAD.value, ~holder)
            .values(state=JobState.QUEUED.value, attempts=0, run_at=now, finished_at=None, updated_at=now)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        self.requeued = True
        if self.session.bind is not None and self.session.bind.dialect.name == "postgresql":
            await self.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        return True
