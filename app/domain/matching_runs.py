"""Matching runs: a coordinator's attempt at pairing a program's ready enrollments.

Rules:
- a run is ``queued → running → completed | failed``; a completed run may be ``published`` once,
  which turns its proposals into relationships (``proposed``); a run can be re-solved with pins and
  forbids, which starts a new run based on it (the old one stays for the record);
- pins and forbids name pairs of enrollments; a pair cannot be both pinned and forbidden, and an
  enrollment is pinned at most once (capacity one per run);
- a run interrupted by a crash is failed on the next start-up, never left ``running``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.errors import conflict, invalid
from app.domain.events import DomainEvent, MatchingRunFinished, MatchingRunPublished
from app.domain.matching import MatchingResult


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


@dataclass(frozen=True)
class RunOutcome:
    """The figures of a finished solve, kept on the run."""

    pairs: int
    unmatched: int
    total_score: float
    upper_bound: float
    quality: float
    greedy_total: float | None
    seconds: float
    solver: str
    notes: tuple[str, ...] = ()


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
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    def start(self, *, pool_size: int, now: datetime) -> None:
        if self.status is not RunStatus.QUEUED:
            raise conflict("run_not_queued", f"The run is {self.status}; it cannot start again.")
        self.status = RunStatus.RUNNING
        self.pool_size = pool_size
        self.started_at = now

    def complete(self, result: MatchingResult, *, now: datetime) -> None:
        if self.status is not RunStatus.RUNNING:
            raise conflict("run_not_running", f"The run is {self.status}.")
        self.status = RunStatus.COMPLETED
        self.progress = 1.0
        self.finished_at = now
        self.outcome = RunOutcome(
            pairs=len(result.pairs),
            unmatched=len(result.unmatched),
            total_score=result.total_score,
            upper_bound=result.upper_bound,
            quality=result.quality,
            greedy_total=result.greedy_total,
            seconds=result.seconds,
            solver=result.solver,
            notes=tuple(result.notes),
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
        """Only a completed run is published, and only once."""
        if self.status is not RunStatus.COMPLETED:
            raise conflict("run_not_publishable", f"Only a completed run can be published; this one is {self.status}.")

    def publish(self, *, relationships: int, now: datetime) -> None:
        self.check_publishable()
        self.status = RunStatus.PUBLISHED
        self.published_at = now
        self.events.append(
            MatchingRunPublished(program_id=self.program_id, run_id=self.id, relationships=relationships)
        )
