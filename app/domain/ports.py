"""Protocols the services need. Adapters implement them; unit tests use fakes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, Self, TypeVar
from uuid import UUID

from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.events import DomainEvent
from app.domain.people import Person
from app.domain.programs import CommitteeReview, Program, ProgramKind, ProgramStatus, ProposalComment
from app.domain.skills import Skill, SkillCategory

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID:
        """A fresh time-ordered id (UUIDv7)."""
        ...


@dataclass(frozen=True)
class PageRequest:
    """Keyset pagination: items after ``after`` (an id), in id order (ids are time-ordered)."""

    limit: int = 50
    after: UUID | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_after: UUID | None = None


@dataclass(frozen=True)
class PeopleFilter:
    department: str | None = None
    location: str | None = None
    active: bool | None = None
    manager_id: UUID | None = None
    q: str | None = None  # name or email contains


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


@dataclass(frozen=True)
class Invitation:
    id: UUID
    program_id: UUID
    person_id: UUID
    invited_by: UUID | None
    message: str
    created_at: datetime


class PeopleRepository(Protocol):
    def add(self, person: Person) -> None: ...
    async def get(self, person_id: UUID) -> Person | None: ...
    async def get_many(self, ids: Sequence[UUID]) -> list[Person]: ...
    async def by_email(self, email: str) -> Person | None: ...
    async def by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Person]: ...
    async def manager_map(self) -> dict[UUID, UUID | None]: ...
    async def list(self, flt: PeopleFilter, page: PageRequest) -> Page[Person]: ...
    async def link_identity(self, *, issuer: str, subject: str, person_id: UUID, now: datetime) -> None: ...
    async def by_identity(self, *, issuer: str, subject: str) -> Person | None: ...


class SkillRepository(Protocol):
    def add(self, skill: Skill) -> None: ...
    async def get(self, skill_id: UUID) -> Skill | None: ...
    async def by_name(self, name: str) -> Skill | None: ...
    async def existing_ids(self, ids: Sequence[UUID]) -> set[UUID]: ...
    async def list(self, category: SkillCategory | None, page: PageRequest) -> Page[Skill]: ...


class ProgramRepository(Protocol):
    def add(self, program: Program) -> None: ...
    async def get(self, program_id: UUID, *, lock: bool = False) -> Program | None: ...
    async def list(self, flt: ProgramFilter, page: PageRequest) -> Page[Program]: ...
    async def add_comment(self, comment: ProposalComment) -> None: ...
    async def comments(self, program_id: UUID, page: PageRequest) -> Page[ProposalComment]: ...
    async def add_review(self, review: CommitteeReview) -> None: ...
    async def reviews(self, program_id: UUID, page: PageRequest) -> Page[CommitteeReview]: ...
    async def add_invitation(self, invitation: Invitation) -> None: ...
    async def invitations(self, program_id: UUID, page: PageRequest) -> Page[Invitation]: ...


class EnrollmentRepository(Protocol):
    def add(self, enrollment: Enrollment) -> None: ...
    async def get(self, enrollment_id: UUID) -> Enrollment | None: ...
    async def live_for(self, program_id: UUID, person_id: UUID) -> Enrollment | None: ...
    async def count_admitted(self, program_id: UUID) -> int: ...
    async def list(self, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]: ...


class UnitOfWork(Protocol):
    """One business transaction. Only the unit of work commits.

    ``commit`` writes every changed aggregate and, in the same transaction, one outbox row per domain
    event raised during the use case. Leaving the block without committing rolls everything back.
    """

    @property
    def people(self) -> PeopleRepository: ...
    @property
    def skills(self) -> SkillRepository: ...
    @property
    def programs(self) -> ProgramRepository: ...
    @property
    def enrollments(self) -> EnrollmentRepository: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def ids(self) -> IdGenerator: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
    def record(self, event: DomainEvent) -> None:
        """An event not raised by a loaded aggregate (e.g. a creation), written at commit."""
        ...
