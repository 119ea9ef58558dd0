"""Events of programs (their proposals and reviews), enrollments and matching runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from app.domain.events.base import DomainEvent


# --- programs -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ProgramCreated(DomainEvent):
    event_type: ClassVar[str] = "program.created"
    program_id: UUID
    kind: str


@dataclass(frozen=True, kw_only=True)
class ProgramUpdated(DomainEvent):
    event_type: ClassVar[str] = "program.updated"
    program_id: UUID
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ProgramStatusChanged(DomainEvent):
    event_type: ClassVar[str] = "program.status_changed"
    program_id: UUID
    from_status: str
    to_status: str


@dataclass(frozen=True, kw_only=True)
class ProposalCommented(DomainEvent):
    event_type: ClassVar[str] = "program.proposal_commented"
    program_id: UUID
    comment_id: UUID


@dataclass(frozen=True, kw_only=True)
class ProposalReviewed(DomainEvent):
    event_type: ClassVar[str] = "program.proposal_reviewed"
    program_id: UUID
    review_id: UUID
    verdict: str


# --- enrollments --------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class EnrollmentInvited(DomainEvent):
    event_type: ClassVar[str] = "enrollment.invited"
    program_id: UUID
    invitation_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnrollmentApplied(DomainEvent):
    event_type: ClassVar[str] = "enrollment.applied"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnrollmentStatusChanged(DomainEvent):
    """approved, ready, matched, completed, withdrawn — one event type, the new status in the body."""

    event_type: ClassVar[str] = "enrollment.status_changed"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID
    from_status: str
    to_status: str


@dataclass(frozen=True, kw_only=True)
class TrainingCompleted(DomainEvent):
    event_type: ClassVar[str] = "enrollment.training_completed"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID


# --- matching -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MatchingRunFinished(DomainEvent):
    event_type: ClassVar[str] = "matching_run.finished"
    program_id: UUID
    run_id: UUID
    status: str
    pairs: int
    unmatched: int
    quality: float | None


@dataclass(frozen=True, kw_only=True)
class MatchingRunPublished(DomainEvent):
    event_type: ClassVar[str] = "matching_run.published"
    program_id: UUID
    run_id: UUID
    relationships: int
