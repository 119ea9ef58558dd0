"""Voluntary enrolment, approval, training and withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types.unset import UNSET

from app.domain import enrollments as domain
from app.graphql.checks import SLOT, Checks, camel, given
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import MeetingMode, RolePreference
from app.graphql.results import EnrollmentResult, mutate
from app.graphql.types.enrollments import Enrollment
from app.services import enrollments as service


def _profile_fields(checks: Checks, source: Any) -> dict[str, Any]:
    """The profile fields present in ``source``, checked with REST's bounds, as domain values."""
    rules: dict[str, Callable[[Any], Any]] = {
        "role_preference": lambda v: domain.RolePreference(v.value),
        "motivation": lambda v: checks.text("motivation", v, max_length=5000),
        "skills_offered": lambda v: checks.items("skillsOffered", v, max_items=50),
        "skills_wanted": lambda v: checks.items("skillsWanted", v, max_items=50),
        "interests": lambda v: checks.texts("interests", v, max_items=50, max_length=80, min_length=1),
        "meeting_modes": lambda v: [domain.MeetingMode(m.value) for m in checks.items("meetingModes", v, max_items=4)],
        "availability": lambda v: [
            checks.pattern(f"availability[{i}]", slot, SLOT, max_length=6, hint="a slot such as `tue-pm`")
            for i, slot in enumerate(checks.items("availability", v, max_items=14))
        ],
    }
    values: dict[str, Any] = {}
    for name, rule in rules.items():
        value = getattr(source, name)
        if given(value):
            if value is None:
                checks.not_null(camel(name), value)
            else:
                values[name] = rule(value)
    return values


@strawberry.input(description="Your application to a program.")
class EnrollmentInput:
    person_id: UUID | None = strawberry.field(
        default=None, description="Must be yourself if given: enrolment is voluntary, nobody enrols someone else."
    )
    role_preference: RolePreference = strawberry.field(
        description="Reverse programs: MENTOR or MENTEE. Reciprocal: BOTH."
    )
    motivation: str = ""
    skills_offered: list[UUID] = strawberry.field(default_factory=list)
    skills_wanted: list[UUID] = strawberry.field(default_factory=list)
    interests: list[str] = strawberry.field(default_factory=list)
    meeting_modes: list[MeetingMode] = strawberry.field(default_factory=list)
    availability: list[str] = strawberry.field(default_factory=list, description="Slots such as `tue-pm`.")

    def profile(self) -> domain.Profile:
        checks = Checks()
        values = _profile_fields(checks, self)
        checks.done()
        return domain.Profile(**values)


@strawberry.input(description="Only the fields sent change.")
class EnrollmentUpdateInput:
    role_preference: RolePreference | None = UNSET
    motivation: str | None = UNSET
    skills_offered: list[UUID] | None = UNSET
    skills_wanted: list[UUID] | None = UNSET
    interests: list[str] | None = UNSET
    meeting_modes: list[MeetingMode] | None = UNSET
    availability: list[str] | None = UNSET

    def changes(self) -> domain.ProfileChanges:
        checks = Checks()
        values = _profile_fields(checks, self)
        checks.done()
        return domain.ProfileChanges(**values)


@strawberry.type
class EnrollmentMutations:
    @strawberry.mutation(description=rules_of(service.enrol))
    async def enrol(self, info: Info, program_id: UUID, input: EnrollmentInput) -> EnrollmentResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.enrol, program_id=program_id, person_id=input.person_id, profile=input.profile()
            ),
            Enrollment.of,
        )

    @strawberry.mutation(description=rules_of(service.update_profile))
    async def update_enrollment(
        self,
        info: Info,
        program_id: UUID,
        enrollment_id: UUID,
        input: EnrollmentUpdateInput,
        expected_version: int | None = None,
    ) -> EnrollmentResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.update_profile,
                program_id=program_id,
                enrollment_id=enrollment_id,
                changes=input.changes(),
                expected_version=expected_version,
            ),
            Enrollment.of,
        )

    @strawberry.mutation(description=rules_of(service.approve))
    async def approve_enrollment(
        self, info: Info, program_id: UUID, enrollment_id: UUID, expected_version: int | None = None
    ) -> EnrollmentResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.approve, program_id=program_id, enrollment_id=enrollment_id, expected_version=expected_version
            ),
            Enrollment.of,
        )

    @strawberry.mutation(description=rules_of(service.record_training))
    async def record_training(
        self, info: Info, program_id: UUID, enrollment_id: UUID, expected_version: int | None = None
    ) -> EnrollmentResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.record_training,
                program_id=program_id,
                enrollment_id=enrollment_id,
                expected_version=expected_version,
            ),
            Enrollment.of,
        )

    @strawberry.mutation(description=rules_of(service.withdraw))
    async def withdraw_enrollment(
        self,
        info: Info,
        program_id: UUID,
        enrollment_id: UUID,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> EnrollmentResult:
        async def act() -> domain.Enrollment:
            checks = Checks("")
            why = checks.optional_text("reason", reason, max_length=2000)
            checks.done()
            return await info.context.run(
                service.withdraw,
                program_id=program_id,
                enrollment_id=enrollment_id,
                reason=why,
                expected_version=expected_version,
            )

        return await mutate(info, act, Enrollment.of)
