"""An in-memory unit of work for the fast service tier (cosmicpython's ``FakeUnitOfWork``).

It keeps the promises of the ``UnitOfWork`` port that use cases rely on, and nothing else:

- each unit of work works on its own copies of what it loads; only ``commit`` writes them back,
  so a use case that raises or leaves without committing changes nothing;
- a changed aggregate's version goes up by one at commit, and an aggregate another unit of work
  changed meanwhile refuses the whole commit with ``stale_version`` (checked before anything is
  written);
- the events of the committed aggregates (and those ``record``-ed) land in ``store.outbox`` in the
  order they were raised;
- a repository query sees what is stored, not what this unit of work has not committed yet, except
  where the port says otherwise (``live_of``, ``live_pairs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Self

from fake_reads import FakeReadSide
from fake_repositories import (
    ApiKeys,
    CalendarFeeds,
    Checkins,
    Concerns,
    Enrollments,
    Goals,
    JobQueue,
    MatchingRuns,
    Meetings,
    People,
    Programs,
    Recognitions,
    Relationships,
    Retention,
    Skills,
    Stories,
    Surveys,
    WebhookEndpoints,
    WebhookMessages,
)
from fake_store import SequentialIds, SettableClock, Store, Tracking

from app.domain.events import DomainEvent


class FakeUnitOfWork:
    def __init__(self, store: Store, *, clock: SettableClock, ids: SequentialIds) -> None:
        self.store, self.clock, self.ids = store, clock, ids
        self.commits = 0
        self._staged: list[Callable[[], None]] = []
        self.jobs = JobQueue(store, self._staged)

    async def __aenter__(self) -> Self:
        self._staged.clear()
        self._recorded: list[DomainEvent] = []
        store, staged = self.store, self._staged
        self.people = People(store, staged)
        self.skills = Skills(store.skills)
        self.programs = Programs(store, staged)
        self.enrollments = Enrollments(store)
        self.relationships = Relationships(store, staged)
        self.meetings = Meetings(store, staged)
        self.goals = Goals(store.goals)
        self.calendar_feeds = CalendarFeeds(store, staged)
        self.api_keys = ApiKeys(store, staged)
        self.matching_runs = MatchingRuns(store, staged)
        self.checkins = Checkins(store.checkins)
        self.surveys = Surveys(store, staged)
        self.concerns = Concerns(store.concerns)
        self.stories = Stories(store, staged)
        self.recognitions = Recognitions(store.recognitions)
        self.jobs = JobQueue(store, staged)
        self.webhook_endpoints = WebhookEndpoints(store, staged)
        self.webhook_messages = WebhookMessages(store, staged)
        self.retention = Retention()
        self.queries = FakeReadSide(store)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._staged.clear()

    def _tracking(self) -> Iterable[Tracking[Any]]:
        return (self.people, self.skills, self.programs, self.enrollments, self.relationships, self.meetings,
                self.goals, self.matching_runs, self.webhook_endpoints, self.checkins, self.surveys,
                self.concerns, self.stories, self.recognitions)  # fmt: skip

    def record(self, event: DomainEvent) -> None:
        self._recorded.append(event)

    async def commit(self) -> None:
        for table in self._tracking():
            table.check()
        events = [event for table in self._tracking() for event in table.events()] + self._recorded
        for table in self._tracking():
            table.apply()
        for write in self._staged:
            write()
        self._staged.clear()
        self._recorded = []
        self.store.outbox.extend(sorted(events, key=lambda event: event.sequence))
        self.commits += 1

    async def rollback(self) -> None:
        self._staged.clear()
        self._recorded = []
