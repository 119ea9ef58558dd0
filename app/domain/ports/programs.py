"""Programs, their enrollments and matching runs."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun
from app.domain.ports.common import Page, PageRequest
from app.domain.programs import Program, ProgramKind, ProgramStatus
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment


@dataclass(frozen=True)
class ProgramFilter:
    status: ProgramStatus | None = None
    kind: ProgramKind | None = None
    coordinator_id: UUID | None = None


@dataclass(frozen=True)
class EnrollmentFilter:
    program_id: UUID | None = None
    person_id: UUID | None = None
    statuses: frozenset[EnrollmentStatus] = field(default_factory=frozenset)


class ProgramRepository(Protocol):
    def add(self, program: Program) -> None: ...
    async def get(self, program_id: UUID, *, lock: bool = False) -> Program | None: ...
    async def add_comment(self, comment: ProposalComment) -> None: ...
    async def add_review(self, review: CommitteeReview) -> None: ...
    async def add_invitation(self, invitation: Invitation) -> None: ...


class EnrollmentRepository(Protocol):
    def add(self, enrollment: Enrollment) -> None: ...
    async def get(self, enrollment_id: UUID) -> Enrollment | None: ...
    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, Enrollment]:
        """The enrollments with these ids, by id (ids not found are left out)."""
        ...

    async def live_for(self, program_id: UUID, person_id: UUID) -> Enrollment | None: ...
    async def count_admitted(self, program_id: UUID) -> int: ...
    async def count_of_active_people(self, program_id: UUID, statuses: frozenset[EnrollmentStatus]) -> int:
        """Enrollments of the program in these statuses whose person is active (one counting query)."""
        ...

    async def list(self, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]: ...


class MatchingRunRepository(Protocol):
    def add(self, run: MatchingRun) -> None: ...
    async def get(self, run_id: UUID) -> MatchingRun | None: ...
    async def list(self, program_id: UUID, page: PageRequest) -> Page[MatchingRun]: ...
    async def set_progress(self, run_id: UUID, fraction: float) -> None: ...
    async def save_result(
        self,
        run_id: UUID,
        pairs: Sequence[ProposedPair],
        left: Sequence[Unmatched],
        new_id: Callable[[], UUID],
    ) -> None: ...
    async def proposals(self, run_id: UUID, page: PageRequest) -> Page[ProposedPair]: ...
    async def all_proposals(self, run_id: UUID) -> builtins.list[ProposedPair]: ...
    async def unmatched(self, run_id: UUID, page: PageRequest) -> Page[Unmatched]: ...
