"""Relationships and what happens in them: turns, meetings, reflections, goals."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import (
    HealthStatus,
    MeetingStatus,
    RelationshipStatus,
)
from app.graphql.resolve import domain_value, domain_values, one, query
from app.graphql.types.goals import Goal
from app.graphql.types.meetings import Meeting, Reflection
from app.graphql.types.relationships import Relationship
from app.graphql.types.turns import Turns
from app.services import (
    goals as goals_cases,
)
from app.services import (
    meetings as meetings_cases,
)
from app.services import (
    relationships as relationships_cases,
)
from app.services import (
    turns as turns_cases,
)


@strawberry.type
class MentoringQueries:
    @strawberry.field(description=rules_of(relationships_cases.get_relationship))
    async def relationship(self, info: Info, id: UUID) -> Relationship | None:
        found = await one(info, relationships_cases.get_relationship, relationship_id=id)
        return None if found is None else Relationship.of(found)

    @strawberry.field(description=rules_of(relationships_cases.list_relationships))
    async def relationships(
        self,
        info: Info,
        program_id: UUID | None = None,
        status: list[RelationshipStatus] | None = None,
        person_id: Annotated[UUID | None, strawberry.argument(description="Relationships this person is in.")] = None,
        health: Annotated[
            HealthStatus | None, strawberry.argument(description="e.g. AT_RISK: who needs help now.")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relationship]:
        page = await query(
            info,
            relationships_cases.list_relationships,
            program_id=program_id,
            statuses=domain_values(status),
            person_id=person_id,
            health=None if health is None else domain_value(health),
            page=page_request(first, after),
        )
        return Connection.of(page, Relationship.of, lambda v: v.relationship.id)

    @strawberry.field(description=rules_of(turns_cases.get_turns))
    async def turns(self, info: Info, relationship_id: UUID) -> Turns | None:
        found = await one(info, turns_cases.get_turns, relationship_id=relationship_id)
        return None if found is None else Turns.of(found)

    @strawberry.field(description=rules_of(meetings_cases.get_meeting))
    async def meeting(self, info: Info, id: UUID) -> Meeting | None:
        found = await one(info, meetings_cases.get_meeting, meeting_id=id)
        return None if found is None else Meeting.of(found)

    @strawberry.field(description=rules_of(meetings_cases.list_meetings))
    async def meetings(
        self,
        info: Info,
        relationship_id: UUID,
        status: list[MeetingStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Meeting]:
        page = await query(
            info,
            meetings_cases.list_meetings,
            relationship_id=relationship_id,
            statuses=domain_values(status),
            page=page_request(first, after),
        )
        return Connection.of(page, Meeting.of, lambda m: m.id)

    @strawberry.field(description=rules_of(meetings_cases.get_reflection))
    async def my_reflection(self, info: Info, meeting_id: UUID) -> Reflection | None:
        found = await one(info, meetings_cases.get_reflection, meeting_id=meeting_id)
        return None if found is None else Reflection.of(meeting_id, found)

    @strawberry.field(description=rules_of(goals_cases.get_goal))
    async def goal(self, info: Info, id: UUID) -> Goal | None:
        found = await one(info, goals_cases.get_goal, goal_id=id)
        return None if found is None else Goal.of(found)

    @strawberry.field(description=rules_of(goals_cases.list_goals))
    async def goals(
        self, info: Info, relationship_id: UUID, first: int | None = None, after: str | None = None
    ) -> Connection[Goal]:
        page = await query(
            info, goals_cases.list_goals, relationship_id=relationship_id, page=page_request(first, after)
        )
        return Connection.of(page, Goal.of, lambda g: g.id)
