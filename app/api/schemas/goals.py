from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.bounds import within
from app.api.schemas.base import Input, Output, PatchInput
from app.api.schemas.enums import GoalStatus
from app.domain.goals import PROGRESS_PERCENT, LearningGoal


class GoalCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=300, examples=["Post weekly on the company network"])]
    success_criteria: Annotated[str, Field(max_length=5000, examples=["Four posts that get replies"])] = ""
    owner_id: UUID | None = Field(default=None, description="The learner (a member); default: you.")
    target_date: date | None = None
    objective_id: UUID | None = Field(default=None, description="One of the program's objectives.")


class GoalUpdate(PatchInput):
    title: Annotated[str | None, Field(default=None, min_length=1, max_length=300)] = None
    success_criteria: Annotated[str | None, Field(default=None, max_length=5000)] = None
    target_date: date | None = None


class ProgressIn(Input):
    note: Annotated[str, Field(max_length=5000)] = ""
    percent: Annotated[int, within(PROGRESS_PERCENT)]


class ProgressOut(Output):
    at: datetime
    author_id: UUID
    note: str
    percent: int


class GoalOut(Output):
    id: UUID
    relationship_id: UUID
    program_id: UUID
    owner_id: UUID = Field(description="The learner in this direction.")
    partner_id: UUID = Field(description="The accountability partner: the other member.")
    title: str
    success_criteria: str
    target_date: date | None
    objective_id: UUID | None
    status: GoalStatus
    latest_percent: int
    progress: list[ProgressOut]
    created_at: datetime
    closed_at: datetime | None
    version: int

    @classmethod
    def of(cls, goal: LearningGoal) -> GoalOut:
        return cls(
            **{name: getattr(goal, name) for name in cls.model_fields if name != "progress"},
            progress=[ProgressOut.model_validate(p) for p in goal.progress],
        )


class GoalList(Output):
    items: list[GoalOut]
    next_cursor: str | None
