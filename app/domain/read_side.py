"""The read side: what screens show, read straight from storage, with "who may see what" applied by
the storage itself (in SQL), one query per kind of thing however many things a page shows.

Write use cases load aggregates through repositories (``app.domain.ports``); everything that only shows data
— single reads, lists, GraphQL fields through DataLoaders, permission checks — asks the read side.
Methods taking an ``actor`` return only what ``policies`` lets that actor see (a test proves the SQL
and the policies agree for every kind of caller); those without one are for callers who already
checked access (e.g. a relationship's meetings once the relationship itself was found visible).

Read models are frozen views. Where an aggregate's fields are exactly what a screen shows (a person,
an enrollment), the read side returns that dataclass built straight from its row — no tracking, no
snapshot, and no child collection the view does not need.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.domain.actors import Actor
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.enrollments import Enrollment
from app.domain.goals import LearningGoal
from app.domain.health import CheckinSignal
from app.domain.jobs import Job, JobFilter
from app.domain.meetings import Meeting, MeetingStatus
from app.domain.metrics import METRICS_K, ProgramMetrics
from app.domain.people import Person
from app.domain.ports import (
    CheckinFilter,
    EnrollmentFilter,
    Page,
    PageRequest,
    PeopleFilter,
    ProgramFilter,
    RelationshipFilter,
)
from app.domain.programs import Program
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment
from app.domain.relationships import Relationship, RelationshipStatus
from app.domain.role_turns import MeetingEntry
from app.domain.skills import Skill, SkillCategory
from app.domain.stories import Recognition, Story
from app.domain.surveys import MixedResponse, Survey


@dataclass(frozen=True)
class ProgramAccess:
    """The caller's roles in one program, read as one narrow row for a permission check. It answers
    the policies' questions (``is_coordinator``, ``is_committee_member``) for that caller only."""

    program_id: UUID
    caller_id: UUID | None
    caller_coordinates: bool
    caller_on_committee: bool

    def is_coordinator(self, person_id: UUID | None) -> bool:
        return person_id is not None and person_id == self.caller_id and self.caller_coordinates

    def is_committee_member(self, person_id: UUID | None) -> bool:
        return person_id is not None and person_id == self.caller_id and self.caller_on_committee


@dataclass(frozen=True)
class RelationshipAccess:
    """The one narrow row a permission check on a relationship needs."""

    relationship_id: UUID
    member_ids: tuple[UUID, UUID]
    status: RelationshipStatus
    program: ProgramAccess


class ReadSide(Protocol):
    # --- relationships ----------------------------------------------------------------------------
    async def relationship_access(self, actor: Actor, relationship_id: UUID) -> RelationshipAccess | None:
        """None when it does not exist or the caller may not see it."""
        ...

    async def relationship(self, actor: Actor, relationship_id: UUID) -> Relationship | None: ...
    async def relationships_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Relationship]: ...
    async def relationships(self, actor: Actor, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]: ...
    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]: ...
    async def meeting_entries(self, relationship_id: UUID) -> builtins.list[MeetingEntry]:
        """What the role-turn engine reads of a pair's meetings, in start-time order."""
        ...

    async def meeting_entries_of(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[MeetingEntry]]:
        """``meeting_entries`` for many pairs at once (their visibility already checked)."""
        ...

    # --- meetings and goals -----------------------------------------------------------------------
    async def meeting(self, actor: Actor, meeting_id: UUID) -> Meeting | None: ...
    async def meetings(
        self, relationship_id: UUID, statuses: frozenset[MeetingStatus], page: PageRequest
    ) -> Page[Meeting]: ...
    async def meetings_of(
        self, actor: Actor, relationship_ids: Sequence[UUID]
    ) -> dict[UUID, builtins.list[Meeting]]: ...
    async def goal(self, actor: Actor, goal_id: UUID) -> LearningGoal | None: ...
    async def goals(self, relationship_id: UUID, page: PageRequest) -> Page[LearningGoal]: ...
    async def goals_of(
        self, actor: Actor, relationship_ids: Sequence[UUID]
    ) -> dict[UUID, builtins.list[LearningGoal]]: ...

    # --- people and skills ------------------------------------------------------------------------
    async def person(self, actor: Actor, person_id: UUID) -> Person | None: ...
    async def people_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Person]: ...
    async def people(self, flt: PeopleFilter, page: PageRequest) -> Page[Person]:
        """The directory; the caller checked that the actor may browse it."""
        ...

    async def skill(self, skill_id: UUID) -> Skill | None: ...
    async def skills_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Skill]: ...
    async def skills(self, category: SkillCategory | None, page: PageRequest) -> Page[Skill]: ...

    # --- programs ---------------------------------------------------------------------------------
    async def program_access(self, actor: Actor, program_id: UUID) -> ProgramAccess | None: ...
    async def program(self, program_id: UUID) -> Program | None: ...
    async def programs_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Program]: ...
    async def programs(self, flt: ProgramFilter, page: PageRequest) -> Page[Program]: ...
    async def comments(self, program_id: UUID, page: PageRequest) -> Page[ProposalComment]: ...
    async def reviews(self, program_id: UUID, page: PageRequest) -> Page[CommitteeReview]: ...
    async def invitations(self, program_id: UUID, page: PageRequest) -> Page[Invitation]: ...

    # --- enrollments ------------------------------------------------------------------------------
    async def enrollment(self, actor: Actor, enrollment_id: UUID) -> Enrollment | None: ...
    async def enrollments(self, actor: Actor, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]: ...
    async def enrollments_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Enrollment]: ...

    # --- feedback ---------------------------------------------------------------------------------
    async def checkin(self, actor: Actor, checkin_id: UUID) -> CheckIn | None:
        """The author and the program's coordinators (and admins) — never the partner."""
        ...

    async def checkins(self, actor: Actor, flt: CheckinFilter, page: PageRequest) -> Page[CheckIn]: ...
    async def checkin_signals(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[CheckinSignal]]:
        """What health reads of each pair's check-ins: submitted ratings and missed ones, no text."""
        ...

    async def survey(self, survey_id: UUID) -> Survey | None: ...
    async def surveys(self, program_id: UUID, page: PageRequest) -> Page[Survey]: ...
    async def survey_respondents(self, survey_id: UUID) -> int:
        """How many answered (the ledger's count): a response rate, never who or when."""
        ...

    async def survey_responses(self, survey_id: UUID) -> builtins.list[MixedResponse]: ...
    async def survey_population(self, program_id: UUID) -> dict[UUID, dict[str, str | None]]:
        """The program's participants (matched or completed, or once in one of its active pairs) →
        their groups (role, department, generation): who may answer its survey, and how large each
        group is."""
        ...

    async def concern(self, actor: Actor, concern_id: UUID) -> Concern | None:
        """The raiser and the program's coordinators; anyone else (admins too) gets None."""
        ...

    async def concerns(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Concern]: ...

    async def story(self, actor: Actor, story_id: UUID) -> Story | None:
        """Published: every employee; otherwise its author, the partner it names and the program's
        coordinators (and admins)."""
        ...

    async def stories(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Story]: ...
    async def recognition(self, actor: Actor, recognition_id: UUID) -> Recognition | None:
        """The person recognised and the program's staff."""
        ...

    async def recognitions(
        self, actor: Actor, program_id: UUID | None, person_id: UUID | None, page: PageRequest
    ) -> Page[Recognition]: ...

    async def program_metrics(
        self, program_id: UUID | None, now: datetime, k: int = METRICS_K
    ) -> ProgramMetrics | None:
        """The program's metrics at ``now`` (None when it does not exist), small cells withheld;
        ``program_id=None``: every program at once, for the organisation-wide view."""
        ...

    # --- jobs -------------------------------------------------------------------------------------
    async def job(self, job_id: UUID) -> Job | None:
        """One job; the caller checked that the actor may see jobs."""
        ...

    async def jobs(self, flt: JobFilter, page: PageRequest) -> Page[Job]:
        """Jobs in id (creation) order; the caller checked that the actor may see jobs."""
        ...
