"""Feedback: check-ins, anonymous surveys (ledger, ballot box, responses apart) and concerns.

The survey tables are laid out so that no row of one can be joined to a row of another by anything
but the survey: the ledger holds (survey, person) and nothing else — no time, no order of its own
(its key is the pair); ballots and responses hold no person and no time finer than a day, and their
keys are random UUIDs (version 4), so neither key order nor, on SQLite, a hidden rowid (the tables are
``WITHOUT ROWID``) follows the order of submission. See ``docs/surveys.md``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column

_NO_ROWID: dict[str, Any] = {"sqlite_with_rowid": False}


class CheckinRow(SQLModel, table=True):
    __tablename__ = "checkins"

    id: UUID = Field(primary_key=True)
    relationship_id: UUID = fk("relationships.id", ondelete="CASCADE")
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    person_id: UUID = fk("people.id")
    status: str = Field(max_length=20)
    due_at: datetime | None = utc_column(nullable=True)
    rating: int | None = None
    going_well: str = Field(default="", max_length=5000)
    not_going_well: str = Field(default="", max_length=5000)
    submitted_at: datetime | None = utc_column(nullable=True)
    version: int = 1


class SurveyRow(SQLModel, table=True):
    __tablename__ = "surveys"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    title: str = Field(max_length=300)
    questions: list[dict[str, Any]] = json_column()
    status: str = Field(max_length=20)
    k: int = 5
    opens_at: datetime | None = utc_column(nullable=True)
    closes_at: datetime | None = utc_column(nullable=True)
    opened_at: datetime | None = utc_column(nullable=True)
    closed_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()
    version: int = 1


class SurveyLedgerRow(SQLModel, table=True):
    """*That* a person responded — to refuse a second response — and nothing else."""

    __tablename__ = "survey_ledger"
    __table_args__ = _NO_ROWID

    survey_id: UUID = Field(foreign_key="surveys.id", primary_key=True, ondelete="CASCADE")
    person_id: UUID = Field(foreign_key="people.id", primary_key=True)


class SurveyBallotRow(SQLModel, table=True):
    """A response waiting in the ballot box until a batch of at least k is mixed into responses."""

    __tablename__ = "survey_ballots"
    __table_args__ = _NO_ROWID

    id: UUID = Field(primary_key=True)
    survey_id: UUID = fk("surveys.id", ondelete="CASCADE")
    answers: dict[str, Any] = json_column(dict)
    groups: dict[str, Any] = json_column(dict)


class SurveyResponseRow(SQLModel, table=True):
    """A mixed response: random id, the day it was mixed, the answers and coarse groups."""

    __tablename__ = "survey_responses"
    __table_args__ = _NO_ROWID

    id: UUID = Field(primary_key=True)
    survey_id: UUID = fk("surveys.id", ondelete="CASCADE")
    day: date
    answers: dict[str, Any] = json_column(dict)
    groups: dict[str, Any] = json_column(dict)


class ConcernRow(SQLModel, table=True):
    __tablename__ = "concerns"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    relationship_id: UUID | None = fk("relationships.id", nullable=True, ondelete="CASCADE")
    raised_by: UUID = fk("people.id")
    kind: str = Field(max_length=20)
    text: str = Field(default="", max_length=10000)
    rematch_requested: bool = False
    status: str = Field(max_length=20)
    outcome: str | None = Field(default=None, max_length=30)
    coordinator_note: str = Field(default="", max_length=10000)
    raised_at: datetime = utc_column()
    resolved_at: datetime | None = utc_column(nullable=True)
    resolved_by: UUID | None = fk("people.id", nullable=True, index=False)
    version: int = 1


class StoryRow(SQLModel, table=True):
    __tablename__ = "stories"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    author_id: UUID = fk("people.id")
    relationship_id: UUID | None = fk("relationships.id", nullable=True, index=False, ondelete="CASCADE")
    partner_id: UUID | None = fk("people.id", nullable=True, index=False)
    title: str = Field(max_length=300)
    text: str = Field(max_length=20000)
    status: str = Field(max_length=20, index=True)
    created_at: datetime = utc_column()
    published_at: datetime | None = utc_column(nullable=True)
    version: int = 1


class RecognitionRow(SQLModel, table=True):
    __tablename__ = "recognitions"

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", ondelete="CASCADE")
    person_id: UUID = fk("people.id")
    relationship_id: UUID = fk("relationships.id", index=False, ondelete="CASCADE")
    incentive: str = Field(max_length=300)
    source: str = Field(max_length=20)
    granted_at: datetime = utc_column()
    granted_by: UUID | None = fk("people.id", nullable=True, index=False)
    note: str = Field(default="", max_length=2000)
    version: int = 1
