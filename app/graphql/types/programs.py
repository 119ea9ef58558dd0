"""Programs, their objectives and matching rules, and the open discussion of a draft proposal."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from app.domain import programs as domain
from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.enums import (
    DepartmentPreference,
    EnrollmentStatus,
    FocusArea,
    HealthStatus,
    ProgramKind,
    ProgramStatus,
    RelationshipStatus,
    ReviewVerdict,
)
from app.graphql.resolve import domain_value, domain_values, people_of, query
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person
from app.services import enrollments as enrollment_service
from app.services import matching_run_reads as run_reads
from app.services import programs as service
from app.services import relationships as relationship_service

if TYPE_CHECKING:
    from app.graphql.types.enrollments import Enrollment
    from app.graphql.types.matching import MatchingRun
    from app.graphql.types.relationships import Relationship

EnrollmentType = Annotated["Enrollment", strawberry.lazy("app.graphql.types.enrollments")]
MatchingRunType = Annotated["MatchingRun", strawberry.lazy("app.graphql.types.matching")]
RelationshipType = Annotated["Relationship", strawberry.lazy("app.graphql.types.relationships")]


@strawberry.type(description="A measurable aim of the organisation, e.g. 70 % of seniors report better skills.")
class Objective:
    id: UUID
    metric: str
    target: float
    unit: str
    description: str | None


@strawberry.type(description="How much each factor may add to a pair's score (0 switches a factor off).")
class MatchingWeights:
    skills: float
    interests: float
    department: float
    location: float
    seniority_gap: float
    meeting_modes: float
    availability: float
    diversity: float = strawberry.field(description="Uses self-identified attributes, only with consent.")


@strawberry.type(description="How this program matches people; hard constraints are never traded against scores.")
class MatchingRules:
    weights: MatchingWeights
    department_preference: DepartmentPreference
    reporting_line_depth: int
    exclude_same_manager_peers: bool
    min_seniority_gap: int = strawberry.field(description="Reverse programs: mentor's grade + gap ≤ mentee's.")


@strawberry.type(description="An employee's comment on a draft proposal.")
class ProposalComment:
    id: UUID
    program_id: UUID
    author_id: UUID
    body: str
    created_at: datetime

    @strawberry.field
    async def author(self, info: Info) -> Person | None:
        return (await people_of(info, [self.author_id]))[0]


@strawberry.type(description="An advisory committee member's review of a draft proposal.")
class CommitteeReview:
    id: UUID
    program_id: UUID
    reviewer_id: UUID
    verdict: ReviewVerdict
    body: str
    created_at: datetime


@strawberry.type(description="A coordinator's invitation to enrol (enrolment itself stays voluntary).")
class Invitation:
    id: UUID
    program_id: UUID
    person_id: UUID
    invited_by: UUID | None
    message: str
    created_at: datetime


@strawberry.type(description="A reverse or reciprocal mentoring program.")
class Program:
    id: UUID
    kind: ProgramKind
    name: str
    description: str
    status: ProgramStatus
    focus_areas: list[FocusArea]
    objectives: list[Objective]
    cycle_start: date | None
    cycle_end: date | None
    cadence_days: int = strawberry.field(description="Days between meetings.")
    checkin_after_meeting: int = strawberry.field(description="Members check in after meeting N.")
    checkin_every_days: int = strawberry.field(description="Then every D days.")
    role_turn_policy: str = strawberry.field(
        description="`fixed`, `alternate(N)`, `senior_first(K)` or `primary_with_exchange`."
    )
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
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")

    @strawberry.field(description="The program's coordinators the caller may see.")
    async def coordinators(self, info: Info) -> list[Person]:
        return [p for p in await people_of(info, self.coordinator_ids) if p is not None]

    @strawberry.field(description="Comments on the proposal, oldest first.")
    async def comments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ProposalComment]:
        page = await query(info, service.list_comments, program_id=self.id, page=page_request(first, after))
        return Connection.of(page, lambda c: build(ProposalComment, c), lambda c: c.id)

    @strawberry.field(description="The committee's reviews: the program's staff and its committee.")
    async def reviews(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CommitteeReview]:
        page = await query(info, service.list_reviews, program_id=self.id, page=page_request(first, after))
        return Connection.of(
            page, lambda r: build(CommitteeReview, r, verdict=enum(ReviewVerdict, r.verdict)), lambda r: r.id
        )

    @strawberry.field(description="Invitations sent: the program's staff.")
    async def invitations(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Invitation]:
        page = await query(info, service.list_invitations, program_id=self.id, page=page_request(first, after))
        return Connection.of(page, lambda i: build(Invitation, i), lambda i: i.id)

    @strawberry.field(description="Enrollments: the program's staff.")
    async def enrollments(
        self,
        info: Info,
        status: list[EnrollmentStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[EnrollmentType]:
        from app.graphql.types.enrollments import Enrollment

        page = await query(
            info,
            enrollment_service.list_enrollments,
            program_id=self.id,
            statuses=domain_values(status),
            page=page_request(first, after),
        )
        return Connection.of(page, Enrollment.of, lambda e: e.id)

    @strawberry.field(description="Matching runs, oldest first: the program's staff.")
    async def matching_runs(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[MatchingRunType]:
        from app.graphql.types.matching import MatchingRun

        page = await query(info, run_reads.list_runs, program_id=self.id, page=page_request(first, after))
        return Connection.of(page, MatchingRun.of, lambda r: r.id)

    @strawberry.field(description="The program's relationships the caller may see, oldest first.")
    async def relationships(
        self,
        info: Info,
        status: list[RelationshipStatus] | None = None,
        health: HealthStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[RelationshipType]:
        from app.graphql.types.relationships import Relationship

        page = await query(
            info,
            relationship_service.list_relationships,
            program_id=self.id,
            statuses=domain_values(status),
            health=None if health is None else domain_value(health),
            page=page_request(first, after),
        )
        return Connection.of(page, Relationship.of, lambda v: v.relationship.id)

    @classmethod
    def of(cls, program: domain.Program) -> Program:
        rules = program.matching_settings()
        return build(
            cls,
            program,
            kind=enum(ProgramKind, program.kind),
            status=enum(ProgramStatus, program.status),
            focus_areas=[enum(FocusArea, f) for f in program.focus_areas],
            objectives=[build(Objective, o) for o in program.objectives],
            matching_rules=MatchingRules(
                weights=build(MatchingWeights, rules.weights),
                department_preference=enum(DepartmentPreference, rules.department_preference),
                reporting_line_depth=rules.reporting_line_depth,
                exclude_same_manager_peers=rules.exclude_same_manager_peers,
                min_seniority_gap=rules.min_seniority_gap,
            ),
        )
