"""Meetings (with their resources and each member's private reflection) and learning goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.types.unset import UNSET

from app.domain.goals import LearningGoal
from app.domain.meetings import Meeting as DomainMeeting
from app.domain.meetings import Reflection as DomainReflection
from app.graphql.checks import Checks, camel, given
from app.graphql.context import Info, P, UseCase
from app.graphql.described import rules_of
from app.graphql.enums import MeetingMode, ResourceKind
from app.graphql.resolve import domain_value
from app.graphql.results import GoalResult, MeetingResult, ReflectionResult, mutate
from app.graphql.types.goals import Goal
from app.graphql.types.meetings import Meeting, Reflection
from app.services import goals
from app.services import meetings as service


@strawberry.input
class MeetingInput:
    starts_at: datetime = strawberry.field(description="With a timezone offset; may be in the past to record one.")
    duration_minutes: int = strawberry.field(default=60, description="Length in minutes (5–480).")
    mode: MeetingMode = MeetingMode.VIDEO
    agenda: str = ""

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "starts_at": checks.aware("startsAt", self.starts_at),
            "duration_minutes": checks.number("durationMinutes", self.duration_minutes, low=5, high=480),
            "mode": domain_value(self.mode),
            "agenda": checks.text("agenda", self.agenda, max_length=10000),
        }
        checks.done()
        return values


@strawberry.input(description="Only the fields sent change.")
class MeetingUpdateInput:
    agenda: str | None = UNSET
    shared_notes: str | None = strawberry.field(default=UNSET, description="Both members read and write them.")
    starts_at: datetime | None = strawberry.field(default=UNSET, description="Move a scheduled meeting.")
    duration_minutes: int | None = UNSET

    def changes(self) -> dict[str, Any]:
        checks = Checks()
        for name in ("agenda", "shared_notes", "starts_at", "duration_minutes"):
            if given(getattr(self, name)):
                checks.not_null(camel(name), getattr(self, name))
        values: dict[str, Any] = {}
        if isinstance(self.agenda, str):
            values["agenda"] = checks.text("agenda", self.agenda, max_length=10000)
        if isinstance(self.shared_notes, str):
            values["shared_notes"] = checks.text("sharedNotes", self.shared_notes, max_length=50000)
        if isinstance(self.starts_at, datetime):
            values["starts_at"] = checks.aware("startsAt", self.starts_at)
        if isinstance(self.duration_minutes, int):
            values["duration_minutes"] = checks.number("durationMinutes", self.duration_minutes, low=5, high=480)
        checks.done()
        return values


@strawberry.input(description="A link to an expert or to material.")
class ResourceInput:
    title: str
    url: str
    kind: ResourceKind = strawberry.field(description="EXPERT (a person to talk to) or MATERIAL.")

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "title": checks.text("title", self.title, min_length=1, max_length=300),
            "url": checks.text("url", self.url, min_length=1, max_length=2000),
            "kind": domain_value(self.kind),
        }
        checks.done()
        return values


@strawberry.input
class GoalInput:
    title: str
    success_criteria: str = ""
    owner_id: UUID | None = strawberry.field(default=None, description="The learner (a member); default: you.")
    target_date: date | None = None
    objective_id: UUID | None = strawberry.field(default=None, description="One of the program's objectives.")

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "title": checks.text("title", self.title, min_length=1, max_length=300),
            "success_criteria": checks.text("successCriteria", self.success_criteria, max_length=5000),
            "owner_id": self.owner_id,
            "target_date": self.target_date,
            "objective_id": self.objective_id,
        }
        checks.done()
        return values


@strawberry.input(description="Only the fields sent change.")
class GoalUpdateInput:
    title: str | None = UNSET
    success_criteria: str | None = UNSET
    target_date: date | None = UNSET

    def changes(self) -> dict[str, Any]:
        checks = Checks()
        for name in ("title", "success_criteria", "target_date"):
            if given(getattr(self, name)):
                checks.not_null(camel(name), getattr(self, name))
        values: dict[str, Any] = {}
        if isinstance(self.title, str):
            values["title"] = checks.text("title", self.title, min_length=1, max_length=300)
        if isinstance(self.success_criteria, str):
            values["success_criteria"] = checks.text("successCriteria", self.success_criteria, max_length=5000)
        if isinstance(self.target_date, date):
            values["target_date"] = self.target_date
        checks.done()
        return values


async def _meeting(info: Info, use_case: UseCase[P, DomainMeeting], *args: P.args, **kwargs: P.kwargs) -> MeetingResult:
    return await mutate(info, lambda: info.context.run(use_case, *args, **kwargs), Meeting.of)


async def _goal(info: Info, use_case: UseCase[P, LearningGoal], *args: P.args, **kwargs: P.kwargs) -> GoalResult:
    return await mutate(info, lambda: info.context.run(use_case, *args, **kwargs), Goal.of)


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(description=rules_of(service.schedule))
    async def schedule_meeting(self, info: Info, relationship_id: UUID, input: MeetingInput) -> MeetingResult:
        return await mutate(
            info,
            lambda: info.context.run(service.schedule, relationship_id=relationship_id, **input.fields()),
            Meeting.of,
        )

    @strawberry.mutation(description=rules_of(service.update_meeting))
    async def update_meeting(
        self, info: Info, id: UUID, input: MeetingUpdateInput, expected_version: int | None = None
    ) -> MeetingResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.update_meeting, meeting_id=id, expected_version=expected_version, **input.changes()
            ),
            Meeting.of,
        )

    @strawberry.mutation(description=rules_of(service.cancel))
    async def cancel_meeting(self, info: Info, id: UUID, expected_version: int | None = None) -> MeetingResult:
        return await _meeting(info, service.cancel, meeting_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.mark_held))
    async def mark_meeting_held(
        self,
        info: Info,
        id: UUID,
        led_by: Annotated[
            UUID | None,
            strawberry.argument(
                description="Who actually led (default: the planned leader); the other member is drift."
            ),
        ] = None,
        expected_version: int | None = None,
    ) -> MeetingResult:
        return await _meeting(info, service.mark_held, meeting_id=id, led_by=led_by, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.mark_missed))
    async def mark_meeting_missed(self, info: Info, id: UUID, expected_version: int | None = None) -> MeetingResult:
        return await _meeting(info, service.mark_missed, meeting_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.add_resource))
    async def add_meeting_resource(
        self, info: Info, meeting_id: UUID, input: ResourceInput, expected_version: int | None = None
    ) -> MeetingResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.add_resource, meeting_id=meeting_id, expected_version=expected_version, **input.fields()
            ),
            Meeting.of,
        )

    @strawberry.mutation(description=rules_of(service.put_reflection))
    async def write_reflection(
        self, info: Info, meeting_id: UUID, text: str, expected_version: int | None = None
    ) -> ReflectionResult:
        async def act() -> DomainReflection:
            checks = Checks("")
            written = checks.text("text", text, min_length=1, max_length=20000)
            checks.done()
            return await info.context.run(
                service.put_reflection, meeting_id=meeting_id, text=written, expected_version=expected_version
            )

        return await mutate(info, act, lambda r: Reflection.of(meeting_id, r))

    @strawberry.mutation(description=rules_of(goals.create_goal))
    async def create_goal(self, info: Info, relationship_id: UUID, input: GoalInput) -> GoalResult:
        return await mutate(
            info,
            lambda: info.context.run(goals.create_goal, relationship_id=relationship_id, **input.fields()),
            Goal.of,
        )

    @strawberry.mutation(description=rules_of(goals.revise_goal))
    async def revise_goal(
        self, info: Info, id: UUID, input: GoalUpdateInput, expected_version: int | None = None
    ) -> GoalResult:
        return await mutate(
            info,
            lambda: info.context.run(
                goals.revise_goal, goal_id=id, expected_version=expected_version, **input.changes()
            ),
            Goal.of,
        )

    @strawberry.mutation(description=rules_of(goals.record_progress))
    async def record_goal_progress(
        self,
        info: Info,
        id: UUID,
        percent: int,
        note: str = "",
        expected_version: int | None = None,
    ) -> GoalResult:
        async def act() -> LearningGoal:
            checks = Checks("")
            written = checks.text("note", note, max_length=5000)
            checks.number("percent", percent, low=0, high=100)
            checks.done()
            return await info.context.run(
                goals.record_progress, goal_id=id, note=written, percent=percent, expected_version=expected_version
            )

        return await mutate(info, act, Goal.of)

    @strawberry.mutation(description=rules_of(goals.start_goal))
    async def start_goal(self, info: Info, id: UUID, expected_version: int | None = None) -> GoalResult:
        return await _goal(info, goals.start_goal, goal_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(goals.achieve_goal))
    async def achieve_goal(self, info: Info, id: UUID, expected_version: int | None = None) -> GoalResult:
        return await _goal(info, goals.achieve_goal, goal_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(goals.drop_goal))
    async def drop_goal(self, info: Info, id: UUID, expected_version: int | None = None) -> GoalResult:
        return await _goal(info, goals.drop_goal, goal_id=id, expected_version=expected_version)
