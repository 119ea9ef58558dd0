"""Matching runs: certified near-optimal pairs under hard constraints, explained."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.domain import matching as model
from app.domain import matching_runs as domain
from app.graphql.connections import Slice, page_request
from app.graphql.context import Info
from app.graphql.enums import RunStatus, UnmatchedReason
from app.graphql.resolve import people_of, query
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person
from app.services import matching_runs as service


@strawberry.type(description="Two enrollments a run keeps together (pin) or apart (forbid).")
class EnrollmentPair:
    enrollment_ids: list[UUID]


@strawberry.type(description="One factor of a pair's score.")
class ScoreFactor:
    name: str
    contribution: float
    detail: str


@strawberry.type(description="A proposed pair with its score and a human-readable explanation.")
class Proposal:
    enrollment_ids: list[UUID]
    person_ids: list[UUID]
    mentor_enrollment_id: UUID | None = strawberry.field(description="Reverse programs: the junior who mentors.")
    score: float
    factors: list[ScoreFactor] = strawberry.field(description="Exactly the factors that contributed, largest first.")
    summary: str
    pinned: bool

    @strawberry.field
    async def people(self, info: Info) -> list[Person]:
        return [p for p in await people_of(info, self.person_ids) if p is not None]

    @classmethod
    def of(cls, pair: model.ProposedPair) -> Proposal:
        return build(
            cls,
            pair,
            enrollment_ids=list(pair.enrollment_ids),
            person_ids=list(pair.person_ids),
            factors=[build(ScoreFactor, f) for f in pair.factors],
        )


@strawberry.type(description="Someone a run left unmatched, and why.")
class UnmatchedEnrollment:
    enrollment_id: UUID
    person_id: UUID
    reason: UnmatchedReason
    detail: str

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return (await people_of(info, [self.person_id]))[0]


@strawberry.type(description="A matching run over a program's ready enrollments.")
class MatchingRun:
    id: UUID
    program_id: UUID
    status: RunStatus
    based_on: UUID | None
    started_by: UUID | None
    pool_size: int
    pins: list[EnrollmentPair]
    forbids: list[EnrollmentPair]
    progress: float = strawberry.field(description="0–1 while running.")
    pairs: int | None
    unmatched: int | None
    total_score: float | None
    upper_bound: float | None = strawberry.field(description="A proven bound on the best total the constraints allow.")
    quality: float | None = strawberry.field(description="totalScore / upperBound: 1.0 is provably optimal.")
    seconds: float | None
    solver: str | None
    notes: list[str]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None
    version: int

    @strawberry.field(description="The proposed pairs with their explanations.")
    async def proposals(self, info: Info, first: int | None = None, after: str | None = None) -> Slice[Proposal]:
        page = await query(info, service.run_proposals, run_id=self.id, page=page_request(first, after))
        return Slice.of(page, Proposal.of)

    @strawberry.field(description="Who stayed unmatched, and why.")
    async def unmatched_enrollments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Slice[UnmatchedEnrollment]:
        page = await query(info, service.run_unmatched, run_id=self.id, page=page_request(first, after))
        return Slice.of(page, lambda u: build(UnmatchedEnrollment, u, reason=enum(UnmatchedReason, u.reason)))

    @classmethod
    def of(cls, run: domain.MatchingRun) -> MatchingRun:
        o = run.outcome
        return build(
            cls,
            run,
            status=enum(RunStatus, run.status),
            pins=[EnrollmentPair(enrollment_ids=list(p)) for p in run.pins],
            forbids=[EnrollmentPair(enrollment_ids=list(p)) for p in run.forbids],
            pairs=o.pairs if o else None,
            unmatched=o.unmatched if o else None,
            total_score=o.total_score if o else None,
            upper_bound=o.upper_bound if o else None,
            quality=o.quality if o else None,
            seconds=o.seconds if o else None,
            solver=o.solver if o else None,
            notes=list(o.notes) if o else [],
        )
