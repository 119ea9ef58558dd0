from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column

_LIVE = "status IN ('applied', 'approved', 'ready', 'matched')"


class EnrollmentRow(SQLModel, table=True):
    __tablename__ = "enrollments"
    __table_args__ = (
        # At most one live enrollment per person and program, enforced by the database too.
        Index(
            "uq_enrollments_live_person",
            "program_id",
            "person_id",
            unique=True,
            sqlite_where=text(_LIVE),
            postgresql_where=text(_LIVE),
        ),
        Index("ix_enrollments_program_status", "program_id", "status"),
    )

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", index=False, ondelete="CASCADE")
    person_id: UUID = fk("people.id")
    status: str = Field(max_length=20)
    role_preference: str = Field(max_length=20)
    motivation: str = Field(default="", max_length=5000)
    skills_offered: list[str] = json_column()
    skills_wanted: list[str] = json_column()
    interests: list[str] = json_column()
    meeting_modes: list[str] = json_column()
    availability: list[str] = json_column()
    approved_at: datetime | None = utc_column(nullable=True)
    training_completed_at: datetime | None = utc_column(nullable=True)
    withdrawn_at: datetime | None = utc_column(nullable=True)
    withdrawal_reason: str | None = Field(default=None, max_length=2000)
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    version: int = 1
