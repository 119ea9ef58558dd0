from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from app.api.deps import ActorDep, UowDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.routing import api_router
from app.api.schemas.jobs import JobList, JobOut
from app.domain.jobs import JobFilter, JobState
from app.services import jobs as service

router = api_router(tags=["jobs"])


@router.get(
    "/jobs",
    response_model=JobList,
    summary="List jobs",
    description=service.list_jobs.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def list_jobs(
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    state: JobState | None = None,
    kind: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> JobList:
    result = await service.list_jobs(uow, actor, flt=JobFilter(state=state, kind=kind), page=page)
    return JobList(items=[JobOut.of(j) for j in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="Get a job",
    description=service.get_job.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def get_job(job_id: UUID, actor: ActorDep, uow: UowDep) -> JobOut:
    return JobOut.of(await service.get_job(uow, actor, job_id=job_id))


@router.post(
    "/jobs/{job_id}/retry",
    response_model=JobOut,
    summary="Retry a dead job",
    description=service.retry_job.__doc__,
    responses=problem_responses(401, 403, 404, 409),
)
async def retry_job(job_id: UUID, actor: ActorDep, uow: UowDep) -> JobOut:
    return JobOut.of(await service.retry_job(uow, actor, job_id=job_id))
