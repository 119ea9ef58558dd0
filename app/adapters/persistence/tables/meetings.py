"""Meetings, the resources suggested in them, private reflections, and calendar feed secrets.

Reflections live in their own table and are only ever read by ``(meeting_id, author_id)`` with the
reader as the author: no shared read joins them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, utc_column


class MeetingRow(SQLModel, table=True):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_relationship_starts", "relationship_id", "starts_at"),)

    id: UUID = Field(primary_key=True)
    relationship_id: UUID = fk("relationships.id", index=False, ondelete="CASCADE")
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    member_a_id: UUID = fk("people.id")
    member_b_id: UUID = fk("people.id")
    starts_at: datetime = utc_column()
    duration_minutes: int
    mode: str = Field(max_length=20)
    planned_leader_id: UUID
    agenda: str = Field(default="", max_length=10000)
    status: str = Field(max_length=20)
    led_by: UUID | None = None
    shared_notes: str = Field(default="", max_length=50000)
    scheduled_at: datetime | None = utc_column(nullable=True)
    closed_at: datetime | None = utc_column(nullable=True)
    version: int = 1


class MeetingResourceRow(SQLModel, table=True):
    """A suggested link: a value of its meeting, kept in the order it was suggested."""

    __tablename__ = "meeting_resources"

    meeting_id: UUID = Field(foreign_key="meetings.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    title: str = Field(max_length=300)
    url: str = Field(max_length=2000)
    kind: str = Field(max_length=20)
    suggested_by: UUID | None = None


class ReflectionRow(SQLModel, table=True):
    """A member's private reflection on a meeting: read by its author only."""

    __tablename__ = "meeting_reflections"

    meeting_id: UUID = Field(foreign_key="meetings.id", primary_key=True, ondelete="CASCADE")
    author_id: UUID = Field(foreign_key="people.id", primary_key=True, index=True)
    text: str = Field(max_length=20000)
    written_at: datetime = utc_column()
    version: int = 1


class CalendarFeedRow(SQLModel, table=True):
    """A person's secret iCalendar feed URL; only the SHA-256 of the secret is stored."""

    __tablename__ = "calendar_feeds"

    id: UUID = Field(primary_key=True)
    person_id: UUID = fk("people.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = utc_column()
    revoked_at: datetime | None = utc_column(nullable=True)
