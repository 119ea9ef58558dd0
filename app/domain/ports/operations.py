"""Running the platform: retention of old records and the job queue."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.domain.jobs import JobRequest


class Retention(Protocol):
    """Removing platform records past their retention (each call deletes at most ``limit`` rows, so
    that a transaction stays short; callers repeat until fewer come back)."""

    async def purge_idempotency(self, *, created_before: datetime, limit: int) -> int:
        """Idempotency records (which hold whole responses) older than their time to live."""
        ...

    async def trim_outbox(self, *, dispatched_before: datetime, limit: int) -> int:
        """Outbox rows already dispatched (``dispatched_at`` set) before that time; rows not yet
        dispatched are never removed, however old."""
        ...

    async def purge_jobs(self, *, succeeded_before: datetime, limit: int) -> int:
        """Jobs that succeeded before that time (dead ones stay, for admins to see and retry)."""
        ...


class JobQueue(Protocol):
    def enqueue(self, job: JobRequest) -> None:
        """Ask for a job: written by the unit of work's commit in the same transaction as the change,
        and rolled back with it. An unfinished job of the same kind and dedupe key makes it a no-op."""
        ...

    async def retry_dead(self, job_id: UUID, *, now: datetime) -> bool:
        """Queue a ``dead`` job again, due now, with a fresh count of attempts. False when the job is
        not dead, or an unfinished job of its kind holds its dedupe key."""
        ...
