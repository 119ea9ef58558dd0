"""The in-memory unit of work implements every port the services use, method for method: when a
port grows a method, this fails until the fake (and so the fast tier) follows."""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, datetime
from typing import Any

import fake_reads
import fake_repositories
import fake_store
import fake_uow
import pytest

from app.domain import ports, read_side

PAIRS = [
    (ports.PeopleRepository, fake_repositories.People),
    (ports.SkillRepository, fake_repositories.Skills),
    (ports.ProgramRepository, fake_repositories.Programs),
    (ports.EnrollmentRepository, fake_repositories.Enrollments),
    (ports.RelationshipRepository, fake_repositories.Relationships),
    (ports.MeetingRepository, fake_repositories.Meetings),
    (ports.GoalRepository, fake_repositories.Goals),
    (ports.CalendarFeedRepository, fake_repositories.CalendarFeeds),
    (ports.ApiKeyRepository, fake_repositories.ApiKeys),
    (ports.MatchingRunRepository, fake_repositories.MatchingRuns),
    (ports.WebhookEndpointRepository, fake_repositories.WebhookEndpoints),
    (ports.WebhookMessageStore, fake_repositories.WebhookMessages),
    (ports.CheckinRepository, fake_repositories.Checkins),
    (ports.SurveyRepository, fake_repositories.Surveys),
    (ports.ConcernRepository, fake_repositories.Concerns),
    (ports.StoryRepository, fake_repositories.Stories),
    (ports.RecognitionRepository, fake_repositories.Recognitions),
    (ports.JobQueue, fake_repositories.JobQueue),
    (ports.Retention, fake_repositories.Retention),
    (read_side.ReadSide, fake_reads.FakeReadSide),
    (ports.UnitOfWork, fake_uow.FakeUnitOfWork),
]


def shape(signature: inspect.Signature) -> list[tuple[Any, ...]]:
    """What a caller relies on: positional parameters by place, keyword-only ones by name, defaults."""
    return [
        (p.kind, p.name if p.kind is p.KEYWORD_ONLY else None, p.default is p.empty)
        for p in signature.parameters.values()
    ]


def methods(cls: type[Any]) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(cls).items()
        if callable(member) and (not name.startswith("_") or name in {"__aenter__", "__aexit__"})
    }


@pytest.mark.parametrize(("port", "fake"), PAIRS, ids=lambda c: c.__name__)
def test_the_fake_has_every_method_of_the_port_with_its_parameters(port: type[Any], fake: type[Any]) -> None:
    for name, expected in methods(port).items():
        found = getattr(fake, name, None)
        assert found is not None, f"{fake.__name__} lacks {name}"
        assert shape(inspect.signature(found)) == shape(expected), name
        assert inspect.iscoroutinefunction(found) == inspect.iscoroutinefunction(getattr(port, name)), name


def test_the_fake_unit_of_work_offers_every_repository_and_service_of_the_port() -> None:
    properties = [name for name, member in vars(ports.UnitOfWork).items() if isinstance(member, property)]
    clock = fake_store.SettableClock(datetime.now(UTC))
    uow = fake_uow.FakeUnitOfWork(fake_store.Store(), clock=clock, ids=fake_store.SequentialIds())

    async def missing() -> list[str]:
        async with uow:
            return [name for name in properties if not hasattr(uow, name)]

    assert asyncio.run(missing()) == []


def test_the_fake_unit_of_work_keeps_job_requests_only_when_it_commits() -> None:
    from app.domain.jobs import JobRequest

    store = fake_store.Store()
    clock = fake_store.SettableClock(datetime.now(UTC))
    ids = fake_store.SequentialIds()

    async def scenario() -> list[JobRequest]:
        kept = fake_uow.FakeUnitOfWork(store, clock=clock, ids=ids)
        async with kept:
            kept.jobs.enqueue(JobRequest("test.kept", {}))
            await kept.commit()
        dropped = fake_uow.FakeUnitOfWork(store, clock=clock, ids=ids)
        async with dropped:
            dropped.jobs.enqueue(JobRequest("test.dropped", {}))
        rolled = fake_uow.FakeUnitOfWork(store, clock=clock, ids=ids)
        async with rolled:
            rolled.jobs.enqueue(JobRequest("test.rolled_back", {}))
            await rolled.rollback()
        return rolled.jobs.enqueued

    assert [job.kind for job in asyncio.run(scenario())] == ["test.kept"]
