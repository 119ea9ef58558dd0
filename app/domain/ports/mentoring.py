"""Relationships, their meetings and goals, and the calendar feeds that publish the meetings."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.domain.goals import LearningGoal
from app.domain.meetings import Meeting, Reflection
from app.domain.ports.common import Page, PageRequest
from app.domain.relationships import PairExclusion, Relationship, RelationshipStatus


@dataclass(frozen=True)
class RelationshipFilter:
    program_id: UUID | None = None
    statuses: frozenset[RelationshipStatus] = field(default_factory=frozenset)
    person_id: UUID | None = None


@dataclass(frozen=True)
class CalendarFeed:
    """A person's secret calendar URL; only the SHA-256 hex digest of the secret is kept."""

    id: UUID
    person_id: UUID
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


class RelationshipRepository(Protocol):
    def add(self, relationship: Relationship) -> None: ...
    async def get(self, relationship_id: UUID) -> Relationship | None: ...
    async def list(self, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]: ...
    async def live_of(self, person_id: UUID, program_id: UUID | None = None) -> builtins.list[Relationship]:
        """Proposed, active or paused relationships the person is a member of."""
        ...

    async def live_pairs(self, program_id: UUID, person_ids: Sequence[UUID]) -> builtins.list[tuple[UUID, UUID]]:
        """The two members of each live relationship of the program that includes one of
        ``person_ids``, as this unit of work sees them (its own unwritten changes included)."""
        ...

    async def exclusions(self, program_id: UUID) -> frozenset[frozenset[UUID]]: ...
    async def add_exclusion(self, exclusion: PairExclusion, *, exclusion_id: UUID) -> None:
        """Store a pair exclusion; a pair already excluded stays as it is."""
        ...


class MeetingRepository(Protocol):
    def add(self, meeting: Meeting) -> None: ...
    async def get(self, meeting_id: UUID) -> Meeting | None: ...
    async def of_relationship(self, relationship_id: UUID) -> builtins.list[Meeting]:
        """Every meeting of the pair in start-time order (the role-turn engine reads them all)."""
        ...

    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]: ...
    async def of_person(self, person_id: UUID) -> builtins.list[Meeting]: ...
    async def reflection(self, meeting_id: UUID, author_id: UUID) -> Reflection | None:
        """The author's own reflection: always asked for by (meeting, author), never listed."""
        ...

    async def save_reflection(self, meeting_id: UUID, reflection: Reflection) -> None: ...


class GoalRepository(Protocol):
    def add(self, goal: LearningGoal) -> None: ...
    async def get(self, goal_id: UUID) -> LearningGoal | None: ...


class CalendarFeedRepository(Protocol):
    async def add(self, feed: CalendarFeed) -> None: ...
    async def by_hash(self, token_hash: str) -> CalendarFeed | None: ...
    async def active_of(self, person_id: UUID) -> list[CalendarFeed]: ...
    async def revoke_all(self, person_id: UUID, *, now: datetime) -> int: ...
