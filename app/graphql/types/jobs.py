"""Jobs as admins see them."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

import strawberry

from app.domain import jobs as job_domain
from app.graphql.enums import JobState
from app.graphql.types.base import build, enum


@strawberry.type(description="Work that runs over time (a solve, a sweep, a delivery), and how it went.")
class Job:
    id: UUID
    kind: str
    state: JobState
    payload: str = strawberry.field(description="The job's input, as JSON (ids and minimal fields).")
    run_at: datetime = strawberry.field(description="When it is (or was) due; for a retrying job, its next attempt.")
    attempts: int
    max_attempts: int | None = strawberry.field(description="Set when enqueued; null: the kind's default.")
    dedupe_key: str | None
    last_error: str | None = strawberry.field(description="The last failed attempt's error (type and message).")
    locked_by: str | None = strawberry.field(description="The worker running it, while it runs.")
    lease_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: job_domain.Job) -> Job:
        return build(cls, job, state=enum(JobState, job.state.value), payload=json.dumps(job.payload, sort_keys=True))
