from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun, RunFigures, RunStatus

PairIn = Annotated[list[UUID], Field(min_length=2, max_length=2, description="Two enrollment ids.")]


class WeightsIn(Input):
    skills: float | None = None
    interests: float | None = None
    department: float | None = None
    location: float | None = None
    seniority_gap: float | None = None
    meeting_modes: float | None = None
    availability: float | None = None
    diversity: float | None = None


class DryRunSettings(Input):
    """Settings to try instead of the program's; unset ones keep the program's value."""

    weights: WeightsIn | None = None
    department_preference: Literal["cross", "same", "none"] | None = None
    reporting_line_depth: int | None = None
    exclude_same_manager_peers: bool | None = None
    min_seniority_gap: int | None = None
    ideal_seniority_gap: int | None = None
    top_k: int | None = None

    def overrides(self) -> dict[str, Any]:
        values = self.model_dump(exclude_none=True)
        if "weights" in values and not values["weights"]:
            del values["weights"]
        return values


class MatchingRunCreate(Input):
    pins: Annotated[list[PairIn], Field(max_length=500)] = Field(
        default_factory=list, description="Pairs to keep whatever the optimum says."
    )
    forbids: Annotated[list[PairIn], Field(max_length=5000)] = Field(
        default_factory=list, description="Pairs never to propose in this run."
    )
    based_on: UUID | None = Field(default=None, description="Re-solve this earlier run, keeping its pins and forbids.")
    dry_run: DryRunSettings | None = Field(
        default=None,
        description="Solve with these settings instead, to compare with the current run; never publishable.",
        examples=[{"weights": {"department": 3.0}, "department_preference": "cross"}],
    )

    def pin_pairs(self) -> list[tuple[UUID, UUID]]:
        return [(a, b) for a, b in self.pins]

    def forbid_pairs(self) -> list[tuple[UUID, UUID]]:
        return [(a, b) for a, b in self.forbids]


class GroupFiguresOut(Output):
    pool: int = Field(description="People of this group in the run's pool.")
    unmatched: int = Field(description="Of them, how many stayed unmatched.")


class FairnessOut(Output):
    score_bands: list[int] = Field(
        description="Pairs per fifth of the highest score the program's weights allow (lowest fifth first)."
    )
    unmatched_by: dict[str, dict[str, GroupFiguresOut]] = Field(
        description="For department, location, generation and role: each group's pool size and unmatched count.",
        examples=[{"department": {"Sales": {"pool": 40, "unmatched": 3}}}],
    )


class MatchingRunOut(Output):
    id: UUID
    program_id: UUID
    status: RunStatus
    based_on: UUID | None
    started_by: UUID | None
    pool_size: int
    dry_run: bool = Field(description="Solved with alternative settings to compare; never publishable.")
    settings_overrides: dict[str, Any] = Field(description="A dry run's settings that differ from the program's.")
    pins: list[list[UUID]]
    forbids: list[list[UUID]]
    progress: float = Field(description="0–1 while running.")
    pairs: int | None
    unmatched: int | None
    total_score: float | None
    upper_bound: float | None = Field(description="A proven bound on the best total the constraints allow.")
    quality: float | None = Field(description="total_score / upper_bound: 1.0 is provably optimal.")
    proven_optimal: bool | None = Field(description="The total is the proven optimum the constraints allow.")
    stopped_by_deadline: bool | None = Field(
        description="The time limit stopped the solve: the best result found by then, with the bound known by then."
    )
    pool_census: dict[str, int] | None = Field(
        description="The program's enrollments by state when the run was solved (explains the pool's size).",
        examples=[{"ready": 12, "approved": 34, "withdrawn": 5}],
    )
    fairness: FairnessOut | None = Field(description="Whom the run serves less well: score bands, unmatched by group.")
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
            dry_run=run.dry_run,
            settings_overrides=dict(run.settings_overrides),
            pins=[list(p) for p in run.pins],
            forbids=[list(p) for p in run.forbids],
            progress=run.progress,
            pairs=o.pairs if o else None,
            unmatched=o.unmatched if o else None,
            total_score=o.total_score if o else None,
            upper_bound=o.upper_bound if o else None,
            quality=o.quality if o else None,
            proven_optimal=o.proven_optimal if o else None,
            stopped_by_deadline=o.stopped_by_deadline if o else None,
            pool_census=dict(o.pool_census) if o else None,
            fairness=None
            if o is None or o.fairness is None
            else FairnessOut(
                score_bands=list(o.fairness.score_bands),
                unmatched_by={
                    name: {group: GroupFiguresOut(pool=f.pool, unmatched=f.unmatched) for group, f in groups.items()}
                    for name, groups in o.fairness.unmatched_by.items()
                },
            ),
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


class RunFiguresOut(Output):
    run_id: UUID
    dry_run: bool
    total_score: float
    quality: float
    coverage: float = Field(description="Share of the pool paired at least once.")
    cross_department_share: float = Field(description="Share of the pairs across two known departments.")
    pairs: int

    @classmethod
    def of(cls, figures: RunFigures | None) -> RunFiguresOut | None:
        return None if figures is None else cls.model_validate(figures)


class RunComparisonOut(Output):
    run: RunFiguresOut | None = Field(description="This run (empty until it has finished).")
    current: RunFiguresOut | None = Field(
        description="The program's current run: the latest published, else the latest completed non-dry run."
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
