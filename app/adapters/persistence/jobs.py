"""The job store: jobs written by units of work, claimed and settled by workers.

- ``SqlJobQueue`` is ``uow.jobs``: it collects the unit of work's ``JobRequest``s and inserts them at
  commit, in the same transaction as the change and its outbox rows. A request whose kind and dedupe key
  match an unfinished job is dropped by the partial unique index (``INSERT ... ON CONFLICT DO NOTHING``).
- ``JobStore`` is what workers use. A claim is one short write transaction: on PostgreSQL
  ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`` so that any number of workers claim
  disjoint jobs without waiting on each other; on SQLite the same statement under the writer's
  ``BEGIN IMMEDIATE`` (one writer at a time anyway). Whether anything is due is asked first on a reader
  connection, so an idle runner never takes SQLite's write lock.
- Every settle (succeeded, retrying, dead, released) is guarded by ``locked_by = <this worker> AND
  state = 'running'``: a worker whose lease expired and whose job another worker took cannot overwrite
  that worker's outcome.
- ``JobWakeup`` wakes runners: at once in this process after a commit that enqueued jobs, and across
  processes on PostgreSQL through ``LISTEN/NOTIFY`` (the ``NOTIFY`` is sent inside the enqueuing
  transaction, so PostgreSQL delivers it only if that transaction commits). Runners also poll, so a
  lost notification only delays a job by one poll interval.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import Row, and_, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.adapters.persistence.tables import JobRow, JobScheduleRow
from app.domain.jobs import UNFINISHED, WAITING, Job, JobRequest, JobState, Outcome
from app.domain.ports import IdGenerator

log = structlog.get_logger("turnabout.jobs")
jobs = JobRow.__table__  # type: ignore[attr-defined]
schedules = JobScheduleRow.__table__  # type: ignore[attr-defined]
CHANNEL = "turnabout_jobs"
_UNFINISHED_WHERE = text("state IN ('queued', 'running', 'retrying') AND dedupe_key IS NOT NULL")
_WAITING = sorted(state.value for state in WAITING)
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


@dataclass(frozen=True)
class KindFigures:
    """One kind's jobs now: how many in each unfinished (or dead) state, how many are due and waiting,
    and since when the oldest of those has been due."""

    kind: str
    by_state: dict[str, int]
    due: int
    oldest_due: datetime | None


async def job_figures(reads: async_sessionmaker[AsyncSession], *, now: datetime) -> list[KindFigures]:
    """Two grouped reads (no write lock), for ``/metrics``."""
    counted = (
        select(jobs.c.kind, jobs.c.state, func.count())
        .where(jobs.c.state.in_([*_WAITING, JobState.RUNNING.value, JobState.DEAD.value]))
        .group_by(jobs.c.kind, jobs.c.state)
    )
    due = (
        select(jobs.c.kind, func.count(), func.min(jobs.c.run_at))
        .where(jobs.c.state.in_(_WAITING), jobs.c.run_at <= now)
        .group_by(jobs.c.kind)
    )
    async with reads() as session:
        states = (await session.execute(counted)).all()
        waiting = (await session.execute(due)).all()
    figures: dict[str, KindFigures] = {}
    for kind, state, count in states:
        figures.setdefault(kind, KindFigures(kind, {}, 0, None)).by_state[state] = int(count)
    for kind, count, oldest in waiting:
        known = figures.get(kind, KindFigures(kind, {}, 0, None))
        figures[kind] = KindFigures(kind, known.by_state, int(count), oldest)
    return sorted(figures.values(), key=lambda f: f.kind)


class JobWakeup:
    """Wakes the runners of this process; on PostgreSQL, also when another process enqueued."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Event] = set()

    def waiter(self) -> asyncio.Event:
        event = asyncio.Event()
        self._waiters.add(event)
        return event

    def forget(self, event: asyncio.Event) -> None:
        self._waiters.discard(event)

    def wake(self) -> None:
        for event in self._waiters:
            event.set()

    @contextlib.asynccontextmanager
    async def listening(self, engine: AsyncEngine) -> Any:
        """On PostgreSQL, LISTEN on a connection of its own while the block runs (a failure to listen
        is logged: polling still finds every job)."""
        if engine.dialect.name != "postgresql":
            yield
            return
        connection = None
        try:
            connection = await engine.connect()
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None

            def heard(*_: object) -> None:
                self.wake()

            await driver.add_listener(CHANNEL, heard)
        except Exception:
            log.warning("jobs_listen_failed", exc_info=True)
            if connection is not None:
                await connection.close()
                connection = None
        try:
            yield
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.invalidate()  # never back to the pool with a listener on it
                    await connection.close()
