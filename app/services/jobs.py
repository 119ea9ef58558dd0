"""Jobs, for admins: what is queued, running, retrying or dead, and retrying a dead one."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import conflict, not_found
from app.domain.jobs import Job, JobFilter, JobState
from app.domain.ports import Page, PageRequest, UnitOfWork

_ADMINS_ONLY = "Only admins see and retry jobs."


async def list_jobs(uow: UnitOfWork, actor: Actor, *, flt: JobFilter, page: PageRequest) -> Page[Job]:
    """Jobs in creation order, filtered by ``state`` (queued, running, succeeded, retrying, dead) and
    ``kind`` (e.g. ``matching.solve``).

    - admins only (payloads name people and pairs, errors name systems).
    """
    policies.require(policies.can_operate_jobs(actor), "jobs_admin_only", _ADMINS_ONLY)
    async with uow:
        return await uow.queries.jobs(flt, page)


async def get_job(uow: UnitOfWork, actor: Actor, *, job_id: UUID) -> Job:
    """One job: its state, attempts, last error, when it is due and who holds it while it runs.

    - admins only.
    """
    policies.require(policies.can_operate_jobs(actor), "jobs_admin_only", _ADMINS_ONLY)
    async with uow:
        job = await uow.queries.job(job_id)
        if job is None:
            raise not_found("job", job_id)
        return job


async def retry_job(uow: UnitOfWork, actor: Actor, *, job_id: UUID) -> Job:
    """Retry a ``dead`` job: queued again, due now, with a fresh count of attempts.

    - admins only; only a dead job (409 ``job_not_dead``);
    - not while an unfinished job of the same kind holds its dedupe key — that job will do the work
      (409 ``job_already_pending``).
    """
    policies.require(policies.can_operate_jobs(actor), "jobs_admin_only", _ADMINS_ONLY)
    async with uow:
        job = await uow.queries.job(job_id)
        if job is None:
            raise not_found("job", job_id)
        if job.state is not JobState.DEAD:
            raise conflict("job_not_dead", f"The job is {job.state.value}; only a dead job is retried.")
        if not await uow.jobs.retry_dead(job_id, now=uow.clock.now()):
            raise conflict(
                "job_already_pending", "An unfinished job of the same kind and dedupe key will do this work."
            )
        retried = await uow.queries.job(job_id)
        await uow.commit()
        assert retried is not None
        return retried
