"""Relationships, their swap requests, and the pairs that must never be proposed again."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column
from app.adapters.persistence.types import JSONValue


class RelationshipRow(SQLModel, table=True):
    """A pair; small value lists (acceptances, pauses, policy periods, a pending proposal) are JSON."""

    __tablename__ = "relationships"
    __table_args__ = (Index("ix_relationships_program_status", "program_id", "status"),)

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", index=False, ondelete="CASCADE")
    member_a_id: UUID = fk("people.id")
    member_b_id: UUID = fk("people.id")
    designated_mentor_id: UUID
    senior_member_id: UUID
    source: str = Field(max_length=20)
    status: str = Field(max_length=20)
    end_reason: str | None = Field(default=None, max_length=30)
    program_policy: str = Field(max_length=60)
    agreement: dict[str, Any] = json_column(dict)
    acceptances: dict[str, Any] = json_column(dict)  # person id → accepted at
    pauses: list[Any] = json_column()  # [{started_at, ended_at}]
    policy_overrides: list[Any] = json_column()  # [{policy, from_turn}]
    policy_proposal: dict[str, Any] | None = Field(default=None, sa_type=JSONValue, nullable=True)
    ready_at_turn: int | None = None
    score: float | None = None
    explanation: str = Field(default="", max_length=4000)
    health_status: str = Field(default="not_judged", max_length=20)
    proposed_at: datetime = utc_column()
    activated_at: datetime | None = utc_column(nullable=True)
    closed_at: datetime | None = utc_column(nullable=True)
    version: int = 1


class TurnSwapRow(SQLModel, table=True):
    """A member's request to swap roles for the next turn, and the partner's answer."""

    __tablename__ = "turn_swaps"

    id: UUID = Field(primary_key=True)
    relationship_id: UUID = fk("relationships.id", ondelete="CASCADE")
    requested_by: UUID = fk("people.id", index=False)
    requested_at: datetime = utc_column()
    status: str = Field(max_length=20)
    turn_index: int | None = None
    decided_at: datetime | None = utc_column(nullable=True)


class PairExclusionRow(SQLModel, table=True):
    """A pair declined or rematched: never proposed again in the program (ids ordered low, high)."""

    __tablename__ = "pair_exclusions"
    __table_args__ = (UniqueConstraint("program_id", "person_low_id", "person_high_id"),)

    id: UUID = Field(primary_key=True)
    program_id: UUID = fk("programs.id", index=False, ondelete="CASCADE")
    person_low_id: UUID = fk("people.id", index=False)
    person_high_id: UUID = fk("people.id", index=False)
    relationship_id: UUID | None = fk("relationships.id", nullable=True, index=False, ondelete="SET NULL")
    reason: str = Field(max_length=20)
    created_at: datetime = utc_column()
