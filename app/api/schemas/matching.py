from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun, RunStatus

PairIn = Annotated[list[UUID], Field(min_length=2, max_length=2, description="Two enrollment ids.")]


class MatchingRunCreate(Input):
    pins: Annotated[list[PairIn], Field(max_length=500)] = Field(
        default_factory=list, description="Pairs to keep whatever the optimum says."
    )
    forbids: Annotated[list[PairIn], Field(max_length=5000)] = Field(
        default_factory=list, description="Pairs never to propose in this run."
    )
    based_on: UUID | None = Field(default=None, description="Re-solve this earlier run, keeping its pins and forbids.")

    def pin_pairs(self) -> list[tuple[UUID, UUID]]:
        return [(a, b) for a, b in self.pins]

    def forbid_pairs(self) -> list[tuple[UUID, UUID]]:
        return [(a, b) for a, b in self.forbids]


class MatchingRunOut(Output):
    id: UUID
    program_id: UUID
    status: RunStatus
    based_on: UUID | None
    started_by: UUID | None
    pool_size: int
    pins: list[list[UUID]]
    forbids: list[list[UUID]]
    progress: float = Field(description="0–1 while running.")
    pairs: int | None
    unmatched: int | None
    total_score: float | None
    upper_bound: float | None = Field(description="A proven bound on the best total the constraints allow.")
    quality: float | None = Field(description="total_score / upper_bound: 1.0 is provably optimal.")
    seconds: float | None
    solver: str | None
    notes: list[str]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None
    version: int

    @classmethod
    def of(cls, run: MatchingRun) -> MatchingRunOut:
        o = run.outcome
        return cls(
            id=run.id,
            program_id=run.program_id,
            status=run.status,
            based_on=run.based_on,
            started_by=run.started_by,
            pool_size=run.pool_size,
            pins=[list(p) for p in run.pins],
            forbids=[list(p) for p in run.forbids],
            progress=run.progress,
            pairs=o.pairs if o else None,
            unmatched=o.unmatched if o else None,
            total_score=o.total_score if o else None,
            upper_bound=o.upper_bound if o else None,
            quality=o.quality if o else None,
            seconds=o.seconds if o else None,
            solver=o.solver if o else None,
            notes=list(o.notes) if o else [],
            error=run.error,
            created_at=run.created_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            published_at=run.published_at,
            version=run.version,
        )


class MatchingRunList(Output):
    items: list[MatchingRunOut]
    next_cursor: str | None


class FactorOut(Output):
    name: str = Field(examples=["skills"])
    contribution: float
    detail: str = Field(examples=["covers TikTok for business for the mentee"])


class ProposalOut(Output):
    enrollment_ids: list[UUID]
    person_ids: list[UUID]
    mentor_enrollment_id: UUID | None = Field(description="Reverse programs: the junior who mentors.")
    score: float
    factors: list[FactorOut] = Field(description="Exactly the factors that contributed, largest first.")
    summary: str
    pinned: bool

    @classmethod
    def of(cls, pair: ProposedPair) -> ProposalOut:
        return cls(
            enrollment_ids=list(pair.enrollment_ids),
            person_ids=list(pair.person_ids),
            mentor_enrollment_id=pair.mentor_enrollment_id,
            score=pair.score,
            factors=[FactorOut.model_validate(f) for f in pair.factors],
            summary=pair.summary,
            pinned=pair.pinned,
        )


class ProposalList(Output):
    items: list[ProposalOut]
    next_cursor: str | None


class UnmatchedOut(Output):
    enrollment_id: UUID
    person_id: UUID
    reason: str = Field(examples=["no_allowed_partner"])
    detail: str

    @classmethod
    def of(cls, item: Unmatched) -> UnmatchedOut:
        return cls.model_validate(item)


class UnmatchedList(Output):
    items: list[UnmatchedOut]
    next_cursor: str | None
