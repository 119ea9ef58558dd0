"""Job figures for ``/metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.persistence.jobs.shared import _WAITING, jobs
from app.domain.jobs import JobState


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
