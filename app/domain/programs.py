"""Programs: a reverse or reciprocal mentoring program and its lifecycle.

Rules:
- the lifecycle is ``draft → enrolling → matching → active → evaluating → closed``; only the moves in
  :data:`TRANSITIONS` are legal (enrolment may be reopened from ``matching``; a proposal may be
  abandoned, i.e. closed, before it goes live);
- while a program is a ``draft`` employees may comment on the proposal and its advisory committee
  members review it ("don't announce it as a done deal");
- a program is proposed by someone in the directory (``program_creator_not_in_directory``): the
  proposer is recorded and becomes its first coordinator when none is named, so no program is ever
  left without someone who may edit it;
- leaving ``draft`` needs at least one coordinator and cycle dates in the right order;
- coordinators and committee members are each named once (``person_named_twice``);
- the cycle end date is after its start; cadence, capacity and objective targets are positive;
  a target in percent (``%`` or ``percent``) is at most 100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.domain.errors import DomainError, conflict, invalid
from app.domain.events import (
    DomainEvent,
    ProgramStatusChanged,
    ProgramUpdated,
    ProposalCommented,
    ProposalReviewed,
)
from app.domain.matching import MatchingSettings, Weights
from app.domain.turn_policies import TurnPolicy


class ProgramKind(StrEnum):
    REVERSE = "reverse"
    RECIPROCAL = "reciprocal"


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    ENROLLING = "enrolling"
    MATCHING = "matching"
    ACTIVE = "active"
    EVALUATING = "evaluating"
    CLOSED = "closed"


class FocusArea(StrEnum):
    TECHNOLOGY = "technology"
    INTERGENERATIONAL = "intergenerational_understanding"
    RETENTION = "retention"
    DIVERSITY_INCLUSION = "diversity_inclusion"
    CULTURE = "culture"
    CUSTOM = "custom"


TRANSITIONS: Mapping[ProgramStatus, frozenset[ProgramStatus]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.ENROLLING, ProgramStatus.CLOSED}),
    ProgramStatus.ENROLLING: frozenset({ProgramStatus.MATCHING, ProgramStatus.CLOSED}),
    ProgramStatus.MATCHING: frozenset({ProgramStatus.ENROLLING, ProgramStatus.ACTIVE, ProgramStatus.CLOSED}),
    ProgramStatus.ACTIVE: frozenset({ProgramStatus.EVALUATING}),
    ProgramStatus.EVALUATING: frozenset({ProgramStatus.CLOSED}),
    ProgramStatus.CLOSED: frozenset(),
}


PERCENT_UNITS = frozenset({"%", "percent"})


def proposer_of(person_id: UUID | None) -> UUID:
    """The person proposing a new program: an identity outside the directory cannot be one, since the
    program would have nobody recorded as its proposer and, unless coordinators were named, nobody
    who may edit it."""
    if person_id is None:
        raise DomainError(
            code="program_creator_not_in_directory",
            detail="Programs are proposed by people in the directory; ask an admin to add you first.",
            kind="forbidden",
        )
    return person_id


def first_coordinators(proposer_id: UUID, named: Sequence[UUID]) -> list[UUID]:
    """The coordinators a new program starts with: those named, else its proposer."""
    return list(named) or [proposer_id]


@dataclass(frozen=True)
class Objective:
    """A measurable aim of the organisation, e.g. 70 % of seniors report better social-media skills."""

    id: UUID
    metric: str
    target: float
    unit: str
    description: str | None = None

    def __post_init__(self) -> None:
        if not self.metric.strip():
            raise invalid("objective_metric_required", "An objective needs a metric.", path="metric")
        if self.target < 0:
            raise invalid("objective_target_negative", "An objective target cannot be negative.", path="target")
        if self.unit.strip().lower() in PERCENT_UNITS and self.target > 100:
            raise invalid("objective_target_over_100", "A percentage is at most 100.", path="target")


@dataclass(frozen=True)
class ProposalComment:
    id: UUID
    program_id: UUID
    author_id: UUID
    body: str
    created_at: datetime


class ReviewVerdict(StrEnum):
    ENDORSE = "endorse"
    REQUEST_CHANGES = "request_changes"
    CONCERNS = "concerns"


@dataclass(frozen=True)
class CommitteeReview:
    id: UUID
    program_id: UUID
    reviewer_id: UUID
    verdict: ReviewVerdict
    body: str
    created_at: datetime


# Fields changed through PATCH; validated together in ``Program.update``.
EDITABLE_FIELDS = (
    "name",
    "description",
    "focus_areas",
    "objectives",
    "cycle_start",
    "cycle_end",
    "cadence_days",
    "role_turn_policy",
    "training_required",
    "matching_rules",
    "pilot_capacity",
    "max_relationships_per_person",
    "guidelines",
    "incentives",
    "coordinator_ids",
    "committee_member_ids",
)


@dataclass
class Program:
    id: UUID
    kind: ProgramKind
    name: str
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    description: str = ""
    status: ProgramStatus = ProgramStatus.DRAFT
    focus_areas: list[FocusArea] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: int = 14
    role_turn_policy: str = "fixed"
    training_required: bool = False
    matching_rules: dict[str, Any] = field(default_factory=dict)
    pilot_capacity: int | None = None
    max_relationships_per_person: int = 1
    guidelines: str = ""
    incentives: list[str] = field(default_factory=list)
    coordinator_ids: list[UUID] = field(default_factory=list)
    committee_member_ids: list[UUID] = field(default_factory=list)
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    # --- invariants ----------------------------------------------------------------------------
    def validate(self) -> None:
        if not self.name.strip():
            raise invalid("program_name_required", "A program needs a name.", path="name")
        if self.cycle_start and self.cycle_end and self.cycle_end <= self.cycle_start:
            raise invalid("cycle_dates_out_of_order", "The cycle must end after it starts.", path="cycle_end")
        if not 1 <= self.cadence_days <= 365:
            raise invalid("cadence_out_of_range", "Cadence must be 1–365 days.", path="cadence_days")
        if self.pilot_capacity is not None and self.pilot_capacity < 2:
            raise invalid(
                "pilot_capacity_too_small", "A pilot needs room for at least one pair.", path="pilot_capacity"
            )
        if not 1 <= self.max_relationships_per_person <= 10:
            raise invalid(
                "relationships_per_person_out_of_range",
                "A person may have 1–10 relationships in a program.",
                path="max_relationships_per_person",
            )

        for name in ("coordinator_ids", "committee_member_ids"):
            named = getattr(self, name)
            if len(set(named)) != len(named):
                raise invalid("person_named_twice", f"Name each person once in {name}.", path=name)

        TurnPolicy.parse(self.role_turn_policy)
        self.matching_settings()

    def turn_policy(self) -> TurnPolicy:
        return TurnPolicy.parse(self.role_turn_policy)

    def matching_settings(self) -> MatchingSettings:
        """The program's matching rules as the matching engine's settings (validated there)."""
        rules = self.matching_rules
        weights = rules.get("weights") or {}
        return MatchingSettings(
            kind=self.kind.value,
            weights=Weights(**{k: float(v) for k, v in weights.items()}),
            department_preference=rules.get("department_preference", "cross"),
            reporting_line_depth=int(rules.get("reporting_line_depth", 2)),
            exclude_same_manager_peers=bool(rules.get("exclude_same_manager_peers", False)),
            min_seniority_gap=int(rules.get("min_seniority_gap", 1)),
            ideal_seniority_gap=int(rules.get("ideal_seniority_gap", 3)),
        )

    def is_coordinator(self, person_id: UUID | None) -> bool:
        return person_id is not None and person_id in self.coordinator_ids

    def is_committee_member(self, person_id: UUID | None) -> bool:
        return person_id is not None and person_id in self.committee_member_ids

    # --- changes -------------------------------------------------------------------------------
    def update(self, changes: Mapping[str, Any], *, now: datetime) -> list[str]:
        """Apply changes; structural settings are frozen once the program is active.

        - the kind never changes;
        - once ``active`` or later, only descriptive fields (name, description, guidelines,
          incentives, objectives, coordinators, committee, cycle end) may change: matching rules,
          the role-turn policy, capacity and training rules shaped the cohort already.
        """
        frozen_after_launch = {
            "role_turn_policy",
            "training_required",
            "matching_rules",
            "pilot_capacity",
            "max_relationships_per_person",
            "cycle_start",
            "cadence_days",
        }
        if self.status is ProgramStatus.CLOSED:
            raise conflict("program_closed", "A closed program cannot be changed.")
        changed: list[str] = []
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise DomainError(code="field_not_editable", detail=f"{name} cannot be changed.", kind="invalid")
            if getattr(self, name) == value:
                continue
            if name in frozen_after_launch and self.status in {
                ProgramStatus.ACTIVE,
                ProgramStatus.EVALUATING,
            }:
                raise conflict("program_settings_frozen", f"{name} cannot change once the program is {self.status}.")
            setattr(self, name, value)
            changed.append(name)
        self.validate()
        if changed:
            self.updated_at = now
            self.events.append(ProgramUpdated(program_id=self.id, fields=changed))
        return changed

    def transition(self, to: ProgramStatus, *, now: datetime) -> None:
        if to not in TRANSITIONS[self.status]:
            raise conflict(
                "illegal_program_transition",
                f"A program cannot move from {self.status} to {to}.",
            )
        if self.status is ProgramStatus.DRAFT and to is not ProgramStatus.CLOSED:
            if not self.coordinator_ids:
                raise conflict("program_needs_coordinator", "Name at least one coordinator before launch.")
            if not (self.cycle_start and self.cycle_end):
                raise conflict("program_needs_cycle_dates", "Set the cycle dates before launch.")
        previous = self.status
        self.status = to
        self.updated_at = now
        self.events.append(ProgramStatusChanged(program_id=self.id, from_status=previous, to_status=to))

    # --- proposal discussion -------------------------------------------------------------------
    def comment(self, *, comment_id: UUID, author_id: UUID, body: str, now: datetime) -> ProposalComment:
        if self.status is not ProgramStatus.DRAFT:
            raise conflict("proposal_closed", "Comments are taken while the program is a draft.")
        if not body.strip():
            raise invalid("comment_empty", "A comment needs some text.", path="body")
        self.events.append(ProposalCommented(program_id=self.id, comment_id=comment_id))
        return ProposalComment(
            id=comment_id, program_id=self.id, author_id=author_id, body=body.strip(), created_at=now
        )

    def review(
        self, *, review_id: UUID, reviewer_id: UUID, verdict: ReviewVerdict, body: str, now: datetime
    ) -> CommitteeReview:
        if self.status is not ProgramStatus.DRAFT:
            raise conflict("proposal_closed", "Reviews are taken while the program is a draft.")
        self.events.append(ProposalReviewed(program_id=self.id, review_id=review_id, verdict=verdict))
        return CommitteeReview(
            id=review_id,
            program_id=self.id,
            reviewer_id=reviewer_id,
            verdict=verdict,
            body=body.strip(),
            created_at=now,
        )
