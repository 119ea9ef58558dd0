"""The read side in memory: what is stored, with "who may see what" asked of the policy functions
themselves (the SQL read side compiles the same rules; tests/integration proves the two agree)."""

from __future__ import annotations

import builtins
import copy
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar
from uuid import UUID

from app.domain import policies
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
from app.domain.read_side import ProgramAccess, RelationshipAccess
from app.domain.relationships import Relationship
from app.domain.role_turns import MeetingEntry
from app.domain.skills import Skill, SkillCategory
from app.domain.stories import Recognition, Story
from app.domain.surveys import MixedResponse, Survey

if TYPE_CHECKING:
    from fake_store import Store


class HasId(Protocol):
    @property
    def id(self) -> UUID: ...


T = TypeVar("T", bound=HasId)


def page_of(items: Iterable[T], page: PageRequest) -> Page[T]:
    """Keyset pagination in id order, as the SQL side pages."""
    ordered = sorted((i for i in items if page.after is None or i.id > page.after), key=lambda i: i.id)
    if len(ordered) > page.limit:
        kept = ordered[: page.limit]
        return Page(items=kept, next_after=kept[-1].id)
    return Page(items=ordered)


class FakeReadSide:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _access(self, actor: Actor, program_id: UUID) -> ProgramAccess:
        program = self.store.programs[program_id]
        return ProgramAccess(
            program_id=program_id,
            caller_id=actor.person_id,
            caller_coordinates=program.is_coordinator(actor.person_id),
            caller_on_committee=program.is_committee_member(actor.person_id),
        )

    def _pair_visible(self, actor: Actor, member_ids: Sequence[UUID], program_id: UUID) -> bool:
        return policies.can_read_relationship(actor, self._access(actor, program_id), member_ids)

    # --- relationships ----------------------------------------------------------------------------
    async def relationship_access(self, actor: Actor, relationship_id: UUID) -> RelationshipAccess | None:
        found = self.store.relationships.get(relationship_id)
        if found is None or not self._pair_visible(actor, found.member_ids, found.program_id):
            return None
        return RelationshipAccess(found.id, found.member_ids, found.status, self._access(actor, found.program_id))

    async def relationship(self, actor: Actor, relationship_id: UUID) -> Relationship | None:
        return (await self.relationships_by_ids(actor, [relationship_id])).get(relationship_id)

    async def relationships_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Relationship]:
        return {
            r.id: copy.deepcopy(r)
            for r in (self.store.relationships.get(i) for i in ids)
            if r is not None and self._pair_visible(actor, r.member_ids, r.program_id)
        }

    async def relationships(self, actor: Actor, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]:
        return page_of(
            (
                copy.deepcopy(r)
                for r in self.store.relationships.values()
                if self._pair_visible(actor, r.member_ids, r.program_id)
                and (flt.program_id is None or r.program_id == flt.program_id)
                and (not flt.statuses or r.status in flt.statuses)
                and (flt.person_id is None or r.is_member(flt.person_id))
            ),
            page,
        )

    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]:
        found: dict[UUID, list[datetime]] = {ident: [] for ident in relationship_ids}
        for meeting in sorted(self.store.meetings.values(), key=lambda m: m.starts_at):
            if meeting.relationship_id in found and meeting.status == "held":
                found[meeting.relationship_id].append(meeting.starts_at)
        return found

    async def meeting_entries(self, relationship_id: UUID) -> builtins.list[MeetingEntry]:
        meetings = [m for m in self.store.meetings.values() if m.relationship_id == relationship_id]
        return [MeetingEntry.of(m) for m in sorted(meetings, key=lambda m: (m.starts_at, m.id))]

    async def meeting_entries_of(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[MeetingEntry]]:
        return {ident: await self.meeting_entries(ident) for ident in relationship_ids}

    # --- meetings and goals -----------------------------------------------------------------------
    async def meeting(self, actor: Actor, meeting_id: UUID) -> Meeting | None:
        found = self.store.meetings.get(meeting_id)
        if found is None or not self._pair_visible(actor, found.member_ids, found.program_id):
            return None
        return copy.deepcopy(found)

    async def meetings(
        self, relationship_id: UUID, statuses: frozenset[MeetingStatus], page: PageRequest
    ) -> Page[Meeting]:
        return page_of(
            (
                copy.deepcopy(m)
                for m in self.store.meetings.values()
                if m.relationship_id == relationship_id and (not statuses or m.status in statuses)
            ),
            page,
        )

    async def meetings_of(self, actor: Actor, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[Meeting]]:
        found: dict[UUID, list[Meeting]] = {ident: [] for ident in relationship_ids}
        for meeting in sorted(self.store.meetings.values(), key=lambda m: (m.starts_at, m.id)):
            if meeting.relationship_id in found and self._pair_visible(actor, meeting.member_ids, meeting.program_id):
                found[meeting.relationship_id].append(copy.deepcopy(meeting))
        return found

    async def goal(self, actor: Actor, goal_id: UUID) -> LearningGoal | None:
        found = self.store.goals.get(goal_id)
        if found is None or not self._pair_visible(actor, (found.owner_id, found.partner_id), found.program_id):
            return None
        return copy.deepcopy(found)

    async def goals(self, relationship_id: UUID, page: PageRequest) -> Page[LearningGoal]:
        return page_of(
            (copy.deepcopy(g) for g in self.store.goals.values() if g.relationship_id == relationship_id), page
        )

    async def goals_of(self, actor: Actor, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[LearningGoal]]:
        found: dict[UUID, list[LearningGoal]] = {ident: [] for ident in relationship_ids}
        for goal in sorted(self.store.goals.values(), key=lambda g: g.id):
            members = (goal.owner_id, goal.partner_id)
            if goal.relationship_id in found and self._pair_visible(actor, members, goal.program_id):
                found[goal.relationship_id].append(copy.deepcopy(goal))
        return found

    # --- people and skills ------------------------------------------------------------------------
    def _person_visible(self, actor: Actor, person_id: UUID) -> bool:
        me = actor.person_id
        partners = {
            next(m for m in r.member_ids if m != me)
            for r in self.store.relationships.values()
            if me is not None and r.is_member(me)
        }
        return policies.can_read_person(actor, person_id, partner_ids=partners)

    async def person(self, actor: Actor, person_id: UUID) -> Person | None:
        return (await self.people_by_ids(actor, [person_id])).get(person_id)

    async def people_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Person]:
        return {
            p.id: copy.deepcopy(p)
            for p in (self.store.people.get(i) for i in ids)
            if p is not None and self._person_visible(actor, p.id)
        }

    async def people(self, flt: PeopleFilter, page: PageRequest) -> Page[Person]:
        def keep(p: Person) -> bool:
            text = f"{p.display_name} {p.email}".lower()
            return (
                (flt.department is None or p.department == flt.department)
                and (flt.location is None or p.location == flt.location)
                and (flt.active is None or p.active == flt.active)
                and (flt.manager_id is None or p.manager_id == flt.manager_id)
                and (not flt.q or flt.q.lower() in text)
            )

        return page_of((copy.deepcopy(p) for p in self.store.people.values() if keep(p)), page)

    async def skill(self, skill_id: UUID) -> Skill | None:
        found = self.store.skills.get(skill_id)
        return None if found is None else copy.deepcopy(found)

    async def skills_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Skill]:
        return {i: copy.deepcopy(self.store.skills[i]) for i in ids if i in self.store.skills}

    async def skills(self, category: SkillCategory | None, page: PageRequest) -> Page[Skill]:
        return page_of((s for s in self.store.skills.values() if category is None or s.category == category), page)

    # --- programs ---------------------------------------------------------------------------------
    async def program_access(self, actor: Actor, program_id: UUID) -> ProgramAccess | None:
        return self._access(actor, program_id) if program_id in self.store.programs else None

    async def program(self, program_id: UUID) -> Program | None:
        found = self.store.programs.get(program_id)
        return None if found is None else copy.deepcopy(found)

    async def programs_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Program]:
        return {i: copy.deepcopy(self.store.programs[i]) for i in ids if i in self.store.programs}

    async def programs(self, flt: ProgramFilter, page: PageRequest) -> Page[Program]:
        def keep(p: Program) -> bool:
            return (
                (flt.status is None or p.status is flt.status)
                and (flt.kind is None or p.kind is flt.kind)
                and (flt.coordinator_id is None or p.is_coordinator(flt.coordinator_id))
            )

        return page_of((copy.deepcopy(p) for p in self.store.programs.values() if keep(p)), page)

    async def comments(self, program_id: UUID, page: PageRequest) -> Page[ProposalComment]:
        return page_of((c for c in self.store.comments if c.program_id == program_id), page)

    async def reviews(self, program_id: UUID, page: PageRequest) -> Page[CommitteeReview]:
        return page_of((r for r in self.store.reviews if r.program_id == program_id), page)

    async def invitations(self, program_id: UUID, page: PageRequest) -> Page[Invitation]:
        return page_of((i for i in self.store.invitations if i.program_id == program_id), page)

    # --- enrollments ------------------------------------------------------------------------------
    def _enrollment_visible(self, actor: Actor, enrollment: Enrollment) -> bool:
        access = self._access(actor, enrollment.program_id)
        return policies.can_read_enrollment(actor, access, enrollment.person_id)

    async def enrollment(self, actor: Actor, enrollment_id: UUID) -> Enrollment | None:
        return (await self.enrollments_by_ids(actor, [enrollment_id])).get(enrollment_id)

    async def enrollments(self, actor: Actor, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]:
        def keep(e: Enrollment) -> bool:
            return (
                self._enrollment_visible(actor, e)
                and (flt.program_id is None or e.program_id == flt.program_id)
                and (flt.person_id is None or e.person_id == flt.person_id)
                and (not flt.statuses or e.status in flt.statuses)
            )

        return page_of((copy.deepcopy(e) for e in self.store.enrollments.values() if keep(e)), page)

    async def enrollments_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Enrollment]:
        return {
            e.id: copy.deepcopy(e)
            for e in (self.store.enrollments.get(i) for i in ids)
            if e is not None and self._enrollment_visible(actor, e)
        }

    # --- feedback ---------------------------------------------------------------------------------
    def _checkin_visible(self, actor: Actor, checkin: CheckIn) -> bool:
        return policies.can_read_checkin(actor, self._access(actor, checkin.program_id), checkin.person_id)

    async def checkin(self, actor: Actor, checkin_id: UUID) -> CheckIn | None:
        found = self.store.checkins.get(checkin_id)
        return copy.deepcopy(found) if found is not None and self._checkin_visible(actor, found) else None

    async def checkins(self, actor: Actor, flt: CheckinFilter, page: PageRequest) -> Page[CheckIn]:
        return page_of(
            (
                copy.deepcopy(c)
                for c in self.store.checkins.values()
                if self._checkin_visible(actor, c)
                and flt.program_id in (None, c.program_id)
                and flt.relationship_id in (None, c.relationship_id)
                and flt.person_id in (None, c.person_id)
            ),
            page,
        )

    async def checkin_signals(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[CheckinSignal]]:
        found: dict[UUID, list[CheckinSignal]] = {ident: [] for ident in relationship_ids}
        for c in sorted(self.store.checkins.values(), key=lambda c: c.id):
            if c.relationship_id not in found or c.status == "due":
                continue
            at = c.submitted_at if c.status == "submitted" else c.due_at
            assert at is not None
            found[c.relationship_id].append(
                CheckinSignal(at, c.rating if c.status == "submitted" else None, c.person_id)
            )
        return found

    async def survey(self, survey_id: UUID) -> Survey | None:
        found = self.store.surveys.get(survey_id)
        return copy.deepcopy(found) if found is not None else None

    async def surveys(self, program_id: UUID, page: PageRequest) -> Page[Survey]:
        return page_of((copy.deepcopy(s) for s in self.store.surveys.values() if s.program_id == program_id), page)

    async def survey_respondents(self, survey_id: UUID) -> int:
        return sum(1 for sid, _ in self.store.survey_ledger if sid == survey_id)

    async def survey_responses(self, survey_id: UUID) -> builtins.list[MixedResponse]:
        return list(self.store.survey_responses.get(survey_id, []))

    async def survey_population(self, program_id: UUID) -> dict[UUID, dict[str, str | None]]:
        found: dict[UUID, dict[str, str | None]] = {}
        for e in sorted(self.store.enrollments.values(), key=lambda e: e.id):
            paired = any(
                r.program_id == program_id and r.activated_at is not None and e.person_id in r.member_ids
                for r in self.store.relationships.values()
            )
            if e.program_id == program_id and (e.status in ("matched", "completed") or paired):
                person = self.store.people[e.person_id]
                found[e.person_id] = {
                    "role": str(e.profile.role_preference),
                    "department": person.department,
                    "generation": person.generation,
                }
        return found

    def _concern_visible(self, actor: Actor, concern: Concern) -> bool:
        return policies.can_read_concern(actor, self._access(actor, concern.program_id), concern.raised_by)

    async def concern(self, actor: Actor, concern_id: UUID) -> Concern | None:
        found = self.store.concerns.get(concern_id)
        return copy.deepcopy(found) if found is not None and self._concern_visible(actor, found) else None

    async def concerns(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Concern]:
        return page_of(
            (
                copy.deepcopy(c)
                for c in self.store.concerns.values()
                if self._concern_visible(actor, c) and program_id in (None, c.program_id)
            ),
            page,
        )

    def _story_visible(self, actor: Actor, story: Story) -> bool:
        return policies.can_read_story(
            actor,
            self._access(actor, story.program_id),
            published=story.status == "published",
            author_id=story.author_id,
            partner_id=story.partner_id,
        )

    async def story(self, actor: Actor, story_id: UUID) -> Story | None:
        found = self.store.stories.get(story_id)
        return copy.deepcopy(found) if found is not None and self._story_visible(actor, found) else None

    async def stories(self, actor: Actor, program_id: UUID | None, page: PageRequest) -> Page[Story]:
        return page_of(
            (
                copy.deepcopy(s)
                for s in self.store.stories.values()
                if self._story_visible(actor, s) and program_id in (None, s.program_id)
            ),
            page,
        )

    def _recognition_visible(self, actor: Actor, recognition: Recognition) -> bool:
        return policies.can_read_recognition(actor, self._access(actor, recognition.program_id), recognition.person_id)

    async def recognition(self, actor: Actor, recognition_id: UUID) -> Recognition | None:
        found = self.store.recognitions.get(recognition_id)
        return copy.deepcopy(found) if found is not None and self._recognition_visible(actor, found) else None

    async def recognitions(
        self, actor: Actor, program_id: UUID | None, person_id: UUID | None, page: PageRequest
    ) -> Page[Recognition]:
        return page_of(
            (
                copy.deepcopy(r)
                for r in self.store.recognitions.values()
                if self._recognition_visible(actor, r)
                and program_id in (None, r.program_id)
                and person_id in (None, r.person_id)
            ),
            page,
        )

    async def program_metrics(
        self, program_id: UUID | None, now: datetime, k: int = METRICS_K
    ) -> ProgramMetrics | None:
        """Metrics are SQL aggregates: they are checked against hand-computed values on both databases
        (tests/api/feedback/test_metrics.py), never through the in-memory fake."""
        raise AssertionError("program metrics are tested on the databases")

    # --- jobs: the fast tier runs no jobs (job requests are kept as requests, store.jobs) ----------
    async def job(self, job_id: UUID) -> Job | None:
        return None

    async def jobs(self, flt: JobFilter, page: PageRequest) -> Page[Job]:
        return Page(items=[])
