"""Protocols the services need. Adapters implement them; unit tests use fakes."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar
from uuid import UUID

from app.domain.api_keys import ApiKey
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.enrollments import Enrollment, EnrollmentStatus
from app.domain.events import DomainEvent
from app.domain.goals import LearningGoal
from app.domain.identities import LinkedIdentity
from app.domain.jobs import JobRequest
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun
from app.domain.meetings import Meeting, Reflection
from app.domain.people import Person
from app.domain.programs import Program, ProgramKind, ProgramStatus
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment
from app.domain.relationships import PairExclusion, Relationship, RelationshipStatus
from app.domain.skills import Skill
from app.domain.stories import Recognition, Story
from app.domain.surveys import Ballot, MixedResponse, Survey
from app.domain.webhooks import AttemptOutcome, MessageStatus, WebhookEndpoint

if TYPE_CHECKING:
    from app.domain.read_side import ReadSide

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


class PeopleRepository(Protocol):
    def add(self, person: Person) -> None: ...
    async def get(self, person_id: UUID) -> Person | None: ...
    async def get_many(self, ids: Sequence[UUID]) -> list[Person]: ...
    async def by_email(self, email: str) -> Person | None: ...
    async def by_emails(self, emails: Sequence[str]) -> dict[str, Person]: ...
    async def by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Person]: ...
    async def manager_map(self) -> dict[UUID, UUID | None]: ...
    async def managers_above(self, ids: Sequence[UUID], depth: int = 1000) -> dict[UUID, UUID | None]: ...
    async def link_identity(self, *, issuer: str, subject: str, person_id: UUID, now: datetime) -> bool:
        """Link the identity (``False``: it was linked already)."""
        ...

    async def by_identity(self, *, issuer: str, subject: str) -> Person | None: ...
    async def identities_of(self, person_id: UUID) -> list[LinkedIdentity]: ...
    async def unlink_identity(self, *, issuer: str, subject: str, person_id: UUID) -> bool:
        """Remove the link (``False``: the person had no such identity)."""
        ...


class SkillRepository(Protocol):
    def add(self, skill: Skill) -> None: ...
    async def by_name(self, name: str) -> Skill | None: ...
    async def existing_ids(self, ids: Sequence[UUID]) -> set[UUID]: ...


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


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def get(self, key_id: UUID) -> ApiKey | None: ...
    async def by_prefix(self, prefix: str) -> ApiKey | None: ...
    async def list(self, page: PageRequest) -> Page[ApiKey]: ...
    async def save(self, key: ApiKey) -> None: ...
    async def touch(self, key_id: UUID, *, now: datetime) -> None:
        """Record a use (``last_used_at``) without disturbing anything else."""
        ...


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


class WebhookEndpointRepository(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None: ...
    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None: ...
    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]: ...
    async def delete(self, endpoint_id: UUID) -> None: ...
    async def list(self, page: PageRequest) -> Page[WebhookEndpoint]: ...


@dataclass(frozen=True)
class WebhookMessage:
    """One event for one endpoint: delivered at least once, or given up after every retry."""

    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    occurred_at: datetime
    payload: dict[str, object]
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class WebhookAttempt:
    id: UUID
    message_id: UUID
    endpoint_id: UUID
    attempted_at: datetime
    outcome: AttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: str
    error: str | None


@dataclass(frozen=True)
class AttemptResult:
    """What one delivery attempt did, and what happens to its message next."""

    message_id: UUID
    attempt: WebhookAttempt
    status: MessageStatus
    next_attempt_at: datetime | None


class WebhookMessageStore(Protocol):
    """Messages and attempts: written by the fan-out and the deliveries, read by the delivery log."""

    async def fan_out(self, *, now: datetime, limit: int, new_id: Callable[[], UUID]) -> tuple[int, int]:
        """Turn up to ``limit`` undispatched outbox events into one message per subscribed, enabled
        endpoint and mark them dispatched: (events taken, messages written). Idempotent per
        (endpoint, event)."""
        ...

    async def add(self, message: WebhookMessage) -> None: ...
    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> builtins.list[WebhookMessage]:
        """Pending messages due by ``now`` (of enabled endpoints), moved to ``lease_until`` so no other
        worker takes them meanwhile; a worker that dies leaves them to be retried after the lease."""
        ...

    async def release(self, message_ids: Sequence[UUID], *, at: datetime) -> None:
        """Give claimed messages back, due at ``at`` (a rate-limited endpoint's surplus)."""
        ...

    async def record(self, results: Sequence[AttemptResult]) -> None: ...
    async def get(self, message_id: UUID) -> WebhookMessage | None: ...
    async def list(
        self, endpoint_id: UUID, *, status: MessageStatus | None, page: PageRequest
    ) -> Page[WebhookMessage]: ...
    async def attempts(self, message_id: UUID) -> builtins.list[WebhookAttempt]: ...
    async def retry(self, message_id: UUID, *, now: datetime) -> None:
        """Send the message again now, whatever its status (a manual redelivery)."""
        ...

    async def retry_failed_since(self, endpoint_id: UUID, *, since: datetime, now: datetime) -> int:
        """Every failed message of the endpoint created since ``since`` is due again now; how many."""
        ...

    async def give_up_pending(self, endpoint_id: UUID) -> int:
        """A disabled endpoint's pending messages fail (they can be recovered later)."""
        ...

    async def backlog(self) -> builtins.list[tuple[UUID, int, datetime | None]]:
        """(endpoint id, pending messages, oldest pending message's event time) per endpoint."""
        ...

    async def purge(self, *, before: datetime) -> int:
        """Delete messages (and their attempts) delivered or failed before ``before``."""
        ...


@dataclass(frozen=True)
class SendResult:
    """What the receiver did with one POST."""

    outcome: AttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: str = ""
    retry_after: timedelta | None = None
    error: str | None = None


class WebhookSender(Protocol):
    """Signs and POSTs bodies to endpoints, refusing addresses the SSRF guard forbids at connect time."""

    async def check_url(self, url: str) -> None:
        """Refuse (``webhook_url_forbidden``) a URL whose host resolves to a forbidden address."""
        ...

    async def send(
        self, url: str, *, body: str, message_id: str, secrets: builtins.list[str], headers: dict[str, str]
    ) -> SendResult:
        """POST ``body`` signed (Standard Webhooks) with every secret, stamped with the time of sending."""


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


class Retention(Protocol):
    """Removing platform records past their retention (each call deletes at most ``limit`` rows, so
    that a transaction stays short; callers repeat until fewer come back)."""

    async def purge_idempotency(self, *, created_before: datetime, limit: int) -> int:
        """Idempotency records (which hold whole responses) older than their time to live."""
        ...

    async def trim_outbox(self, *, dispatched_before: datetime, limit: int) -> int:
        """Outbox rows already dispatched (``dispatched_at`` set) before that time; rows not yet
        dispatched are never removed, however old."""
        ...

    async def purge_jobs(self, *, succeeded_before: datetime, limit: int) -> int:
        """Jobs that succeeded before that time (dead ones stay, for admins to see and retry)."""
        ...


class JobQueue(Protocol):
    def enqueue(self, job: JobRequest) -> None:
        """Ask for a job: written by the unit of work's commit in the same transaction as the change,
        and rolled back with it. An unfinished job of the same kind and dedupe key makes it a no-op."""
        ...

    async def retry_dead(self, job_id: UUID, *, now: datetime) -> bool:
        """Queue a ``dead`` job again, due now, with a fresh count of attempts. False when the job is
        not dead, or an unfinished job of its kind holds its dedupe key."""
        ...


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
    def relationships(self) -> RelationshipRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def goals(self) -> GoalRepository: ...
    @property
    def calendar_feeds(self) -> CalendarFeedRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def matching_runs(self) -> MatchingRunRepository: ...
    @property
    def webhook_endpoints(self) -> WebhookEndpointRepository: ...
    @property
    def webhook_messages(self) -> WebhookMessageStore: ...
    @property
    def checkins(self) -> CheckinRepository: ...
    @property
    def surveys(self) -> SurveyRepository: ...
    @property
    def concerns(self) -> ConcernRepository: ...
    @property
    def stories(self) -> StoryRepository: ...
    @property
    def recognitions(self) -> RecognitionRepository: ...
    @property
    def jobs(self) -> JobQueue: ...
    @property
    def retention(self) -> Retention: ...
    @property
    def queries(self) -> ReadSide:
        """The read side, in this unit of work's transaction."""
        ...

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
