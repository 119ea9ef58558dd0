"""``JobStore``: claiming, completing, retrying and reading jobs, for workers and admins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.persistence.jobs.queue import insert_jobs, job_rows
from app.adapters.persistence.jobs.shared import _WAITING, jobs, schedules
from app.domain.jobs import Job, JobRequest, JobState, Outcome
from app.domain.ports import IdGenerator


def to_job(row: Row[Any] | Mapping[str, Any]) -> Job:
    values = row._mapping if isinstance(row, Row) else row
    return Job(
        id=values["id"],
        kind=values["kind"],
        payload=dict(values["payload"] or {}),
        state=JobState(values["state"]),
        run_at=values["run_at"],
        attempts=values["attempts"],
        max_attempts=values["max_attempts"],
        dedupe_key=values["dedupe_key"],
        last_error=values["last_error"],
        created_at=values["created_at"],
        updated_at=values["updated_at"],
        finished_at=values["finished_at"],
        locked_by=values["locked_by"],
        lease_expires_at=values["lease_expires_at"],
    )


def _due(now: datetime) -> Any:
    """Waiting jobs whose time has come, and running ones whose worker stopped renewing the lease."""
    return or_(
        and_(jobs.c.state.in_(_WAITING), jobs.c.run_at <= now),
        and_(jobs.c.state == JobState.RUNNING.value, jobs.c.lease_expires_at < now),
    )


async def _relaxed(session: AsyncSession) -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL flush. Used for claims and
    completions only: a database crash may then lose the last few hundred milliseconds of them, which
    puts those jobs back to run again — what a worker's crash does anyway (jobs run at least once) —
    and never loses a job or a handler's own writes, which commit normally."""
    await session.execute(text("SET LOCAL synchronous_commit TO OFF"))


class JobStore:
    """Claims and settles jobs, each in a short transaction of its own."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        read_session_factory: async_sessionmaker[AsyncSession],
        *,
        ids: IdGenerator,
    ) -> None:
        self._sessions = session_factory
        self._reads = read_session_factory
        self._ids = ids
        self._dialect: str = session_factory.kw["bind"].dialect.name

    async def enqueue(self, requests: Sequence[JobRequest], *, now: datetime) -> None:
        """Enqueue outside a use case (periodic firings, tests, operators)."""
        async with self._sessions() as session:
            await insert_jobs(session, job_rows(requests, now=now, ids=self._ids))
            await session.commit()

    async def next_due(self, kinds: Iterable[str], *, now: datetime) -> datetime | None:
        """When the earliest claimable job of these kinds is (or was) due, read without a write lock."""
        names = list(kinds)
        if not names:
            return None
        waiting = select(func.min(jobs.c.run_at)).where(jobs.c.kind.in_(names), jobs.c.state.in_(_WAITING))
        leased = select(func.min(jobs.c.lease_expires_at)).where(
            jobs.c.kind.in_(names), jobs.c.state == JobState.RUNNING.value
        )
        async with self._reads() as session:
            first = await session.scalar(waiting)
            expiry = await session.scalar(leased)
        found = [moment for moment in (first, expiry) if moment is not None]
        return min(found) if found else None

    async def claim(
        self, kinds: Iterable[str], *, worker: str, now: datetime, lease: timedelta, limit: int
    ) -> list[Job]:
        """Up to ``limit`` due jobs of these kinds, now ``running`` under this worker's lease, their
        attempt counted."""
        names = list(kinds)
        if not names or limit < 1:
            return []
        async with self._sessions() as session:
            dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
            chosen = (
                select(jobs.c.id)
                .where(jobs.c.kind.in_(names), _due(now))
                .order_by(jobs.c.run_at, jobs.c.id)
                .limit(limit)
            )
            if dialect == "postgresql":
                chosen = chosen.with_for_update(skip_locked=True)
                await _relaxed(session)
            stmt = (
                update(jobs)
                .where(jobs.c.id.in_(chosen.scalar_subquery()))
                .values(
                    state=JobState.RUNNING.value,
                    attempts=jobs.c.attempts + 1,
                    locked_by=worker,
                    lease_expires_at=now + lease,
                    updated_at=now,
                )
                .returning(*jobs.c)
            )
            rows = (await session.execute(stmt)).all()
            await session.commit()
        claimed = [to_job(row) for row in rows]
        claimed.sort(key=lambda job: (job.run_at, job.id))
        return claimed

    @property
    def claims_block_writers(self) -> bool:
        """SQLite: a claim takes the one write lock, so runners look (read) before they claim. On
        PostgreSQL a claim that finds nothing writes nothing and blocks nobody (SKIP LOCKED)."""
        return self._dialect != "postgresql"

    async def complete(self, job_ids: Sequence[UUID], *, worker: str, now: datetime) -> set[UUID]:
        """Mark these jobs succeeded in one statement (a runner's finished jobs, batched); returns the
        ids this worker still held."""
        if not job_ids:
            return set()
        async with self._sessions() as session:
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                await _relaxed(session)
            rows = await session.execute(
                update(jobs)
                .where(jobs.c.id.in_(list(job_ids)), jobs.c.locked_by == worker, jobs.c.state == JobState.RUNNING.value)
                .values(
                    state=JobState.SUCCEEDED.value,
                    finished_at=now,
                    locked_by=None,
                    lease_expires_at=None,
                    updated_at=now,
                )
                .returning(jobs.c.id)
            )
            held = {row.id for row in rows}
            await session.commit()
        return held

    async def heartbeat(self, job_ids: Sequence[UUID], *, worker: str, until: datetime, now: datetime) -> set[UUID]:
        """Extend the leases this worker still holds; returns the ids it holds (a job missing from the
        answer was taken by another worker after its lease expired)."""
        if not job_ids:
            return set()
        async with self._sessions() as session:
            rows = await session.execute(
                update(jobs)
                .where(jobs.c.id.in_(list(job_ids)), jobs.c.locked_by == worker, jobs.c.state == JobState.RUNNING.value)
                .values(lease_expires_at=until, updated_at=now)
                .returning(jobs.c.id)
            )
            held = {row.id for row in rows}
            await session.commit()
        return held

    async def settle(
        self,
        job_id: UUID,
        *,
        worker: str,
        now: datetime,
        outcome: Outcome | None,
        error: str | None = None,
    ) -> bool:
        """Record an attempt's end: ``outcome`` None is success; else retrying / queued (retry later) at
        ``outcome.run_at``, or dead. False when this worker no longer holds the job."""
        values: dict[str, Any] = {"locked_by": None, "lease_expires_at": None, "updated_at": now}
        if outcome is None:
            values.update(state=JobState.SUCCEEDED.value, finished_at=now)
        elif outcome.state is JobState.DEAD:
            values.update(state=JobState.DEAD.value, finished_at=now, last_error=error)
        else:
            values.update(state=outcome.state.value, run_at=outcome.run_at or now)
            if error is not None:
                values["last_error"] = error
        async with self._sessions() as session:
            result = await session.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.locked_by == worker, jobs.c.state == JobState.RUNNING.value)
                .values(**values)
            )
            await session.commit()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, job_ids: Sequence[UUID], *, worker: str, now: datetime) -> int:
        """Give back jobs this worker will not finish (it is stopping): queued again at once, the
        interrupted attempt not counted."""
        if not job_ids:
            return 0
        async with self._sessions() as session:
            result = await session.execute(
                update(jobs)
                .where(jobs.c.id.in_(list(job_ids)), jobs.c.locked_by == worker, jobs.c.state == JobState.RUNNING.value)
                .values(
                    state=JobState.QUEUED.value,
                    attempts=jobs.c.attempts - 1,
                    locked_by=None,
                    lease_expires_at=None,
                    run_at=now,
                    updated_at=now,
                )
            )
            await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def schedules(self) -> dict[str, datetime]:
        """The next firing of each periodic kind, read without a write lock."""
        async with self._reads() as session:
            rows = (await session.execute(select(schedules.c.kind, schedules.c.next_run_at))).all()
        return {row.kind: row.next_run_at for row in rows}

    async def fire(
        self,
        kind: str,
        *,
        expected: datetime | None,
        period_start: datetime,
        next_run_at: datetime,
        now: datetime,
    ) -> bool:
        """Fire a periodic kind: move its schedule from ``expected`` (None: it has none yet) to
        ``next_run_at`` with a compare-and-set, and enqueue one job for the period in the same
        transaction. False when another worker fired it first."""
        async with self._sessions() as session:
            if expected is None:
                dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
                maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
                result = await session.execute(
                    maker(schedules)
                    .values(kind=kind, next_run_at=next_run_at, last_fired_at=now)
                    .on_conflict_do_nothing(index_elements=["kind"])
                )
            else:
                result = await session.execute(
                    update(schedules)
                    .where(schedules.c.kind == kind, schedules.c.next_run_at == expected)
                    .values(next_run_at=next_run_at, last_fired_at=now)
                )
            if not result.rowcount:  # type: ignore[attr-defined]
                await session.rollback()
                return False
            request = JobRequest(
                kind=kind,
                payload={"period_start": period_start.isoformat()},
                dedupe_key=f"period:{period_start.isoformat()}",
            )
            await insert_jobs(session, job_rows([request], now=now, ids=self._ids))
            await session.commit()
        return True

    async def get(self, job_id: UUID) -> Job | None:
        async with self._reads() as session:
            row = (await session.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return to_job(row) if row is not None else None
