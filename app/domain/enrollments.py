"""Enrollments: a person joining a program, always of their own will.

Rules:
- only the person themself enrols (coordinators may invite, never enrol someone);
- a person has at most one live enrollment per program (a withdrawn one may be followed by a new one);
- the program must be ``enrolling``; the person must be active;
- the role preference fits the program: reverse → ``mentor`` or ``mentee``; reciprocal → ``both``;
- states ``applied → approved → ready → matched → completed``, or ``withdrawn`` from any live state;
  ``ready`` follows approval at once when no training is required, otherwise when training is done;
- approval respects the program's pilot capacity (applications beyond it wait).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.changes import UNSET, Unset, sent
from app.domain.errors import conflict, invalid
from app.domain.events import (
    DomainEvent,
    EnrollmentApplied,
    EnrollmentStatusChanged,
    TrainingCompleted,
)
from app.domain.programs import ProgramKind


class EnrollmentStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    READY = "ready"
    MATCHED = "matched"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


LIVE = frozenset(
    {EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED, EnrollmentStatus.READY, EnrollmentStatus.MATCHED}
)
# Statuses that occupy a place of the pilot.
ADMITTED = frozenset(
    {EnrollmentStatus.APPROVED, EnrollmentStatus.READY, EnrollmentStatus.MATCHED, EnrollmentStatus.COMPLETED}
)

TRANSITIONS: Mapping[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    EnrollmentStatus.APPLIED: frozenset({EnrollmentStatus.APPROVED, EnrollmentStatus.WITHDRAWN}),
    EnrollmentStatus.APPROVED: frozenset({EnrollmentStatus.READY, EnrollmentStatus.WITHDRAWN}),
    EnrollmentStatus.READY: frozenset({EnrollmentStatus.MATCHED, EnrollmentStatus.WITHDRAWN}),
    # matched → ready: the relationship ended early (rematch) and the person returns to the pool.
    EnrollmentStatus.MATCHED: frozenset(
        {EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN, EnrollmentStatus.READY}
    ),
    EnrollmentStatus.COMPLETED: frozenset(),
    EnrollmentStatus.WITHDRAWN: frozenset(),
}


class RolePreference(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"


class MeetingMode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    CHAT = "chat"
    FORUM = "forum"


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("am", "pm")
AVAILABILITY_SLOTS = frozenset(f"{d}-{p}" for d in DAYS for p in PARTS)


def allowed_roles(kind: ProgramKind) -> frozenset[RolePreference]:
    if kind is ProgramKind.REVERSE:
        return frozenset({RolePreference.MENTOR, RolePreference.MENTEE})
    return frozenset({RolePreference.BOTH})


@dataclass
class Profile:
    """What a person brings to and wants from a program; shapes matching."""

    role_preference: RolePreference
    motivation: str = ""
    skills_offered: list[UUID] = field(default_factory=list)
    skills_wanted: list[UUID] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    meeting_modes: list[MeetingMode] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)

    def validate(self, kind: ProgramKind) -> None:
        if self.role_preference not in allowed_roles(kind):
            allowed = ", ".join(sorted(allowed_roles(kind)))
            raise invalid(
                "role_preference_not_allowed",
                f"A {kind} program takes role preference {allowed}.",
                path="role_preference",
            )
        unknown = sorted(set(self.availability) - AVAILABILITY_SLOTS)
        if unknown:
            raise invalid(
                "availability_slot_unknown",
                f"Unknown availability slots {unknown}; use e.g. mon-am, fri-pm.",
                path="availability",
            )
        if len(self.interests) > 50 or any(len(i) > 80 for i in self.interests):
            raise invalid("interests_too_long", "Up to 50 interests of 80 characters.", path="interests")
        # Keep lists duplicate-free and ordered so comparisons and matching are stable.
        self.skills_offered = list(dict.fromkeys(self.skills_offered))
        self.skills_wanted = list(dict.fromkeys(self.skills_wanted))
        self.interests = list(dict.fromkeys(i.strip().lower() for i in self.interests if i.strip()))
        self.meeting_modes = list(dict.fromkeys(self.meeting_modes))
        self.availability = sorted(set(self.availability))


@dataclass(frozen=True, kw_only=True)
class ProfileChanges:
    """The parts of a profile an edit changes; lists replace the whole list."""

    role_preference: RolePreference | Unset = UNSET
    motivation: str | Unset = UNSET
    skills_offered: Sequence[UUID] | Unset = UNSET
    skills_wanted: Sequence[UUID] | Unset = UNSET
    interests: Sequence[str] | Unset = UNSET
    meeting_modes: Sequence[MeetingMode] | Unset = UNSET
    availability: Sequence[str] | Unset = UNSET


@dataclass
class Enrollment:
    id: UUID
    program_id: UUID
    person_id: UUID
    profile: Profile
    created_at: datetime
    updated_at: datetime
    status: EnrollmentStatus = EnrollmentStatus.APPLIED
    approved_at: datetime | None = None
    training_completed_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def apply(
        cls,
        *,
        enrollment_id: UUID,
        program_id: UUID,
        kind: ProgramKind,
        person_id: UUID,
        profile: Profile,
        now: datetime,
    ) -> Enrollment:
        profile.validate(kind)
        enrollment = cls(
            id=enrollment_id,
            program_id=program_id,
            person_id=person_id,
            profile=profile,
            created_at=now,
            updated_at=now,
        )
        enrollment.events.append(
            EnrollmentApplied(program_id=program_id, enrollment_id=enrollment_id, person_id=person_id)
        )
        return enrollment

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    def _move(self, to: EnrollmentStatus, *, now: datetime) -> None:
        if to not in TRANSITIONS[self.status]:
            raise conflict("illegal_enrollment_transition", f"An enrollment cannot move from {self.status} to {to}.")
        previous = self.status
        self.status = to
        self.updated_at = now
        self.events.append(
            EnrollmentStatusChanged(
                program_id=self.program_id,
                enrollment_id=self.id,
                person_id=self.person_id,
                from_status=previous,
                to_status=to,
            )
        )

    def update_profile(self, changes: ProfileChanges, kind: ProgramKind, *, now: datetime) -> list[str]:
        """The person edits their profile while the enrollment is live and not yet matched."""
        if self.status not in {EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED, EnrollmentStatus.READY}:
            raise conflict("enrollment_profile_locked", f"The profile cannot change once {self.status}.")
        changed = []
        for name, given in sent(changes).items():
            # the profile keeps lists, whatever sequence the change carries
            value = list(given) if isinstance(given, Sequence) and not isinstance(given, str) else given
            if getattr(self.profile, name) != value:
                setattr(self.profile, name, value)
                changed.append(name)
        self.profile.validate(kind)
        if changed:
            self.updated_at = now
        return changed

    def approve(
        self, *, training_required: bool, admitted_count: int, pilot_capacity: int | None, now: datetime
    ) -> None:
        if self.status is EnrollmentStatus.APPLIED and pilot_capacity is not None and admitted_count >= pilot_capacity:
            raise conflict(
                "pilot_capacity_reached",
                f"The pilot takes {pilot_capacity} participants and is full; this application waits.",
            )
        self._move(EnrollmentStatus.APPROVED, now=now)
        self.approved_at = now
        if not training_required or self.training_completed_at is not None:
            self._move(EnrollmentStatus.READY, now=now)

    def complete_training(self, *, training_required: bool, now: datetime) -> None:
        if not self.is_live:
            raise conflict("enrollment_not_live", f"Training cannot be recorded on a {self.status} enrollment.")
        if self.training_completed_at is not None:
            raise conflict("training_already_recorded", "Training completion is already recorded.")
        self.training_completed_at = now
        self.updated_at = now
        self.events.append(
            TrainingCompleted(program_id=self.program_id, enrollment_id=self.id, person_id=self.person_id)
        )
        if self.status is EnrollmentStatus.APPROVED and training_required:
            self._move(EnrollmentStatus.READY, now=now)

    def mark_matched(self, *, now: datetime) -> None:
        self._move(EnrollmentStatus.MATCHED, now=now)

    def return_to_pool(self, *, now: datetime) -> None:
        self._move(EnrollmentStatus.READY, now=now)

    def complete(self, *, now: datetime) -> None:
        self._move(EnrollmentStatus.COMPLETED, now=now)

    def withdraw(self, *, reason: str | None, now: datetime) -> None:
        self._move(EnrollmentStatus.WITHDRAWN, now=now)
        self.withdrawn_at = now
        self.withdrawal_reason = (reason or "").strip() or None
