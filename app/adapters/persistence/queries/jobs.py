"""Jobs as admins see them: listed by state and kind, in creation order."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from app.adapters.persistence.jobs import jobs, to_job
from app.adapters.persistence.queries.base import Reads
from app.domain.jobs import Job, JobFilter
from app.domain.ports import Page, PageRequest


class JobReads(Reads):
    async def job(self, job_id: UUID) -> Job | None:
        rows = await self.rows(select(jobs).where(jobs.c.id == job_id))
        return to_job(rows[0]) if rows else None

    async def jobs(self, flt: JobFilter, page: PageRequest) -> Page[Job]:
        stmt = select(jobs)
        if flt.state is not None:
            stmt = stmt.where(jobs.c.state == flt.state.value)
        if flt.kind is not None:
            stmt = stmt.where(jobs.c.kind == flt.kind)
        _, result = await self.page(stmt, jobs.c.id, page, to_job)
        return result
