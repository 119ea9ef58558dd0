from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output, PatchInput
from app.domain.enrollments import Enrollment, EnrollmentStatus, MeetingMode, Profile, RolePreference

Interest = Annotated[str, Field(min_length=1, max_length=80)]
Slot = Annotated[str, Field(pattern=r"^(mon|tue|wed|thu|fri|sat|sun)-(am|pm)$", examples=["tue-pm"])]


class EnrollmentCreate(Input):
    person_id: UUID | None = Field(
        default=None, description="Must be yourself if given: enrolment is voluntary, nobody enrols someone else."
    )
    role_preference: RolePreference = Field(description="Reverse programs: mentor or mentee. Reciprocal: both.")
    motivation: Annotated[str, Field(max_length=5000)] = ""
    skills_offered: Annotated[list[UUID], Field(max_length=50)] = Field(default_factory=list)
    skills_wanted: Annotated[list[UUID], Field(max_length=50)] = Field(default_factory=list)
    interests: Annotated[list[Interest], Field(max_length=50)] = Field(default_factory=list)
    meeting_modes: Annotated[list[MeetingMode], Field(max_length=4)] = Field(default_factory=list)
    availability: Annotated[list[Slot], Field(max_length=14)] = Field(default_factory=list)

    def profile(self) -> Profile:
        return Profile(**self.model_dump(exclude={"person_id"}))

    model_config = Input.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "role_preference": "both",
                    "motivation": "I want to understand how younger colleagues use social media.",
                    "interests": ["photography", "cycling"],
                    "meeting_modes": ["video", "in_person"],
                    "availability": ["tue-pm", "thu-am"],
                }
            ]
        }
    }


class EnrollmentUpdate(PatchInput):
    role_preference: RolePreference | None = None
    motivation: Annotated[str | None, Field(default=None, max_length=5000)] = None
    skills_offered: Annotated[list[UUID] | None, Field(default=None, max_length=50)] = None
    skills_wanted: Annotated[list[UUID] | None, Field(default=None, max_length=50)] = None
    interests: Annotated[list[Interest] | None, Field(default=None, max_length=50)] = None
    meeting_modes: Annotated[list[MeetingMode] | None, Field(default=None, max_length=4)] = None
    availability: Annotated[list[Slot] | None, Field(default=None, max_length=14)] = None


class WithdrawIn(Input):
    reason: Annotated[str | None, Field(default=None, max_length=2000)] = None


class EnrollmentOut(Output):
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
    availability: list[str]
    approved_at: datetime | None
    training_completed_at: datetime | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, enrollment: Enrollment) -> EnrollmentOut:
        profile = vars(enrollment.profile)
        data = {name: getattr(enrollment, name) for name in cls.model_fields if name not in profile}
        return cls(**data, **profile)


class EnrollmentList(Output):
    items: list[EnrollmentOut]
    next_cursor: str | None
