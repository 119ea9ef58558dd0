"""Learning goals inside a relationship, and their progress."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from app.domain import goals as domain
from app.graphql.context import Info
from app.graphql.enums import GoalStatus
from app.graphql.resolve import people_of
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person


@strawberry.type
class ProgressUpdate:
    at: datetime
    author_id: UUID
    note: str
    percent: int


@strawberry.type(description="A learning goal: its owner learns, the partner holds them to it.")
class Goal:
    id: UUID
    relationship_id: UUID
    program_id: UUID
    owner_id: UUID = strawberry.field(description="The learner in this direction.")
    partner_id: UUID = strawberry.field(description="The accountability partner: the other member.")
    title: str
    success_criteria: str
    target_date: date | None
    objective_id: UUID | None
    status: GoalStatus
    latest_percent: int
    progress: list[ProgressUpdate]
    created_at: datetime
    closed_at: datetime | None
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")

    @strawberry.field
    async def owner(self, info: Info) -> Person | None:
        return (await people_of(info, [self.owner_id]))[0]

    @classmethod
    def of(cls, goal: domain.LearningGoal) -> Goal:
        return build(
            cls, goal, status=enum(GoalStatus, goal.status), progress=[build(ProgressUpdate, p) for p in goal.progress]
        )
