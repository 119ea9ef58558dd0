"""A person's voluntary enrolment in a program."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from app.domain import enrollments as domain
from app.graphql.context import Info
from app.graphql.enums import EnrollmentStatus, MeetingMode, RolePreference
from app.graphql.resolve import people_of
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person, Skill

if TYPE_CHECKING:
    from app.graphql.types.programs import Program

ProgramType = Annotated["Program", strawberry.lazy("app.graphql.types.programs")]


@strawberry.type(description="A person's enrolment in a program: always their own, voluntary choice.")
class Enrollment:
    id: UUID
    program_id: UUID
    person_id: UUID
    status: EnrollmentStatus
    role_preference: RolePreference
    motivation: str
    skills_offered: list[UUID]
    skills_wanted: list[UUID]
    interests: list[str]
    meeting_modes: list[MeetingMode]
    availability: list[str] = strawberry.field(description="Slots such as `tue-pm`.")
    approved_at: datetime | None
    training_completed_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    created_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return (await people_of(info, [self.person_id]))[0]

    @strawberry.field
    async def program(self, info: Info) -> ProgramType | None:
        from app.graphql.types.programs import Program

        found = await info.context.loaders.program.load(self.program_id)
        return None if found is None else Program.of(found)

    @strawberry.field(description="The skills offered, from the catalogue.")
    async def offered_skills(self, info: Info) -> list[Skill]:
        found = await info.context.loaders.skill.load_many(self.skills_offered)
        return [Skill.of(s) for s in found if s is not None]

    @strawberry.field(description="The skills wanted, from the catalogue.")
    async def wanted_skills(self, info: Info) -> list[Skill]:
        found = await info.context.loaders.skill.load_many(self.skills_wanted)
        return [Skill.of(s) for s in found if s is not None]

    @classmethod
    def of(cls, enrollment: domain.Enrollment) -> Enrollment:
        profile = enrollment.profile
        return build(
            cls,
            enrollment,
            status=enum(EnrollmentStatus, enrollment.status),
            role_preference=enum(RolePreference, profile.role_preference),
            motivation=profile.motivation,
            skills_offered=list(profile.skills_offered),
            skills_wanted=list(profile.skills_wanted),
            interests=list(profile.interests),
            meeting_modes=[enum(MeetingMode, m) for m in profile.meeting_modes],
            availability=list(profile.availability),
        )
