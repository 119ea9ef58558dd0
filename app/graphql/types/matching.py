"""Matching runs: certified near-optimal pairs under hard constraints, explained."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

import strawberry

from app.domain import matching as model
from app.domain import matching_runs as domain
from app.domain.matching.fairness import Fairness as DomainFairness
from app.graphql.connections import Slice, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import RunStatus, UnmatchedReason
from app.graphql.resolve import one, people_of, query
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person
from app.services import matching_run_reads as reads


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


@strawberry.type(description="A setting a dry run overrides; the value is JSON, as in the program's matching rules.")
class SettingOverride:
    name: str
    value: str


@strawberry.type(description="How many of the program's enrollments were in one state when the run was solved.")
class EnrollmentStateCount:
    state: str
    count: int


@strawberry.type(description="One group's pool size and unmatched count.")
class GroupFigures:
    group: str
    pool: int = strawberry.field(description="People of this group in the run's pool.")
    unmatched: int = strawberry.field(description="Of them, how many stayed unmatched.")


@strawberry.type(description="The groups of one attribute (department, location, generation, role).")
class GroupDimension:
    dimension: str
    groups: list[GroupFigures]


@strawberry.type(description="Whom the run serves less well: score bands, unmatched by group.")
class Fairness:
    score_bands: list[int] = strawberry.field(
        description="Pairs per fifth of the highest score the program's weights allow (lowest fifth first)."
    )
    unmatched_by: list[GroupDimension]


@strawberry.type(description="What a coordinator compares between two runs.")
class RunFigures:
    run_id: UUID
    dry_run: bool
    total_score: float
    quality: float
    coverage: float = strawberry.field(description="Share of the pool paired at least once.")
    cross_department_share: float = strawberry.field(description="Share of the pairs across two known departments.")
    pairs: int


@strawberry.type(description="A run's figures beside the program's current run.")
class RunComparison:
    run: RunFigures | None = strawberry.field(description="This run (empty until it has finished).")
    current: RunFigures | None = strawberry.field(
        description="The program's current run: the latest published, else the latest completed non-dry run."
    )


def _figures(figures: domain.RunFigures | None) -> RunFigures | None:
    return None if figures is None else build(RunFigures, figures)


@strawberry.type(description="A matching run over a program's ready enrollments.")
class MatchingRun:
    id: UUID
    program_id: UUID
    status: RunStatus
    based_on: UUID | None
    started_by: UUID | None
    pool_size: int
    dry_run: bool = strawberry.field(description="Solved with alternative settings to compare; never publishable.")
    settings_overrides: list[SettingOverride] = strawberry.field(
        description="A dry run's settings that differ from the program's."
    )
    pins: list[EnrollmentPair]
    forbids: list[EnrollmentPair]
    progress: float = strawberry.field(description="0–1 while running.")
    pairs: int | None
    unmatched: int | None
    total_score: float | None
    upper_bound: float | None = strawberry.field(description="A proven bound on the best total the constraints allow.")
    quality: float | None = strawberry.field(description="totalScore / upperBound: 1.0 is provably optimal.")
    proven_optimal: bool | None = strawberry.field(description="The total is the proven optimum the constraints allow.")
    stopped_by_deadline: bool | None = strawberry.field(
        description="The time limit stopped the solve: the best result found by then, with the bound known by then."
    )
    pool_census: list[EnrollmentStateCount] | None = strawberry.field(
        description="The program's enrollments by state when the run was solved (explains the pool's size)."
    )
    fairness: Fairness | None
    seconds: float | None
    solver: str | None
    notes: list[str]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None
    version: int

    @strawberry.field(description=rules_of(reads.compare_run))
    async def comparison(self, info: Info) -> RunComparison | None:
        found = await one(info, reads.compare_run, run_id=self.id)
        return None if found is None else RunComparison(run=_figures(found[0]), current=_figures(found[1]))

    @strawberry.field(description="The proposed pairs with their explanations.")
    async def proposals(self, info: Info, first: int | None = None, after: str | None = None) -> Slice[Proposal]:
        page = await query(info, reads.run_proposals, run_id=self.id, page=page_request(first, after))
        return Slice.of(page, Proposal.of)

    @strawberry.field(description="Who stayed unmatched, and why.")
    async def unmatched_enrollments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Slice[UnmatchedEnrollment]:
        page = await query(info, reads.run_unmatched, run_id=self.id, page=page_request(first, after))
        return Slice.of(page, lambda u: build(UnmatchedEnrollment, u, reason=enum(UnmatchedReason, u.reason)))

    @classmethod
    def of(cls, run: domain.MatchingRun) -> MatchingRun:
        o = run.outcome
        return build(
            cls,
            run,
            status=enum(RunStatus, run.status),
            settings_overrides=[
                SettingOverride(name=name, value=json.dumps(value, sort_keys=True))
                for name, value in sorted(run.settings_overrides.items())
            ],
            proven_optimal=o.proven_optimal if o else None,
            stopped_by_deadline=o.stopped_by_deadline if o else None,
            pool_census=None
            if o is None
            else [EnrollmentStateCount(state=state, count=count) for state, count in o.pool_census.items()],
            fairness=None if o is None or o.fairness is None else _fairness(o.fairness),
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


def _fairness(fairness: DomainFairness) -> Fairness:
    return Fairness(
        score_bands=list(fairness.score_bands),
        unmatched_by=[
            GroupDimension(
                dimension=dimension,
                groups=[GroupFigures(group=group, pool=f.pool, unmatched=f.unmatched) for group, f in groups.items()],
            )
            for dimension, groups in fairness.unmatched_by.items()
        ],
    )
