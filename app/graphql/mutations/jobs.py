"""Jobs: an admin retries a dead one."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.results import JobResult, mutate
from app.graphql.types.jobs import Job
from app.services import jobs


@strawberry.type
class JobMutations:
    @strawberry.mutation(description=rules_of(jobs.retry_job))
    async def retry_job(self, info: Info, id: UUID) -> JobResult:
        return await mutate(info, lambda: info.context.run(jobs.retry_job, job_id=id), Job.of)
