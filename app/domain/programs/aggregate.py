"""The program aggregate: proposing, validating, editing, moving along the lifecycle, discussing the draft."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from app.domain.changes import Unset, sent
from app.domain.checkins import DEFAULT_AFTER_MEETING, DEFAULT_EVERY_DAYS, CheckinSchedule
from app.domain.errors import DomainError, conflict, invalid
from app.domain.events import (
    DomainEvent,
    EnrollmentInvited,
    ProgramCreated,
    ProgramStatusChanged,
    ProgramUpdated,
    ProposalCommented,
    ProposalReviewed,
)
from app.domain.matching import MatchingSettings, Weights
from app.domain.programs.kinds import DEFAULT_TURN_POLICY, TRANSITIONS, FocusArea, ProgramKind, ProgramStatus
from app.domain.programs.settings import (
    CADENCE_DAYS,
    PILOT_CAPACITY,
    RELATIONSHIPS_PER_PERSON,
    Objective,
    ProgramChanges,
    ProgramDraft,
    objectives_from,
)
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment, ReviewVerdict
from app.domain.turn_policies import TurnPolicy

_INVITING = frozenset({ProgramStatus.DRAFT, ProgramStatus.ENROLLING})
_FROZEN_ONCE_ACTIVE = frozenset(
    {"role_turn_policy", "training_required", "matching_rules", "pilot_capacity", "max_relationships_per_person",
     "cycle_start", "cadence_days"}
)  # fmt: skip


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
    checkin_after_meeting: int = DEFAULT_AFTER_MEETING
    checkin_every_days: int = DEFAULT_EVERY_DAYS
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

    @classmethod
    def propose(
        cls,
        *,
        id: UUID,
        kind: ProgramKind,
        draft: ProgramDraft,
        created_by: UUID,
        now: datetime,
        new_id: Callable[[], UUID],
    ) -> Program:
        """A new program, as a draft open for comment (see the module's rules); ``created_by`` is the
        proposer (see :func:`proposer_of`)."""
        coordinators = first_coordinators(created_by, draft.coordinator_ids)
        program = cls(
            id=id,
            kind=kind,
            name=draft.name,
            created_by=created_by,
            created_at=now,
            updated_at=now,
            description=draft.description,
            focus_areas=list(dict.fromkeys(draft.focus_areas)),
            objectives=objectives_from(draft.objectives, [], new_id),
            cycle_start=draft.cycle_start,
            cycle_end=draft.cycle_end,
            cadence_days=draft.cadence_days,
            checkin_after_meeting=draft.checkin_after_meeting,
            checkin_every_days=draft.checkin_every_days,
            role_turn_policy=draft.role_turn_policy or DEFAULT_TURN_POLICY[kind],
            training_required=draft.training_required,
            matching_rules=dict(draft.matching_rules),
            pilot_capacity=draft.pilot_capacity,
            max_relationships_per_person=draft.max_relationships_per_person,
            guidelines=draft.guidelines,
            incentives=list(draft.incentives),
            coordinator_ids=coordinators,
            committee_member_ids=list(draft.committee_member_ids),
        )
        program.validate()
        program.events.append(ProgramCreated(program_id=id, kind=kind))
        return program

    # --- invariants ----------------------------------------------------------------------------
    def validate(self) -> None:
        if not self.name.strip():
            raise invalid("program_name_required", "A program needs a name.", path="name")
        if self.cycle_start and self.cycle_end and self.cycle_end <= self.cycle_start:
            raise invalid("cycle_dates_out_of_order", "The cycle must end after it starts.", path="cycle_end")
        CADENCE_DAYS.check(self.cadence_days, path="cadence_days")
        self.checkin_schedule()
        if self.pilot_capacity is not None:
            PILOT_CAPACITY.check(self.pilot_capacity, path="pilot_capacity")
        RELATIONSHIPS_PER_PERSON.check(self.max_relationships_per_person, path="max_relationships_per_person")
        for name in ("coordinator_ids", "committee_member_ids"):
            named = getattr(self, name)
            if len(set(named)) != len(named):
                raise invalid("person_named_twice", f"Name each person once in {name}.", path=name)
        self.turn_policy()
        self.matching_settings()

    def checkin_schedule(self) -> CheckinSchedule:
        """When the program's pairs check in: after meeting N (default 3), then every D days (60)."""
        return CheckinSchedule(self.checkin_after_meeting, self.checkin_every_days)

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
    def update(self, changes: ProgramChanges, *, now: datetime, new_id: Callable[[], UUID]) -> list[str]:
        """Apply an edit; returns the names of the settings that changed.

        - a closed program does not change (``program_closed``);
        - a program keeps at least one coordinator (``program_needs_coordinator``);
        - once ``active`` or later, only descriptive settings (name, description, guidelines,
          incentives, objectives, coordinators, committee, cycle end) change: matching rules, the
          role-turn policy, capacity and training rules shaped the cohort already.
        """
        if self.status is ProgramStatus.CLOSED:
            raise conflict("program_closed", "A closed program cannot be changed.")
        values = sent(changes)
        # lists are stored as lists, without repeats; objectives get their ids
        if not isinstance(changes.objectives, Unset):
            values["objectives"] = objectives_from(changes.objectives, self.objectives, new_id)
        if not isinstance(changes.focus_areas, Unset):
            values["focus_areas"] = list(dict.fromkeys(changes.focus_areas))
        if not isinstance(changes.incentives, Unset):
            values["incentives"] = list(changes.incentives)
        if not isinstance(changes.coordinator_ids, Unset):
            values["coordinator_ids"] = list(changes.coordinator_ids)
        if not isinstance(changes.committee_member_ids, Unset):
            values["committee_member_ids"] = list(changes.committee_member_ids)
        if not isinstance(changes.matching_rules, Unset):
            values["matching_rules"] = dict(changes.matching_rules)
        if values.get("coordinator_ids") == []:
            raise invalid(
                "program_needs_coordinator", "A program keeps at least one coordinator.", path="coordinator_ids"
            )
        changed: list[str] = []
        for name, value in values.items():
            if getattr(self, name) == value:
                continue
            if name in _FROZEN_ONCE_ACTIVE and self.status in {ProgramStatus.ACTIVE, ProgramStatus.EVALUATING}:
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

    # --- proposal discussion and invitations ---------------------------------------------------
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

    def invite(
        self, *, invitation_id: UUID, person_id: UUID, invited_by: UUID | None, message: str, now: datetime
    ) -> Invitation:
        """Invite someone to apply while the program is a draft or enrolling (``enrolment_closed``)."""
        if self.status not in _INVITING:
            raise conflict("enrolment_closed", f"The program is {self.status}; invitations are closed.")
        self.events.append(EnrollmentInvited(program_id=self.id, invitation_id=invitation_id, person_id=person_id))
        return Invitation(
            id=invitation_id,
            program_id=self.id,
            person_id=person_id,
            invited_by=invited_by,
            message=message.strip(),
            created_at=now,
        )
