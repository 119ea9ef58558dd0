"""The unit of work: one business transaction over every repository."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Self

from app.domain.events import DomainEvent
from app.domain.ports.api_keys import ApiKeyRepository
from app.domain.ports.common import Clock, IdGenerator
from app.domain.ports.feedback import (
    CheckinRepository,
    ConcernRepository,
    RecognitionRepository,
    StoryRepository,
    SurveyRepository,
)
from app.domain.ports.mentoring import (
    CalendarFeedRepository,
    GoalRepository,
    MeetingRepository,
    RelationshipRepository,
)
from app.domain.ports.operations import JobQueue, Retention
from app.domain.ports.people import PeopleRepository, SkillRepository
from app.domain.ports.programs import (
    EnrollmentRepository,
    MatchingRunRepository,
    ProgramRepository,
)
from app.domain.ports.webhooks import (
    WebhookEndpointRepository,
    WebhookMessageStore,
)

if TYPE_CHECKING:
    from app.domain.read_side import ReadSide


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
