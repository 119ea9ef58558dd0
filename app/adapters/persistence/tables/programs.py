"""Programs, their staff, objectives and the draft-proposal discussion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column


class ProgramRow(SQLModel, table=True):
    __tablename__ = "programs"

    id: UUID = Field(primary_key=True)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=10000)
    status: str = Field(max_length=20, index=True)
    focus_areas: list[str] = json_column()
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: int = 14
    checkin_after_meeting: int = 3
    checkin_every_days: int = 60
    role_turn_policy: str = Field(max_length=60)
    training_required: bool = False
    matching_rules: dict[str, Any] = json_column(dict)
    pilot_capacity: int | None = None
    max_relationships_per_person: int = 1
    guidelines: str = Field(default="", max_length=20000)
    incentives: list[str] = json_column()
    created_by: UUID | None = fk("people.id", nullable=True, index=False, ondelete="SET NULL")
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    version: int = 1


class ProgramStaffRow(SQLModel, table=True):
    """Coordinators and advisory committee members of a program."""

    __tablename__ = "program_staff"

    program_id: UUID = Field(foreign_key="programs.id", primary_key=True, ondelete="CASCADE")
    person_id: UUID = Field(foreign_key="people.id", primary_key=True, index=True)
    role: str = Field(primary_key=True, max_length=20)  # coordinator | committee
    position: int = 0


class ObjectiveRow(SQLModel, table=True):
    __tablename__ = "program_objectives"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    metric: str = Field(max_length=300)
    target: float
    unit: str = Field(max_length=40)
    description: str | None = Field(default=None, max_length=2000)
    position: int = 0


class ProposalCommentRow(SQLModel, table=True):
    __tablename__ = "proposal_comments"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    author_id: UUID = fk("people.id", index=False)
    body: str = Field(max_length=5000)
    created_at: datetime = utc_column()


class CommitteeReviewRow(SQLModel, table=True):
    __tablename__ = "committee_reviews"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    reviewer_id: UUID = fk("people.id", index=False)
    verdict: str = Field(max_length=30)
    body: str = Field(default="", max_length=5000)
    created_at: datetime = utc_column()


class InvitationRow(SQLModel, table=True):
    __tablename__ = "invitations"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    person_id: UUID = fk("people.id")
    invited_by: UUID | None = fk("people.id", nullable=True, index=False, ondelete="SET NULL")
    message: str = Field(default="", max_length=2000)
    created_at: datetime = utc_column()
