"""The unit of work: one transaction, the only place that commits, and the outbox writer.

On ``commit`` it flushes every tracked aggregate, then drains the domain events those aggregates
(and the use case, through ``record``) raised and inserts one outbox row per event, and the jobs the use
case asked for through ``uow.jobs`` — all inside the same transaction. A use case that raises, or
leaves without committing, is rolled back whole: no rows, no events, no jobs.

Inside an HTTP request the unit of work joins the request's :class:`RequestTransaction`: ``commit``
then writes everything and asks the request to commit, which it does once, at its end (see
``transaction.py``). Outside a request it owns its session and commits at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction, async_sessionmaker

from app.adapters.persistence.jobs import SqlJobQueue, insert_jobs, job_rows
from app.adapters.persistence.queries.read_side import SqlReadSide
from app.adapters.persistence.repositories.api_keys import SqlApiKeyRepository
from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.repositories.calendar_feeds import SqlCalendarFeedRepository
from app.adapters.persistence.repositories.checkins import SqlCheckinRepository
from app.adapters.persistence.repositories.concerns import SqlConcernRepository
from app.adapters.persistence.repositories.enrollments import SqlEnrollmentRepository
from app.adapters.persistence.repositories.goals import SqlGoalRepository
from app.adapters.persistence.repositories.matching_runs import SqlMatchingRunRepository
from app.adapters.persistence.repositories.meetings import SqlMeetingRepository
from app.adapters.persistence.repositories.people import SqlPeopleRepository
from app.adapters.persistence.repositories.programs import SqlProgramRepository
from app.adapters.persistence.repositories.relationships import SqlRelationshipRepository
from app.adapters.persistence.repositories.skills import SqlSkillRepository
from app.adapters.persistence.repositories.stories import SqlRecognitionRepository, SqlStoryRepository
from app.adapters.persistence.repositories.surveys import SqlSurveyRepository
from app.adapters.persistence.repositories.webhooks import SqlWebhookEndpointRepository, SqlWebhookMessageStore
from app.adapters.persistence.retention import SqlRetention
from app.adapters.persistence.tables import OutboxRow
from app.adapters.persistence.transaction import CommitListener, RequestTransaction, notify_committed
from app.domain.events import DomainEvent
from app.domain.ports import Clock, IdGenerator

outbox = OutboxRow.__table__  # type: ignore[attr-defined]


class SqlUnitOfWork:
    people: SqlPeopleRepository
    skills: SqlSkillRepository
    programs: SqlProgramRepository
    enrollments: SqlEnrollmentRepository
    relationships: SqlRelationshipRepository
    meetings: SqlMeetingRepository
    goals: SqlGoalRepository
    calendar_feeds: SqlCalendarFeedRepository
    api_keys: SqlApiKeyRepository
    matching_runs: SqlMatchingRunRepository
    webhook_endpoints: SqlWebhookEndpointRepository
    webhook_messages: SqlWebhookMessageStore
    checkins: SqlCheckinRepository
    surveys: SqlSurveyRepository
    concerns: SqlConcernRepository
    stories: SqlStoryRepository
    recognitions: SqlRecognitionRepository
    queries: SqlReadSide
    jobs: SqlJobQueue
    retention: SqlRetention

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        ids: IdGenerator,
        transaction: RequestTransaction | None = None,
        listeners: tuple[CommitListener, ...] = (),
        wake_jobs: Callable[[], Any] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._wake_jobs = wake_jobs
        self.clock = clock
        self.ids = ids
        self._transaction = transaction
        self._listeners = listeners
        self._session: AsyncSession | None = None
        self._savepoint: AsyncSessionTransaction | None = None
        self._recorded: list[DomainEvent] = []
        self._after_commit: list[Callable[[], Any]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is not re-entrant")
        self._recorded = []
        self._after_commit = []
        if self._transaction is None:
            self._session = self._session_factory()
        else:
            self._session = self._transaction.session
            if not self._transaction.read_only:
                # Each use case of a request is atomic on its own: one that fails undoes its own
                # writes, and what earlier use cases of the request wrote stays to be committed.
                self._savepoint = await self._session.begin_nested()
        self.people = SqlPeopleRepository(self._session)
        self.skills = SqlSkillRepository(self._session)
        self.programs = SqlProgramRepository(self._session)
        self.enrollments = SqlEnrollmentRepository(self._session)
        self.relationships = SqlRelationshipRepository(self._session)
        self.meetings = SqlMeetingRepository(self._session)
        self.goals = SqlGoalRepository(self._session)
        self.calendar_feeds = SqlCalendarFeedRepository(self._session)
        self.api_keys = SqlApiKeyRepository(self._session)
        self.matching_runs = SqlMatchingRunRepository(self._session)
        self.webhook_endpoints = SqlWebhookEndpointRepository(self._session)
        self.webhook_messages = SqlWebhookMessageStore(self._session)
        self.checkins = SqlCheckinRepository(self._session)
        self.surveys = SqlSurveyRepository(self._session)
        self.concerns = SqlConcernRepository(self._session)
        self.stories = SqlStoryRepository(self._session)
        self.recognitions = SqlRecognitionRepository(self._session)
        self.queries = SqlReadSide(self._session)
        self.jobs = SqlJobQueue(self._session)
        self.retention = SqlRetention(self._session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        if self._transaction is not None:
            savepoint, self._savepoint = self._savepoint, None
            if savepoint is not None and savepoint.is_active:
                await savepoint.rollback()  # left without committing: undo this use case only
            return
        try:
            await session.rollback()  # a no-op after commit; undoes everything otherwise
        finally:
            await session.close()

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once this unit of work's changes are really committed (e.g. to wake a
        worker); never after a rollback."""
        if self._transaction is not None:
            self._transaction.after_commit(callback)
        else:
            self._after_commit.append(callback)

    def _repositories(self) -> list[TrackingRepository]:  # type: ignore[type-arg]
        return [
            self.people,
            self.skills,
            self.programs,
            self.enrollments,
            self.relationships,
            self.meetings,
            self.goals,
            self.matching_runs,
            self.webhook_endpoints,
            self.checkins,
            self.surveys,
            self.concerns,
            self.stories,
            self.recognitions,
        ]

    def record(self, event: DomainEvent) -> None:
        self._recorded.append(event)

    async def commit(self) -> None:
        session = self.session
        for repository in self._repositories():
            await repository.flush()
        events: list[DomainEvent] = []
        for repository in self._repositories():
            events.extend(repository.drain_events())
        events.extend(self._recorded)
        events.sort(key=lambda event: event.sequence)
        self._recorded = []
        if events:
            now = self.clock.now()
            await session.execute(
                insert(outbox),
                [
                    {
                        "id": self.ids.new_id(),
                        "event_type": event.event_type,
                        "payload": event.payload(),
                        "occurred_at": now,
                        "dispatched_at": None,
                    }
                    for event in events
                ],
            )
        requested = self.jobs.drain()
        if requested:
            await insert_jobs(session, job_rows(requested, now=self.clock.now(), ids=self.ids))
        if (requested or self.jobs.requeued) and self._wake_jobs is not None:
            self.after_commit(self._wake_jobs)
        self.jobs.requeued = False
        if self._transaction is not None:
            self._transaction.request_commit(events)
            savepoint, self._savepoint = self._savepoint, None
            if savepoint is not None:
                await savepoint.commit()
            return
        await session.commit()
        callbacks, self._after_commit = self._after_commit, []
        notify_committed(self._listeners, events, callbacks)

    async def rollback(self) -> None:
        self._recorded = []
        self.jobs.drain()
        if self._transaction is not None:
            savepoint, self._savepoint = self._savepoint, None
            if savepoint is not None and savepoint.is_active:
                await savepoint.rollback()
            return
        await self.session.rollback()
