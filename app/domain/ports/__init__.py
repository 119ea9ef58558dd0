"""Protocols the services need. Adapters implement them; unit tests use fakes."""

from __future__ import annotations

from app.domain.ports.api_keys import ApiKeyRepository
from app.domain.ports.common import Clock, IdGenerator, Page, PageRequest, T
from app.domain.ports.feedback import (
    CheckinFilter,
    CheckinRepository,
    ConcernRepository,
    RecognitionRepository,
    StoryRepository,
    SurveyRepository,
)
from app.domain.ports.mentoring import (
    CalendarFeed,
    CalendarFeedRepository,
    GoalRepository,
    MeetingRepository,
    RelationshipFilter,
    RelationshipRepository,
)
from app.domain.ports.operations import JobQueue, Retention
from app.domain.ports.people import PeopleFilter, PeopleRepository, SkillRepository
from app.domain.ports.programs import (
    EnrollmentFilter,
    EnrollmentRepository,
    MatchingRunRepository,
    ProgramFilter,
    ProgramRepository,
)
from app.domain.ports.unit_of_work import UnitOfWork
from app.domain.ports.webhooks import (
    AttemptResult,
    SendResult,
    WebhookAttempt,
    WebhookEndpointRepository,
    WebhookMessage,
    WebhookMessageStore,
    WebhookSender,
)

__all__ = [
    "ApiKeyRepository",
    "AttemptResult",
    "CalendarFeed",
    "CalendarFeedRepository",
    "CheckinFilter",
    "CheckinRepository",
    "Clock",
    "ConcernRepository",
    "EnrollmentFilter",
    "EnrollmentRepository",
    "GoalRepository",
    "IdGenerator",
    "JobQueue",
    "MatchingRunRepository",
    "MeetingRepository",
    "Page",
    "PageRequest",
    "PeopleFilter",
    "PeopleRepository",
    "ProgramFilter",
    "ProgramRepository",
    "RecognitionRepository",
    "RelationshipFilter",
    "RelationshipRepository",
    "Retention",
    "SendResult",
    "SkillRepository",
    "StoryRepository",
    "SurveyRepository",
    "T",
    "UnitOfWork",
    "WebhookAttempt",
    "WebhookEndpointRepository",
    "WebhookMessage",
    "WebhookMessageStore",
    "WebhookSender",
]
