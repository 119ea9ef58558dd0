from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StrictBool

from app.api.bounds import within
from app.api.schemas.base import Input, Output, PatchInput, TurnPolicyText, person_ids
from app.api.schemas.enums import DepartmentPreference
from app.domain.checkins import (
    CHECKIN_AFTER_MEETING,
    CHECKIN_EVERY_DAYS,
    DEFAULT_AFTER_MEETING,
    DEFAULT_EVERY_DAYS,
)
from app.domain.programs import (
    CADENCE_DAYS,
    OBJECTIVE_TARGET,
    PILOT_CAPACITY,
    RELATIONSHIPS_PER_PERSON,
    FocusArea,
    Program,
    ProgramKind,
    ProgramStatus,
)
from app.domain.proposals import CommitteeReview, ProposalComment, ReviewVerdict

Cadence = Annotated[int, within(CADENCE_DAYS)]
CheckinAfter = Annotated[int, within(CHECKIN_AFTER_MEETING)]
CheckinEvery = Annotated[int, within(CHECKIN_EVERY_DAYS)]
PilotCapacity = Annotated[int, within(PILOT_CAPACITY)]
RelationshipsPerPerson = Annotated[int, within(RELATIONSHIPS_PER_PERSON)]

Weight = Annotated[float, Field(ge=0, le=100)]


class MatchingWeights(Input):
    """How much each factor may add to a pair's score (0 switches a factor off)."""

    skills: Weight = 3.0
    interests: Weight = 1.0
    department: Weight = 1.0
    location: Weight = 0.5
    seniority_gap: Weight = 1.0
    meeting_modes: Weight = 0.5
    availability: Weight = 1.0
    diversity: Weight = Field(default=0.0, description="Uses self-identified attributes, only of people who consented.")


class MatchingRules(Input):
    """How this program matches people; hard constraints are never traded against scores."""

    weights: MatchingWeights = Field(default_factory=MatchingWeights)
    department_preference: DepartmentPreference = "cross"
    reporting_line_depth: Annotated[int, Field(ge=1, le=10)] = 2
    exclude_same_manager_peers: StrictBool = False
    min_seniority_gap: Annotated[
        int, Field(ge=0, le=50, description="Reverse programs: mentor's grade + gap ≤ mentee's.")
    ] = 1


class ObjectiveIn(Input):
    id: UUID | None = Field(default=None, description="Keep an existing objective's id when editing.")
    metric: Annotated[
        str, Field(min_length=1, max_length=300, examples=["seniors reporting better social-media skills"])
    ]
    target: Annotated[float, within(OBJECTIVE_TARGET), Field(examples=[70])]
    unit: Annotated[str, Field(min_length=1, max_length=40, examples=["percent"])]
    description: Annotated[str | None, Field(default=None, max_length=2000)] = None


class ObjectiveOut(Output):
    id: UUID
    metric: str
    target: float
    unit: str
    description: str | None


class _ProgramFields(Input):
    description: Annotated[str, Field(max_length=10000)] = ""
    focus_areas: Annotated[list[FocusArea], Field(max_length=10)] = Field(default_factory=list)
    objectives: Annotated[list[ObjectiveIn], Field(max_length=20)] = Field(default_factory=list)
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: Annotated[Cadence, Field(description="Days between meetings.")] = 14
    checkin_after_meeting: Annotated[
        CheckinAfter, Field(description="Members check in after the pair's meeting N (then every D days).")
    ] = DEFAULT_AFTER_MEETING
    checkin_every_days: Annotated[CheckinEvery, Field(description="Days between check-ins (D).")] = DEFAULT_EVERY_DAYS
    role_turn_policy: TurnPolicyText | None = None
    training_required: StrictBool = False
    matching_rules: MatchingRules = Field(default_factory=MatchingRules)
    pilot_capacity: Annotated[PilotCapacity | None, Field(default=None)] = None
    max_relationships_per_person: RelationshipsPerPerson = 1
    guidelines: Annotated[str, Field(max_length=20000)] = ""
    incentives: Annotated[list[Annotated[str, Field(max_length=300)]], Field(max_length=20)] = Field(
        default_factory=list
    )
    coordinator_ids: Annotated[list[UUID], person_ids(20, "The program's coordinators; empty: the proposer.")] = Field(
        default_factory=list
    )
    committee_member_ids: Annotated[list[UUID], person_ids(50, "The advisory committee.")] = Field(default_factory=list)


class ProgramCreate(_ProgramFields):
    kind: ProgramKind
    name: Annotated[str, Field(min_length=1, max_length=200)]

    model_config = Input.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "reciprocal",
                    "name": "Generations Exchange 2027",
                    "description": "Early-career colleagues and senior leaders take turns mentoring each other.",
                    "focus_areas": ["technology", "intergenerational_understanding"],
                    "objectives": [
                        {"metric": "seniors reporting better social-media skills", "target": 70, "unit": "percent"}
                    ],
                    "cycle_start": "2027-01-11",
                    "cycle_end": "2027-06-30",
                    "cadence_days": 14,
                    "role_turn_policy": "alternate(1)",
                    "pilot_capacity": 40,
                }
            ]
        }
    }


class ProgramUpdate(PatchInput):
    """Only the fields sent change; lists replace the whole list; ``null`` clears dates and capacity."""

    NULLABLE = frozenset({"cycle_start", "cycle_end", "pilot_capacity"})

    name: Annotated[str | None, Field(default=None, min_length=1, max_length=200)] = None
    description: Annotated[str | None, Field(default=None, max_length=10000)] = None
    focus_areas: Annotated[list[FocusArea] | None, Field(default=None, max_length=10)] = None
    objectives: Annotated[list[ObjectiveIn] | None, Field(default=None, max_length=20)] = None
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: Annotated[Cadence | None, Field(default=None)] = None
    checkin_after_meeting: Annotated[CheckinAfter | None, Field(default=None)] = None
    checkin_every_days: Annotated[CheckinEvery | None, Field(default=None)] = None
    role_turn_policy: TurnPolicyText | None = None
    training_required: StrictBool | None = None
    matching_rules: MatchingRules | None = None
    pilot_capacity: Annotated[PilotCapacity | None, Field(default=None)] = None
    max_relationships_per_person: Annotated[RelationshipsPerPerson | None, Field(default=None)] = None
    guidelines: Annotated[str | None, Field(default=None, max_length=20000)] = None
    incentives: Annotated[list[Annotated[str, Field(max_length=300)]] | None, Field(default=None, max_length=20)] = None
    coordinator_ids: Annotated[list[UUID] | None, person_ids(20)] = None
    committee_member_ids: Annotated[list[UUID] | None, person_ids(50)] = None


class TransitionIn(Input):
    to: ProgramStatus = Field(examples=["enrolling"])


class ProgramOut(Output):
    id: UUID
    kind: ProgramKind
    name: str
    description: str
    status: ProgramStatus
    focus_areas: list[FocusArea]
    objectives: list[ObjectiveOut]
    cycle_start: date | None
    cycle_end: date | None
    cadence_days: int
    checkin_after_meeting: int
    checkin_every_days: int
    role_turn_policy: str
    training_required: bool
    matching_rules: MatchingRules
    pilot_capacity: int | None
    max_relationships_per_person: int
    guidelines: str
    incentives: list[str]
    coordinator_ids: list[UUID]
    committee_member_ids: list[UUID]
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, program: Program) -> ProgramOut:
        data = {
            name: getattr(program, name) for name in cls.model_fields if name not in {"objectives", "matching_rules"}
        }
        data["objectives"] = [ObjectiveOut.model_validate(o) for o in program.objectives]
        data["matching_rules"] = MatchingRules.model_validate(program.matching_rules)
        return cls(**data)


class ProgramList(Output):
    items: list[ProgramOut]
    next_cursor: str | None


class CommentIn(Input):
    body: Annotated[str, Field(min_length=1, max_length=5000, examples=["Could the pilot include night-shift staff?"])]


class CommentOut(Output):
    id: UUID
    program_id: UUID
    author_id: UUID
    body: str
    created_at: datetime

    @classmethod
    def of(cls, comment: ProposalComment) -> CommentOut:
        return cls.model_validate(comment)


class CommentList(Output):
    items: list[CommentOut]
    next_cursor: str | None


class ReviewIn(Input):
    verdict: ReviewVerdict
    body: Annotated[str, Field(max_length=5000)] = ""


class ReviewOut(Output):
    id: UUID
    program_id: UUID
    reviewer_id: UUID
    verdict: ReviewVerdict
    body: str
    created_at: datetime

    @classmethod
    def of(cls, review: CommitteeReview) -> ReviewOut:
        return cls.model_validate(review)


class ReviewList(Output):
    items: list[ReviewOut]
    next_cursor: str | None


class InvitationIn(Input):
    person_id: UUID
    message: Annotated[str, Field(max_length=2000)] = ""


class InvitationOut(Output):
    id: UUID
    program_id: UUID
    person_id: UUID
    invited_by: UUID | None
    message: str
    created_at: datetime


class InvitationList(Output):
    items: list[InvitationOut]
    next_cursor: str | None
