"""Jobs as admins see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.jobs import Job, JobState


class JobOut(BaseModel):
    id: UUID
    kind: str = Field(description="What the job does, e.g. `matching.solve`, `relationships.health_sweep`.")
    state: JobState = Field(description="queued → running → succeeded; a failed attempt → retrying → … → dead.")
    payload: dict[str, Any] = Field(description="The job's input (ids and minimal fields).")
    run_at: datetime = Field(description="When it is (or was) due; for a retrying job, its next attempt.")
    attempts: int = Field(description="Attempts started so far.")
    max_attempts: int | None = Field(description="Set when the job was enqueued; null: the kind's default.")
    dedupe_key: str | None
    last_error: str | None = Field(description="The last failed attempt's error (type and message).")
    locked_by: str | None = Field(description="The worker running it (host:pid:…), while it runs.")
    lease_expires_at: datetime | None = Field(description="When another worker may take it if this one stalls.")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind,
            state=job.state,
            payload=job.payload,
            run_at=job.run_at,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            dedupe_key=job.dedupe_key,
            last_error=job.last_error,
            locked_by=job.locked_by,
            lease_expires_at=job.lease_expires_at,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
        )


class JobList(BaseModel):
    items: list[JobOut]
    next_cursor: str | None
