"""Durable jobs and the schedules of periodic kinds."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import json_column, utc_column

# Unfinished states (app.domain.jobs.UNFINISHED), spelled out for the partial unique index.
_UNFINISHED_SQL = "state IN ('queued', 'running', 'retrying') AND dedupe_key IS NOT NULL"


class JobRow(SQLModel, table=True):
    """One job: what to run (kind, payload), when (run_at), how it went (attempts, last_error), and who
    holds it while it runs (locked_by until lease_expires_at)."""

    __tablename__ = "jobs"
    __table_args__ = (
        # What workers claim: due waiting jobs, and running ones whose lease expired.
        Index("ix_jobs_due", "state", "run_at"),
        Index("ix_jobs_kind_state", "kind", "state"),
        # One unfinished job per kind and dedupe key (finished ones keep their key as history).
        Index(
            "uq_jobs_unfinished_dedupe",
            "kind",
            "dedupe_key",
            unique=True,
            sqlite_where=text(_UNFINISHED_SQL),
            postgresql_where=text(_UNFINISHED_SQL),
        ),
    )

    id: UUID = Field(primary_key=True)
    kind: str = Field(max_length=100)
    payload: dict[str, Any] = json_column(dict)
    state: str = Field(max_length=20)
    run_at: datetime = utc_column()
    attempts: int = 0
    max_attempts: int | None = None  # None: the kind's default
    dedupe_key: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, sa_type=Text)
    locked_by: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    finished_at: datetime | None = utc_column(nullable=True)


class JobScheduleRow(SQLModel, table=True):
    """The next firing of a periodic kind. A worker that finds it due moves ``next_run_at`` on with a
    compare-and-set and enqueues the job in the same transaction: one firing per period, however many
    workers look."""

    __tablename__ = "job_schedules"

    kind: str = Field(primary_key=True, max_length=100)
    next_run_at: datetime = utc_column()
    last_fired_at: datetime | None = utc_column(nullable=True)
