"""Feedback: check-ins, surveys, stories, recognitions and concerns."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.stories import Recognition, Story
from app.domain.surveys import Ballot, MixedResponse, Survey


@dataclass(frozen=True)
class CheckinFilter:
    program_id: UUID | None = None
    relationship_id: UUID | None = None
    person_id: UUID | None = None


class CheckinRepository(Protocol):
    def add(self, checkin: CheckIn) -> None: ...
    async def get(self, checkin_id: UUID) -> CheckIn | None: ...
    async def open_for(self, relationship_id: UUID, person_id: UUID) -> CheckIn | None:
        """The member's check-in that is due and not yet submitted, if any."""
        ...

    async def last_due(self, relationship_ids: Sequence[UUID]) -> dict[tuple[UUID, UUID], datetime]:
        """(relationship, person) → when their latest check-in became due."""
        ...

    async def overdue(self, due_before: datetime) -> builtins.list[CheckIn]:
        """Due check-ins that became due before ``due_before`` and were never submitted."""
        ...


class SurveyRepository(Protocol):
    def add(self, survey: Survey) -> None: ...
    async def get(self, survey_id: UUID, *, lock: bool = False) -> Survey | None:
        """``lock``: serialise the survey's submissions (the batch mixing counts the ballot box)."""
        ...

    async def on_schedule(self, now: datetime) -> builtins.list[Survey]:
        """Drafts whose opening time passed and open surveys whose closing time passed."""
        ...

    async def has_answered(self, survey_id: UUID, person_id: UUID) -> bool: ...
    async def record_answered(self, survey_id: UUID, person_id: UUID) -> None:
        """The ledger: *that* the person answered, nothing more."""
        ...

    async def drop_ballot(self, survey_id: UUID, ballot: Ballot) -> None: ...
    async def ballots_waiting(self, survey_id: UUID) -> int: ...
    async def take_ballots(self, survey_id: UUID) -> builtins.list[Ballot]:
        """Empty the ballot box: its ballots, removed."""
        ...

    async def store_mixed(self, survey_id: UUID, responses: Sequence[MixedResponse]) -> None:
        """Write mixed responses in the order given, each under a fresh random (v4) id."""
        ...


class StoryRepository(Protocol):
    def add(self, story: Story) -> None: ...
    async def get(self, story_id: UUID) -> Story | None: ...
    async def remove(self, story: Story) -> None: ...


class RecognitionRepository(Protocol):
    def add(self, recognition: Recognition) -> None: ...
    async def get(self, recognition_id: UUID) -> Recognition | None: ...


class ConcernRepository(Protocol):
    def add(self, concern: Concern) -> None: ...
    async def get(self, concern_id: UUID) -> Concern | None: ...
