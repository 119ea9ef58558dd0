"""The repositories of the fake unit of work: each port's methods over the in-memory store."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from fake_reads import page_of
from fake_store import Store, Tracking

from app.domain.api_keys import ApiKey
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.enrollments import ADMITTED, LIVE, Enrollment, EnrollmentStatus
from app.domain.errors import DomainError
from app.domain.goals import LearningGoal
from app.domain.identities import LinkedIdentity
from app.domain.jobs import JobRequest
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun
from app.domain.meetings import Meeting, Reflection
from app.domain.people import Person
from app.domain.ports import (
    AttemptResult,
    CalendarFeed,
    EnrollmentFilter,
    Page,
    PageRequest,
    RelationshipFilter,
    WebhookAttempt,
    WebhookMessage,
)
from app.domain.programs import Program
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment
from app.domain.relationships import LIVE_STATUSES, PairExclusion, Relationship
from app.domain.skills import Skill
from app.domain.stories import Recognition, Story
from app.domain.surveys import Ballot, MixedResponse, Survey
from app.domain.webhooks import MessageStatus, WebhookEndpoint


class People(Tracking[Person]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.people)
        self._store, self._staged = store, staged

    async def get(self, person_id: UUID) -> Person | None:
        return self._load(person_id)

    async def get_many(self, ids: Sequence[UUID]) -> list[Person]:
        return [p for p in (self._load(i) for i in dict.fromkeys(ids)) if p is not None]

    async def by_email(self, email: str) -> Person | None:
        found = self._where(lambda p: p.email == email.strip().lower())
        return found[0] if found else None

    async def by_emails(self, emails: Sequence[str]) -> dict[str, Person]:
        wanted = {e.strip().lower() for e in emails}
        return {p.email: p for p in self._where(lambda p: p.email in wanted)}

    async def by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Person]:
        wanted = set(external_ids)
        return {p.external_id: p for p in self._where(lambda p: p.external_id in wanted) if p.external_id}

    async def manager_map(self) -> dict[UUID, UUID | None]:
        return {p.id: p.manager_id for p in self._rows.values()}

    async def managers_above(self, ids: Sequence[UUID], depth: int = 1000) -> dict[UUID, UUID | None]:
        found: dict[UUID, UUID | None] = {}
        frontier = set(ids)
        for _ in range(depth + 1):
            frontier = {i for i in frontier - found.keys() if i in self._rows}
            if not frontier:
                break
            found.update({i: self._rows[i].manager_id for i in frontier})
            frontier = {m for m in (found[i] for i in frontier) if m is not None}
        return found

    async def link_identity(self, *, issuer: str, subject: str, person_id: UUID, now: datetime) -> bool:
        if (issuer, subject) in self._store.identities:
            return False
        linked = LinkedIdentity(issuer=issuer, subject=subject, person_id=person_id, created_at=now)
        self._staged.append(lambda: self._store.identities.setdefault((issuer, subject), linked))
        return True

    async def by_identity(self, *, issuer: str, subject: str) -> Person | None:
        linked = self._store.identities.get((issuer, subject))
        return None if linked is None else self._load(linked.person_id)

    async def identities_of(self, person_id: UUID) -> list[LinkedIdentity]:
        found = [i for i in self._store.identities.values() if i.person_id == person_id]
        return sorted(found, key=lambda i: i.created_at)

    async def unlink_identity(self, *, issuer: str, subject: str, person_id: UUID) -> bool:
        linked = self._store.identities.get((issuer, subject))
        if linked is None or linked.person_id != person_id:
            return False
        self._staged.append(lambda: self._store.identities.pop((issuer, subject), None))
        return True


class Skills(Tracking[Skill]):
    async def by_name(self, name: str) -> Skill | None:
        found = self._where(lambda s: s.name.lower() == name.lower())
        return found[0] if found else None

    async def existing_ids(self, ids: Sequence[UUID]) -> set[UUID]:
        return {i for i in ids if i in self._rows}


class Programs(Tracking[Program]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.programs)
        self._store, self._staged = store, staged

    async def get(self, program_id: UUID, *, lock: bool = False) -> Program | None:
        return self._load(program_id)

    async def add_comment(self, comment: ProposalComment) -> None:
        self._staged.append(lambda: self._store.comments.append(comment))

    async def add_review(self, review: CommitteeReview) -> None:
        self._staged.append(lambda: self._store.reviews.append(review))

    async def add_invitation(self, invitation: Invitation) -> None:
        self._staged.append(lambda: self._store.invitations.append(invitation))


class Enrollments(Tracking[Enrollment]):
    def __init__(self, store: Store) -> None:
        super().__init__(store.enrollments)
        self._store = store

    async def get(self, enrollment_id: UUID) -> Enrollment | None:
        return self._load(enrollment_id)

    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, Enrollment]:
        return {e.id: e for e in (self._load(i) for i in dict.fromkeys(ids)) if e is not None}

    async def live_for(self, program_id: UUID, person_id: UUID) -> Enrollment | None:
        found = self._where(lambda e: (e.program_id, e.person_id) == (program_id, person_id) and e.status in LIVE)
        return found[0] if found else None

    async def count_admitted(self, program_id: UUID) -> int:
        return sum(1 for e in self._rows.values() if e.program_id == program_id and e.status in ADMITTED)

    async def count_of_active_people(self, program_id: UUID, statuses: frozenset[EnrollmentStatus]) -> int:
        people = self._store.people
        return sum(
            1
            for e in self._rows.values()
            if e.program_id == program_id and e.status in statuses and people[e.person_id].active
        )

    async def list(self, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]:
        def keep(e: Enrollment) -> bool:
            return (
                (flt.program_id is None or e.program_id == flt.program_id)
                and (flt.person_id is None or e.person_id == flt.person_id)
                and (not flt.statuses or e.status in flt.statuses)
            )

        return page_of(self._where(keep), page)


class Relationships(Tracking[Relationship]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.relationships)
        self._store, self._staged = store, staged

    async def get(self, relationship_id: UUID) -> Relationship | None:
        return self._load(relationship_id)

    async def list(self, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]:
        def keep(r: Relationship) -> bool:
            return (
                (flt.program_id is None or r.program_id == flt.program_id)
                and (not flt.statuses or r.status in flt.statuses)
                and (flt.person_id is None or r.is_member(flt.person_id))
            )

        return page_of(self._where(keep), page)

    async def live_of(self, person_id: UUID, program_id: UUID | None = None) -> builtins.list[Relationship]:
        def mine(r: Relationship) -> bool:
            return r.is_member(person_id) and (program_id is None or r.program_id == program_id)

        stored = [r for r in self._where(lambda r: mine(r) and r.status in LIVE_STATUSES) if r.is_live]
        return stored + [r for r in self._new if mine(r) and r.is_live]

    async def live_pairs(self, program_id: UUID, person_ids: Sequence[UUID]) -> builtins.list[tuple[UUID, UUID]]:
        wanted = set(person_ids)

        def involved(r: Relationship) -> bool:
            return r.program_id == program_id and r.is_live and bool(wanted.intersection(r.member_ids))

        stored = {r.id: r for r in self._where(lambda r: r.program_id == program_id and r.status in LIVE_STATUSES)}
        current = {**stored, **{r.id: r for r in self._seen.values()}}
        return [r.member_ids for r in current.values() if involved(r)]

    async def exclusions(self, program_id: UUID) -> frozenset[frozenset[UUID]]:
        return frozenset(pair for program, pair in self._store.exclusions if program == program_id)

    async def add_exclusion(self, exclusion: PairExclusion, *, exclusion_id: UUID) -> None:
        key = (exclusion.program_id, exclusion.person_ids)
        self._staged.append(lambda: self._store.exclusions.setdefault(key, exclusion))


class Meetings(Tracking[Meeting]):
    # a reflection is written on its own and never moves the meeting's version
    untracked = ("events", "version", "reflections")

    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.meetings)
        self._store, self._staged = store, staged

    async def get(self, meeting_id: UUID) -> Meeting | None:
        return self._load(meeting_id)

    async def of_relationship(self, relationship_id: UUID) -> builtins.list[Meeting]:
        found = self._where(lambda m: m.relationship_id == relationship_id)
        return sorted(found, key=lambda m: (m.starts_at, m.id))

    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]:
        found: dict[UUID, builtins.list[datetime]] = {ident: [] for ident in relationship_ids}
        for meeting in self._rows.values():
            if meeting.relationship_id in found and meeting.status == "held":
                found[meeting.relationship_id].append(meeting.starts_at)
        return found

    async def of_person(self, person_id: UUID) -> builtins.list[Meeting]:
        return sorted(self._where(lambda m: person_id in m.member_ids), key=lambda m: (m.starts_at, m.id))

    async def reflection(self, meeting_id: UUID, author_id: UUID) -> Reflection | None:
        return self._store.reflections.get((meeting_id, author_id))

    async def save_reflection(self, meeting_id: UUID, reflection: Reflection) -> None:
        key = (meeting_id, reflection.author_id)
        stored = self._store.reflections.get(key)
        if reflection.version > 1 and (stored is None or stored.version != reflection.version - 1):
            raise DomainError(code="stale_version", detail="rewritten meanwhile", kind="precondition")
        self._staged.append(lambda: self._store.reflections.__setitem__(key, reflection))


class Goals(Tracking[LearningGoal]):
    async def get(self, goal_id: UUID) -> LearningGoal | None:
        return self._load(goal_id)


class CalendarFeeds:
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        self._store, self._staged = store, staged

    async def add(self, feed: CalendarFeed) -> None:
        self._staged.append(lambda: self._store.calendar_feeds.__setitem__(feed.id, feed))

    async def by_hash(self, token_hash: str) -> CalendarFeed | None:
        return next((f for f in self._store.calendar_feeds.values() if f.token_hash == token_hash), None)

    async def active_of(self, person_id: UUID) -> list[CalendarFeed]:
        return [f for f in self._store.calendar_feeds.values() if f.person_id == person_id and f.revoked_at is None]

    async def revoke_all(self, person_id: UUID, *, now: datetime) -> int:
        active = await self.active_of(person_id)
        for feed in active:
            self._staged.append(
                lambda feed=feed: self._store.calendar_feeds.__setitem__(
                    feed.id, dataclasses.replace(feed, revoked_at=now)
                )
            )
        return len(active)


class ApiKeys:
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        self._store, self._staged = store, staged

    async def add(self, key: ApiKey) -> None:
        self._staged.append(lambda: self._store.api_keys.__setitem__(key.id, key))

    async def get(self, key_id: UUID) -> ApiKey | None:
        return self._store.api_keys.get(key_id)

    async def by_prefix(self, prefix: str) -> ApiKey | None:
        return next((k for k in self._store.api_keys.values() if k.prefix == prefix), None)

    async def list(self, page: PageRequest) -> Page[ApiKey]:
        return page_of(sorted(self._store.api_keys.values(), key=lambda k: k.id), page)

    async def save(self, key: ApiKey) -> None:
        self._staged.append(lambda: self._store.api_keys.__setitem__(key.id, key))

    async def touch(self, key_id: UUID, *, now: datetime) -> None:
        key = self._store.api_keys[key_id]
        self._staged.append(
            lambda: self._store.api_keys.__setitem__(key_id, dataclasses.replace(key, last_used_at=now))
        )


class MatchingRuns(Tracking[MatchingRun]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.matching_runs)
        self._store, self._staged = store, staged

    async def get(self, run_id: UUID) -> MatchingRun | None:
        return self._load(run_id)

    async def list(self, program_id: UUID, page: PageRequest) -> Page[MatchingRun]:
        return page_of(self._where(lambda r: r.program_id == program_id), page)

    async def set_progress(self, run_id: UUID, fraction: float) -> None:
        self._staged.append(lambda: setattr(self._store.matching_runs[run_id], "progress", fraction))

    async def save_result(
        self, run_id: UUID, pairs: Sequence[ProposedPair], left: Sequence[Unmatched], new_id: Callable[[], UUID]
    ) -> None:
        self._staged.append(lambda: self._store.proposals.__setitem__(run_id, list(pairs)))
        self._staged.append(lambda: self._store.unmatched.__setitem__(run_id, list(left)))

    async def proposals(self, run_id: UUID, page: PageRequest) -> Page[ProposedPair]:
        return Page(items=self._store.proposals.get(run_id, [])[: page.limit])

    async def all_proposals(self, run_id: UUID) -> builtins.list[ProposedPair]:
        return list(self._store.proposals.get(run_id, []))

    async def unmatched(self, run_id: UUID, page: PageRequest) -> Page[Unmatched]:
        return Page(items=self._store.unmatched.get(run_id, [])[: page.limit])


class Checkins(Tracking[CheckIn]):
    async def get(self, checkin_id: UUID) -> CheckIn | None:
        return self._load(checkin_id)

    async def open_for(self, relationship_id: UUID, person_id: UUID) -> CheckIn | None:
        found = self._where(
            lambda c: c.relationship_id == relationship_id and c.person_id == person_id and c.status == "due"
        )
        return found[0] if found else None

    async def last_due(self, relationship_ids: Sequence[UUID]) -> dict[tuple[UUID, UUID], datetime]:
        found: dict[tuple[UUID, UUID], datetime] = {}
        for checkin in self._rows.values():
            if checkin.relationship_id in relationship_ids and checkin.due_at is not None:
                key = (checkin.relationship_id, checkin.person_id)
                found[key] = max(found.get(key, checkin.due_at), checkin.due_at)
        return found

    async def overdue(self, due_before: datetime) -> builtins.list[CheckIn]:
        return self._where(lambda c: c.status == "due" and c.due_at is not None and c.due_at < due_before)


class Surveys(Tracking[Survey]):
    """Ledger, ballot box and responses apart, as the SQL side keeps them; writes wait for commit."""

    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.surveys)
        self._store, self._staged = store, staged
        self._box: dict[UUID, builtins.list[Ballot]] = {}

    async def get(self, survey_id: UUID, *, lock: bool = False) -> Survey | None:
        return self._load(survey_id)

    async def on_schedule(self, now: datetime) -> builtins.list[Survey]:
        return self._where(lambda s: s.due_move(now) is not None)

    async def has_answered(self, survey_id: UUID, person_id: UUID) -> bool:
        return (survey_id, person_id) in self._store.survey_ledger

    async def record_answered(self, survey_id: UUID, person_id: UUID) -> None:
        if (survey_id, person_id) in self._store.survey_ledger:
            raise AssertionError("the ledger's key refuses a second entry")
        self._staged.append(lambda: self._store.survey_ledger.add((survey_id, person_id)))

    async def drop_ballot(self, survey_id: UUID, ballot: Ballot) -> None:
        self._pending(survey_id).append(ballot)

    def _pending(self, survey_id: UUID) -> builtins.list[Ballot]:
        if survey_id not in self._box:
            self._box[survey_id] = list(self._store.ballots.get(survey_id, []))
            box = self._box[survey_id]
            self._staged.append(lambda: self._store.ballots.__setitem__(survey_id, box))
        return self._box[survey_id]

    async def ballots_waiting(self, survey_id: UUID) -> int:
        return len(self._pending(survey_id))

    async def take_ballots(self, survey_id: UUID) -> builtins.list[Ballot]:
        box = self._pending(survey_id)
        taken = list(box)
        box.clear()
        return taken

    async def store_mixed(self, survey_id: UUID, responses: Sequence[MixedResponse]) -> None:
        mixed = list(responses)
        self._staged.append(lambda: self._store.survey_responses.setdefault(survey_id, []).extend(mixed))


class Stories(Tracking[Story]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.stories)
        self._store, self._staged = store, staged

    async def get(self, story_id: UUID) -> Story | None:
        return self._load(story_id)

    async def remove(self, story: Story) -> None:
        self._seen.pop(story.id, None)
        self._loaded.pop(story.id, None)
        self._staged.append(lambda: self._store.stories.pop(story.id, None))


class Recognitions(Tracking[Recognition]):
    async def get(self, recognition_id: UUID) -> Recognition | None:
        return self._load(recognition_id)


class Concerns(Tracking[Concern]):
    async def get(self, concern_id: UUID) -> Concern | None:
        return self._load(concern_id)


class JobQueue:
    """``uow.jobs``: a request is staged, and lands in ``enqueued`` (the store's committed job
    requests, shared by every unit of work of the store) only when the unit of work commits."""

    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        self._store, self._staged = store, staged

    @property
    def enqueued(self) -> builtins.list[JobRequest]:
        return self._store.jobs

    def enqueue(self, job: JobRequest) -> None:
        self._staged.append(lambda: self._store.jobs.append(job))

    async def retry_dead(self, job_id: UUID, *, now: datetime) -> bool:
        return False  # the fast tier runs no jobs, so none is ever dead


class WebhookEndpoints(Tracking[WebhookEndpoint]):
    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        super().__init__(store.webhook_endpoints)
        self._store, self._staged = store, staged

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        return self._load(endpoint_id)

    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]:
        return {e.id: e for e in (self._load(i) for i in dict.fromkeys(ids)) if e is not None}

    async def delete(self, endpoint_id: UUID) -> None:
        self._seen.pop(endpoint_id, None)
        self._loaded.pop(endpoint_id, None)

        def remove() -> None:
            self._store.webhook_endpoints.pop(endpoint_id, None)
            for message in [m for m in self._store.webhook_messages.values() if m.endpoint_id == endpoint_id]:
                del self._store.webhook_messages[message.id]

        self._staged.append(remove)

    async def list(self, page: PageRequest) -> Page[WebhookEndpoint]:
        return page_of(self._where(lambda e: True), page)


class WebhookMessages:
    """Messages and attempts over the store; every write is staged until the commit."""

    def __init__(self, store: Store, staged: list[Callable[[], None]]) -> None:
        self._store, self._staged = store, staged

    def _put(self, message: WebhookMessage) -> None:
        self._staged.append(lambda: self._store.webhook_messages.__setitem__(message.id, message))

    def _change(self, message_id: UUID, **changes: Any) -> None:
        def write() -> None:
            stored = self._store.webhook_messages.get(message_id)
            if stored is not None:
                self._store.webhook_messages[message_id] = dataclasses.replace(stored, **changes)

        self._staged.append(write)

    async def fan_out(self, *, now: datetime, limit: int, new_id: Callable[[], UUID]) -> tuple[int, int]:
        events = self._store.outbox[self._store.dispatched : self._store.dispatched + limit]
        taken = {(m.endpoint_id, m.event_id) for m in self._store.webhook_messages.values()}
        written = 0
        for event in events:
            event_id = new_id()
            for endpoint in self._store.webhook_endpoints.values():
                if endpoint.enabled and endpoint.subscribes(event.event_type) and (endpoint.id, event_id) not in taken:
                    self._put(_message(new_id(), endpoint.id, event_id, event.event_type, event.payload(), now))
                    written += 1
        count = len(events)
        self._staged.append(lambda: setattr(self._store, "dispatched", self._store.dispatched + count))
        return count, written

    async def add(self, message: WebhookMessage) -> None:
        self._put(message)

    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> builtins.list[WebhookMessage]:
        enabled = {e.id for e in self._store.webhook_endpoints.values() if e.enabled}
        due = sorted(
            (
                m
                for m in self._store.webhook_messages.values()
                if m.status is MessageStatus.PENDING
                and m.next_attempt_at is not None
                and m.next_attempt_at <= now
                and m.endpoint_id in enabled
            ),
            key=lambda m: (m.next_attempt_at, m.id),
        )[:limit]
        for message in due:
            self._change(message.id, next_attempt_at=lease_until)
        return due

    async def release(self, message_ids: Sequence[UUID], *, at: datetime) -> None:
        for message_id in message_ids:
            self._change(message_id, next_attempt_at=at)

    async def record(self, results: Sequence[AttemptResult]) -> None:
        for result in results:
            stored = self._store.webhook_messages[result.message_id]
            delivered = result.attempt.attempted_at if result.status is MessageStatus.DELIVERED else None
            self._change(
                result.message_id,
                status=result.status,
                attempts=stored.attempts + 1,
                next_attempt_at=result.next_attempt_at,
                last_attempt_at=result.attempt.attempted_at,
                delivered_at=delivered or stored.delivered_at,
            )
            attempt = result.attempt
            self._staged.append(lambda attempt=attempt: self._store.webhook_attempts.append(attempt))  # type: ignore[misc]

    async def get(self, message_id: UUID) -> WebhookMessage | None:
        return self._store.webhook_messages.get(message_id)

    async def list(self, endpoint_id: UUID, *, status: MessageStatus | None, page: PageRequest) -> Page[WebhookMessage]:
        found = [
            m
            for m in self._store.webhook_messages.values()
            if m.endpoint_id == endpoint_id and (status is None or m.status is status)
        ]
        return page_of(found, page)

    async def attempts(self, message_id: UUID) -> builtins.list[WebhookAttempt]:
        return [a for a in self._store.webhook_attempts if a.message_id == message_id]

    async def retry(self, message_id: UUID, *, now: datetime) -> None:
        self._change(message_id, status=MessageStatus.PENDING, next_attempt_at=now)

    async def retry_failed_since(self, endpoint_id: UUID, *, since: datetime, now: datetime) -> int:
        found = [
            m
            for m in self._store.webhook_messages.values()
            if m.endpoint_id == endpoint_id and m.status is MessageStatus.FAILED and m.created_at >= since
        ]
        for message in found:
            self._change(message.id, status=MessageStatus.PENDING, next_attempt_at=now)
        return len(found)

    async def give_up_pending(self, endpoint_id: UUID) -> int:
        found = [
            m
            for m in self._store.webhook_messages.values()
            if m.endpoint_id == endpoint_id and m.status is MessageStatus.PENDING
        ]
        for message in found:
            self._change(message.id, status=MessageStatus.FAILED, next_attempt_at=None)
        return len(found)

    async def backlog(self) -> builtins.list[tuple[UUID, int, datetime | None]]:
        pending: dict[UUID, list[WebhookMessage]] = {}
        for message in self._store.webhook_messages.values():
            if message.status is MessageStatus.PENDING:
                pending.setdefault(message.endpoint_id, []).append(message)
        return [(e, len(ms), min(m.occurred_at for m in ms)) for e, ms in pending.items()]

    async def purge(self, *, before: datetime) -> int:
        old = [
            m.id
            for m in self._store.webhook_messages.values()
            if m.status is not MessageStatus.PENDING and (m.delivered_at or m.created_at) < before
        ]

        def remove() -> None:
            for message_id in old:
                del self._store.webhook_messages[message_id]
            self._store.webhook_attempts[:] = [a for a in self._store.webhook_attempts if a.message_id not in old]

        self._staged.append(remove)
        return len(old)


def _message(
    ident: UUID, endpoint_id: UUID, event_id: UUID, event_type: str, payload: dict[str, Any], now: datetime
) -> WebhookMessage:
    return WebhookMessage(
        id=ident,
        endpoint_id=endpoint_id,
        event_id=event_id,
        event_type=event_type,
        occurred_at=now,
        payload=dict(payload),
        status=MessageStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        last_attempt_at=None,
        delivered_at=None,
        created_at=now,
    )


class Retention:
    """The fast tier keeps no idempotency records and never dispatches the outbox: nothing to remove
    (the real deletions are tested on the databases, tests/integration/test_housekeeping.py)."""

    async def purge_idempotency(self, *, created_before: datetime, limit: int) -> int:
        return 0

    async def trim_outbox(self, *, dispatched_before: datetime, limit: int) -> int:
        return 0

    async def purge_jobs(self, *, succeeded_before: datetime, limit: int) -> int:
        return 0
