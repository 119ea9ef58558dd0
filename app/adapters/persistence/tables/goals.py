"""Learning goals of a relationship and their progress updates."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, utc_column


class LearningGoalRow(SQLModel, table=True):
    __tablename__ = "learning_goals"

    id: UUID = Field(primary_key=True)
    relationship_id: UUID = fk("relationships.id", ondelete="CASCADE")
    program_id: UUID = fk("programs.id", index=False, ondelete="CASCADE")
    owner_id: UUID = fk("people.id", index=False)
    partner_id: UUID = fk("people.id", index=False)
    title: str = Field(max_length=300)
    success_criteria: str = Field(default="", max_length=5000)
    target_date: date | None = None
    # removing an objective from its program unlinks the goals that named it
    objective_id: UUID | None = fk("program_objectives.id", nullable=True, ondelete="SET NULL")
    status: str = Field(max_length=20)
    created_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)
    version: int = 1


class GoalProgressRow(SQLModel, table=True):
    """One progress update, in the order they were logged."""

    __tablename__ = "goal_progress"

    goal_id: UUID = Field(foreign_key="learning_goals.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    at: datetime = utc_column()
    author_id: UUID = fk("people.id", index=False)
    note: str = Field(default="", max_length=5000)
    percent: int
