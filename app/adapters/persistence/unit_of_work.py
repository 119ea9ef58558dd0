"""The unit of work: one transaction, the only place that commits, and the outbox writer.

On ``commit`` it flushes every tracked aggregate, then drains the domain events those aggregates
(and the use case, through ``record``) raised and inserts one outbox row per event — all inside the
same transaction. A use case that raises, or leaves without committing, is rolled back whole: no
rows, no events.
"""

from __future__ import annotations

from typing import Self

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.repositories.calendar_feeds import SqlCalendarFeedRepository
from app.adapters.persistence.repositories.enrollments import SqlEnrollmentRepository
from app.adapters.persistence.repositories.goals import SqlGoalRepository
from app.adapters.persistence.repositories.matching_runs import SqlMatchingRunRepository
from app.adapters.persistence.repositories.meetings import SqlMeetingRepository
from app.adapters.persistence.repositories.people import SqlPeopleRepository
from app.adapters.persistence.repositories.programs import SqlProgramRepository
from app.adapters.persistence.repositories.relationships import SqlRelationshipRepository
from app.adapters.persistence.repositories.skills import SqlSkillRepository
from app.adapters.persistence.tables import OutboxRow
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
    matching_runs: SqlMatchingRunRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, clock: Clock, ids: IdGenerator) -> None:
        self._session_factory = session_factory
        self.clock = clock
        self.ids = ids
        self._session: AsyncSession | None = None
        self._recorded: list[DomainEvent] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is not re-entrant")
        self._session = self._session_factory()
        self._recorded = []
        self.people = SqlPeopleRepository(self._session)
        self.skills = SqlSkillRepository(self._session)
        self.programs = SqlProgramRepository(self._session)
        self.enrollments = SqlEnrollmentRepository(self._session)
        self.relationships = SqlRelationshipRepository(self._session)
        self.meetings = SqlMeetingRepository(self._session)
        self.goals = SqlGoalRepository(self._session)
        self.calendar_feeds = SqlCalendarFeedRepository(self._session)
        self.matching_runs = SqlMatchingRunRepository(self._session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            await session.rollback()  # a no-op after commit; undoes everything otherwise
        finally:
            await session.close()

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
        await session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
        self._recorded = []
