"""Matching runs, their proposed pairs and the people left unmatched."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, false
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column
from app.adapters.persistence.types import JSONValue


class MatchingRunRow(SQLModel, table=True):
    __tablename__ = "matching_runs"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    status: str = Field(max_length=20)
    based_on: UUID | None = fk("matching_runs.id", nullable=True, index=False, ondelete="SET NULL")
    started_by: UUID | None = fk("people.id", nullable=True, index=False, ondelete="SET NULL")
    pool_size: int = 0
    pins: list[Any] = json_column()
    forbids: list[Any] = json_column()
    progress: float = 0.0
    outcome: dict[str, Any] | None = Field(default=None, sa_type=JSONValue, nullable=True)
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = utc_column()
    started_at: datetime | None = utc_column(nullable=True)
    finished_at: datetime | None = utc_column(nullable=True)
    published_at: datetime | None = utc_column(nullable=True)
    version: int = 1
    dry_run: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    settings_overrides: dict[str, Any] = json_column(dict)


class MatchingProposalRow(SQLModel, table=True):
    __tablename__ = "matching_proposals"
    __table_args__ = (Index("ix_matching_proposals_run_position", "run_id", "position"),)

    id: UUID = Field(primary_key=True)
    run_id: UUID = fk("matching_runs.id", index=False, ondelete="CASCADE")
    position: int
    enrollment_a_id: UUID = fk("enrollments.id", index=False, ondelete="CASCADE")
    enrollment_b_id: UUID = fk("enrollments.id", index=False, ondelete="CASCADE")
    person_a_id: UUID
    person_b_id: UUID
    mentor_enrollment_id: UUID | None = None
    score: float
    factors: list[Any] = json_column()
    summary: str = Field(default="", max_length=2000)
    pinned: bool = False


class MatchingUnmatchedRow(SQLModel, table=True):
    __tablename__ = "matching_unmatched"
    __table_args__ = (Index("ix_matching_unmatched_run_position", "run_id", "position"),)

    id: UUID = Field(primary_key=True)
    run_id: UUID = fk("matching_runs.id", index=False, ondelete="CASCADE")
    position: int
    enrollment_id: UUID = fk("enrollments.id", index=False, ondelete="CASCADE")
    person_id: UUID
    reason: str = Field(max_length=40)
    detail: str = Field(default="", max_length=2000)
