"""The runner embedded in the server (the SQLite default): started and stopped with the app, and jobs
that survive a restart — enqueued before the stop, run after the start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.adapters.persistence.migrations import upgrade
from app.bootstrap import build_container
from app.domain.jobs import JobRequest
from app.main import create_app
from app.settings import Settings
from app.workers.registry import JobContext, JobKind, registered

ran: list[dict[str, Any]] = []


async def remember(ctx: JobContext, payload: dict[str, Any]) -> None:
    ran.append(payload)


@pytest.fixture(autouse=True)
def kind() -> Iterator[None]:
    ran.clear()
    with registered(JobKind("test.remember", remember)):
        yield


def test_the_server_runs_jobs_itself_on_sqlite_only_by_default() -> None:
    assert Settings(database_url="sqlite+aiosqlite:///./x.db").jobs_run_embedded
    assert not Settings(database_url="postgresql+asyncpg://u@h/db").jobs_run_embedded
    assert Settings(database_url="postgresql+asyncpg://u@h/db", jobs_embedded=True).jobs_run_embedded
    assert not Settings(database_url="sqlite+aiosqlite:///./x.db", jobs_embedded=False).jobs_run_embedded


async def test_jobs_enqueued_before_a_restart_run_after_it(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'restart.db'}"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(
        database_url=url,
        dev_signing_key_path=tmp_path / "key.json",
        log_level="warning",
        jobs_poll_seconds=0.05,
    )
    assert settings.jobs_run_embedded

    first = create_app(settings)
    async with first.router.lifespan_context(first):
        container = first.state.container
        async with container.uow() as uow:
            uow.jobs.enqueue(JobRequest("test.remember", {"n": 1}))
            uow.jobs.enqueue(JobRequest("test.remember", {"n": 2}, run_at=container.clock.now() + timedelta(seconds=2)))
            await uow.commit()
        for _ in range(200):  # the first runs at once (the commit wakes the runner)
            if ran:
                break
            await asyncio.sleep(0.02)
        assert ran == [{"n": 1}]
    # the server stopped before the second was due: it waits in the database file
    assert ran == [{"n": 1}]
    await asyncio.sleep(2)

    second = create_app(settings)
    async with second.router.lifespan_context(second):
        for _ in range(200):
            if len(ran) == 2:
                break
            await asyncio.sleep(0.02)
    assert ran == [{"n": 1}, {"n": 2}]

    checker = build_container(settings)
    try:
        store = checker.job_store()
        assert await store.next_due(["test.remember"], now=checker.clock.now() + timedelta(days=1)) is None
    finally:
        await checker.aclose()
