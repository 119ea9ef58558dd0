"""Matching runs: a coordinator's attempt at pairing a program's ready enrollments.

Rules:
- a run is ``queued → running → completed | failed``; a completed run may be ``published`` once,
  which turns its proposals into relationships (``proposed``); a run can be re-solved with pins and
  forbids, which starts a new run based on it (the old one stays for the record);
- pins and forbids name pairs of enrollments; a pair cannot be both pinned and forbidden, and an
  enrollment is pinned at most once (capacity one per run);
- a run whose solve was cut off (its worker stopped or died) is solved again from the start by its
  job (``restart``), and failed with a reason when the job gives up — never left ``running``;
- a *dry run* solves with alternative settings (``settings_overrides``) to compare with the current
  run; it can never be published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.domain.enrollments import EnrollmentStatus
from app.domain.errors import DomainError, conflict, invalid
from app.domain.events import DomainEvent, MatchingRunFinished, MatchingRunPublished
from app.domain.matching import MatchingResult, MatchingSettings, Weights
from app.domain.matching.fairness import Fairness, GroupFigures


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    PUBLISHED = "published"


Pair = tuple[UUID, UUID]


def normalise_pairs(pairs: list[Pair], path: str) -> list[Pair]:
    """The pairs without repeats (in either order); a pair of one enrollment is refused."""
    seen: set[frozenset[UUID]] = set()
    result: list[Pair] = []
    for index, (a, b) in enumerate(pairs):
        if a == b:
            raise invalid("pair_of_one", "A pair needs two different enrollments.", path=f"{path}[{index}]")
        key = frozenset((a, b))
        if key not in seen:
            seen.add(key)
            result.append((a, b))
    return result


def check_adjustments(pins: list[Pair], forbids: list[Pair]) -> None:
    """Refuse a pair both pinned and forbidden, and an enrollment pinned twice."""
    pinned = {frozenset(p) for p in pins}
    clash = [p for p in forbids if frozenset(p) in pinned]
    if clash:
        raise invalid("pair_pinned_and_forbidden", "A pair cannot be both pinned and forbidden.", path="forbids")
    used: set[UUID] = set()
    for index, (a, b) in enumerate(pins):
        if a in used or b in used:
            raise invalid("enrollment_pinned_twice", "An enrollment can be pinned once.", path=f"pins[{index}]")
        used.update((a, b))


# Why someone enrolled is not in a run's pool, in words (the pool is ``ready`` enrollments, and
# ``matched`` ones with room left where people may have several partners).
_OUTSIDE_POOL = {
    EnrollmentStatus.APPLIED: "applied, awaiting approval",
    EnrollmentStatus.APPROVED: "approved, waiting for training",
    EnrollmentStatus.MATCHED: "matched (in the pool only with room for another partner)",
    EnrollmentStatus.COMPLETED: "completed",
    EnrollmentStatus.WITHDRAWN: "withdrawn",
}


def pool_note(census: dict[str, int], pool_size: int) -> str:
    """What a coordinator needs to read a pool's size: the program's enrollments by state.

    - states with no enrollment are left out; ``approved`` reads "waiting for training" (an approved
      enrollment becomes ready once training is done, or at once when the program needs none).
    """
    outside = [f"{census[state.value]} {words}" for state, words in _OUTSIDE_POOL.items() if census.get(state.value)]
    text = f"pool: {pool_size} of the program's {sum(census.values())} enrollments"
    if census.get("ready", 0):
        text += f" ({census['ready']} ready)"
    return text + (f"; not in the pool: {', '.join(outside)}" if outside else "")


@dataclass(frozen=True)
class RunOutcome:
    """The figures of a finished solve, kept on the run.

    - ``pool_census``: the program's enrollments by state when the run was solved, so that a small
      pool (or none) explains itself;
    - ``fairness``: score bands and the unmatched by department, location, generation and role.
    """

    pairs: int
    unmatched: int
    total_score: float
    upper_bound: float
    quality: float
    greedy_total: float | None
    seconds: float
    solver: str
    notes: tuple[str, ...] = ()
    proven_optimal: bool = False
    stopped_by_deadline: bool = False
    pool_census: dict[str, int] = field(default_factory=dict)
    fairness: Fairness | None = None


def outcome_from_mapping(values: dict[str, Any]) -> RunOutcome:
    """A stored outcome (plain JSON values) back as a ``RunOutcome``; older rows lack new keys."""
    data = dict(values)
    data["notes"] = tuple(data.get("notes", ()))
    stored = data.get("fairness")
    if isinstance(stored, dict):
        data["fairness"] = Fairness(
            coverage=float(stored.get("coverage", 1.0)),
            cross_department_share=float(stored.get("cross_department_share", 0.0)),
            score_bands=tuple(stored["score_bands"]),
            unmatched_by={
                name: {group: GroupFigures(**figures) for group, figures in groups.items()}
                for name, groups in stored["unmatched_by"].items()
            },
        )
    return RunOutcome(**data)


@dataclass
class MatchingRun:
    id: UUID
    program_id: UUID
    started_by: UUID | None
    created_at: datetime
    pool_size: int = 0
    status: RunStatus = RunStatus.QUEUED
    based_on: UUID | None = None
    pins: list[Pair] = field(default_factory=list)
    forbids: list[Pair] = field(default_factory=list)
    progress: float = 0.0
    outcome: RunOutcome | None = None
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    published_at: datetime | None = None
    version: int = 1
    dry_run: bool = False
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    def start(self, *, pool_size: int, now: datetime) -> None:
        if self.status is not RunStatus.QUEUED:
            raise conflict("run_not_queued", f"The run is {self.status}; it cannot start again.")
        self.status = RunStatus.RUNNING
        self.pool_size = pool_size
        self.started_at = now

    def restart(self, *, pool_size: int, now: datetime) -> None:
        """Solve a running run again from the start: its solve was cut off (the worker died or stopped)."""
        if self.status is not RunStatus.RUNNING:
            raise conflict("run_not_running", f"The run is {self.status}.")
        self.progress = 0.0
        self.pool_size = pool_size
        self.started_at = now

    def complete(
        self,
        result: MatchingResult,
        *,
        now: datetime,
        census: dict[str, int] | None = None,
        fairness: Fairness | None = None,
    ) -> None:
        """Record a finished solve; ``census`` (enrollments by state) adds a note that explains the
        pool's size, ``fairness`` the distributions."""
        if self.status is not RunStatus.RUNNING:
            raise conflict("run_not_running", f"The run is {self.status}.")
        self.status = RunStatus.COMPLETED
        self.progress = 1.0
        self.finished_at = now
        notes = tuple(result.notes)
        if census is not None:
            notes = (pool_note(census, self.pool_size), *notes)
        self.outcome = RunOutcome(
            pairs=len(result.pairs),
            unmatched=len(result.unmatched),
            total_score=result.total_score,
            upper_bound=result.upper_bound,
            quality=result.quality,
            greedy_total=result.greedy_total,
            seconds=result.seconds,
            solver=result.solver,
            notes=notes,
            proven_optimal=result.proven_optimal,
            stopped_by_deadline=result.stopped_by_deadline,
            pool_census=dict(census or {}),
            fairness=fairness,
        )
        self.events.append(
            MatchingRunFinished(
                program_id=self.program_id,
                run_id=self.id,
                status=self.status,
                pairs=len(result.pairs),
                unmatched=len(result.unmatched),
                quality=result.quality,
            )
        )

    def fail(self, reason: str, *, now: datetime) -> None:
        if self.status not in {RunStatus.QUEUED, RunStatus.RUNNING}:
            raise conflict("run_not_running", f"The run is {self.status}.")
        self.status = RunStatus.FAILED
        self.error = reason[:2000]
        self.finished_at = now
        self.events.append(
            MatchingRunFinished(
                program_id=self.program_id, run_id=self.id, status=self.status, pairs=0, unmatched=0, quality=None
            )
        )

    def check_publishable(self) -> None:
        """Only a completed run is published, and only once; a dry run never."""
        if self.dry_run:
            raise conflict("dry_run_not_publishable", "A dry run only shows what other settings would give.")
        if self.status is not RunStatus.COMPLETED:
            raise conflict("run_not_publishable", f"Only a completed run can be published; this one is {self.status}.")

    def publish(self, *, relationships: int, now: datetime) -> None:
        self.check_publishable()
        self.status = RunStatus.PUBLISHED
        self.published_at = now
        self.events.append(
            MatchingRunPublished(program_id=self.program_id, run_id=self.id, relationships=relationships)
        )


# Settings a dry run may change: everything but the program's kind (what if the weights, the
# department preference or a hard constraint's strength were different?).
OVERRIDABLE = (
    "weights",
    "department_preference",
    "reporting_line_depth",
    "exclude_same_manager_peers",
    "min_seniority_gap",
    "ideal_seniority_gap",
    "top_k",
)


def settings_for(base: MatchingSettings, overrides: dict[str, Any]) -> MatchingSettings:
    """The program's settings with a dry run's overrides applied (validated like the program's own).

    - ``weights`` overrides name only the weights they change;
    - an unknown setting is refused (``unknown_matching_setting``).
    """
    unknown = sorted(set(overrides) - set(OVERRIDABLE))
    if unknown:
        raise invalid("unknown_matching_setting", f"Settings a dry run cannot change: {', '.join(unknown)}.")
    values = {name: getattr(base, name) for name in ("kind", *OVERRIDABLE, "time_limit_seconds")}
    for name, value in overrides.items():
        if name == "weights":
            changed = {**{k: getattr(base.weights, k) for k in base.weights.__dataclass_fields__}, **value}
            try:
                values["weights"] = Weights(**changed)
            except TypeError as error:
                raise invalid("unknown_matching_setting", f"Unknown weight: {error}.", path="weights") from None
        else:
            values[name] = value
    try:
        return MatchingSettings(**values)
    except DomainError as error:
        raise invalid(
            error.code, error.detail, path=f"dry_run.{error.errors[0].path if error.errors else ''}"
        ) from None


@dataclass(frozen=True)
class RunFigures:
    """What a coordinator compares between two runs."""

    run_id: UUID
    dry_run: bool
    total_score: float
    quality: float
    coverage: float
    cross_department_share: float
    pairs: int


def figures_of(run: MatchingRun) -> RunFigures | None:
    """The comparable figures of a finished run (``None`` while it has none)."""
    o = run.outcome
    if o is None or o.fairness is None:
        return None
    return RunFigures(
        run_id=run.id,
        dry_run=run.dry_run,
        total_score=o.total_score,
        quality=o.quality,
        coverage=o.fairness.coverage,
        cross_department_share=o.fairness.cross_department_share,
        pairs=o.pairs,
    )


def current_run(runs: list[MatchingRun], *, besides: UUID) -> MatchingRun | None:
    """The run a dry run is compared with: the latest published run, else the latest completed run
    that is not a dry run (``besides`` is never its own comparison)."""
    candidates = [r for r in runs if r.id != besides and not r.dry_run and r.outcome is not None]
    for wanted in (RunStatus.PUBLISHED, RunStatus.COMPLETED):
        found = [r for r in candidates if r.status is wanted]
        if found:
            return max(found, key=lambda r: (r.finished_at or r.created_at, r.id))
    return None
