"""Jobs on a real database (SQLite, and PostgreSQL when configured): enqueued atomically with the
change, deduplicated while unfinished, claimed by one worker at a time, retried with back-off, dead
after the last attempt, reclaimed when a lease expires, released on stop, periodic once per period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.adapters.persistence.jobs import to_job
from app.adapters.persistence.tables import JobRow
from app.bootstrap import Container
from app.domain.jobs import JobRequest, JobState
from app.workers.registry import JobContext, JobKind, RetryLater, registered

jobs = JobRow.__table__  # type: ignore[attr-defined]
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
calls: list[tuple[str, dict[str, Any], int]] = []


async def record(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("record", payload, ctx.attempt))


async def explode(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("explode", payload, ctx.attempt))
    raise ValueError("the receiver said no")


async def postpone(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("postpone", payload, ctx.attempt))
    raise RetryLater(timedelta(minutes=5), "busy")


async def linger(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("linger", payload, ctx.attempt))
    await asyncio.sleep(3600)


async def chain(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("chain", payload, ctx.attempt))
    async with ctx.uow() as uow:
        uow.jobs.enqueue(JobRequest("test.record", {"from": "chain"}))
        await uow.commit()


async def tick(ctx: JobContext, payload: dict[str, Any]) -> None:
    calls.append(("tick", payload, ctx.attempt))


KINDS = (
    JobKind("test.record", record),
    JobKind("test.explode", explode, max_attempts=3),
    JobKind("test.postpone", postpone, max_attempts=2),
    JobKind("test.linger", linger, timeout=timedelta(seconds=0.2), max_attempts=2),
    JobKind("test.chain", chain),
)
TICK = JobKind("test.tick", tick, periodic=timedelta(hours=1))


@pytest.fixture(autouse=True)
def test_kinds(run_jobs: Any) -> Iterator[None]:
    calls.clear()
    run_jobs.periodic = False  # the application's periodic kinds (the health sweep) stay out of these tests
    with registered(*KINDS):
        yield


async def stored(container: Container) -> list[Any]:
    async with container.engine.connect() as connection:
        rows = (await connection.execute(select(jobs).order_by(jobs.c.created_at, jobs.c.id))).all()
    return [to_job(row) for row in rows]


async def enqueue(container: Container, *requests: JobRequest) -> None:
    async with container.uow() as uow:
        for request in requests:
            uow.jobs.enqueue(request)
        await uow.commit()


# --- enqueue --------------------------------------------------------------------------------------


async def test_a_job_is_written_with_the_change_and_rolled_back_with_it(container: Container, org: Any) -> None:
    async with container.uow() as uow:
        uow.jobs.enqueue(JobRequest("test.record", {"n": 1}))
        await uow.commit()
    async with container.uow() as uow:
        uow.jobs.enqueue(JobRequest("test.record", {"n": 2}))
        # leaves without committing
    async with container.uow() as uow:
        uow.jobs.enqueue(JobRequest("test.record", {"n": 3}))
        await uow.rollback()
    found = await stored(container)
    assert [job.payload for job in found] == [{"n": 1}]
    assert found[0].state is JobState.QUEUED and found[0].attempts == 0


async def test_inside_a_request_the_job_commits_only_with_the_request(container: Container) -> None:
    transaction = container.transaction(read_only=False)
    async with transaction:
        async with container.uow(transaction=transaction) as uow:
            uow.jobs.enqueue(JobRequest("test.record", {"n": 1}))
            await uow.commit()
        # the request fails after the use case: nothing is committed
    assert await stored(container) == []
    transaction = container.transaction(read_only=False)
    async with transaction:
        async with container.uow(transaction=transaction) as uow:
            uow.jobs.enqueue(JobRequest("test.record", {"n": 2}))
            await uow.commit()
        await transaction.complete()
    assert [job.payload for job in await stored(container)] == [{"n": 2}]


async def test_an_unfinished_job_with_the_same_dedupe_key_makes_an_enqueue_a_no_op(
    container: Container, run_jobs: Any
) -> None:
    await enqueue(
        container,
        JobRequest("test.record", {"n": 1}, dedupe_key="pair-1"),
        JobRequest("test.record", {"n": 2}, dedupe_key="pair-1"),  # same unit of work
        JobRequest("test.explode", {"n": 3}, dedupe_key="pair-1"),  # another kind: its own key
    )
    await enqueue(container, JobRequest("test.record", {"n": 4}, dedupe_key="pair-1"))  # another unit of work
    assert sorted((job.kind, job.payload["n"]) for job in await stored(container)) == [
        ("test.explode", 3),
        ("test.record", 1),
    ]
    run_jobs.clock.set(T0)
    await run_jobs()  # the record job succeeds: its key is free again
    await enqueue(container, JobRequest("test.record", {"n": 5}, dedupe_key="pair-1"))
    states = sorted((job.payload["n"], job.state.value) for job in await stored(container) if job.kind == "test.record")
    assert states == [(1, "succeeded"), (5, "queued")]


# --- running, retrying, dead ------------------------------------------------------------------------


async def test_run_jobs_runs_what_is_due_and_what_jobs_enqueue(container: Container, run_jobs: Any) -> None:
    run_jobs.clock.set(T0)
    await enqueue(
        container,
        JobRequest("test.chain", {}),
        JobRequest("test.record", {"later": True}, run_at=T0 + timedelta(hours=1)),
    )
    settled = await run_jobs()
    assert [(s.kind, s.state.value) for s in settled] == [("test.chain", "succeeded"), ("test.record", "succeeded")]
    assert ("record", {"from": "chain"}, 1) in calls
    assert ("record", {"later": True}, 1) not in calls  # not due yet
    await run_jobs(at=T0 + timedelta(hours=1))
    assert ("record", {"later": True}, 1) in calls


async def test_a_failing_job_backs_off_then_dies_and_an_admin_may_retry_it(container: Container, run_jobs: Any) -> None:
    run_jobs.clock.set(T0)
    await enqueue(container, JobRequest("test.explode", {"to": "https://hr.example.com/hook"}))
    [first] = await run_jobs()
    assert first.state is JobState.RETRYING and first.error == "ValueError: the receiver said no"
    [job] = await stored(container)
    # attempt 1 failed: back-off 10 s, jittered (the fixture's jitter is one half) to 7.5 s
    assert job.run_at == T0 + timedelta(seconds=7.5) and job.attempts == 1 and job.locked_by is None
    assert await run_jobs() == []  # not due yet
    await run_jobs(at=T0 + timedelta(seconds=8))
    [job] = await stored(container)
    assert job.state is JobState.RETRYING and job.attempts == 2
    assert job.run_at == T0 + timedelta(seconds=8) + timedelta(seconds=15)  # 20 s jittered
    [last] = await run_jobs(at=T0 + timedelta(minutes=5))
    assert last.state is JobState.DEAD and last.attempt == 3
    [job] = await stored(container)
    assert (job.state, job.attempts, job.last_error) == (JobState.DEAD, 3, "ValueError: the receiver said no")
    assert job.finished_at == T0 + timedelta(minutes=5)
    assert await run_jobs(at=T0 + timedelta(days=1)) == []  # dead stays dead

    async with container.uow() as uow:
        assert await uow.jobs.retry_dead(job.id, now=T0 + timedelta(days=1))
        assert await uow.jobs.retry_dead(job.id, now=T0) is False  # only a dead job
        await uow.commit()
    [retried] = await stored(container)
    assert (retried.state, retried.attempts, retried.run_at) == (JobState.QUEUED, 0, T0 + timedelta(days=1))
    [again] = await run_jobs(at=T0 + timedelta(days=1))
    assert again.attempt == 1 and again.state is JobState.RETRYING


async def test_retry_later_reschedules_without_a_failure_until_the_attempts_run_out(
    container: Container, run_jobs: Any
) -> None:
    run_jobs.clock.set(T0)
    await enqueue(container, JobRequest("test.postpone", {}))
    [first] = await run_jobs()
    [job] = await stored(container)
    assert (first.state, first.error) == (JobState.QUEUED, None)
    assert (job.state, job.run_at, job.last_error) == (JobState.QUEUED, T0 + timedelta(minutes=5), None)
    [last] = await run_jobs(at=T0 + timedelta(minutes=5))
    assert last.state is JobState.DEAD and "retry later" in (last.error or "")


async def test_a_job_that_overruns_its_timeout_is_a_failed_attempt(container: Container, run_jobs: Any) -> None:
    run_jobs.clock.set(T0)
    await enqueue(container, JobRequest("test.linger", {}, max_attempts=1))
    [settled] = await run_jobs()
    assert settled.state is JobState.DEAD
    assert settled.error == "TimeoutError: the attempt took longer than 0.2 s"


async def test_a_request_may_lower_the_kinds_attempts(container: Container, run_jobs: Any) -> None:
    run_jobs.clock.set(T0)
    await enqueue(container, JobRequest("test.explode", {}, max_attempts=1))
    [settled] = await run_jobs()
    assert settled.state is JobState.DEAD


# --- leases -------------------------------------------------------------------------------------


async def test_a_job_whose_worker_died_is_finished_by_another_after_the_lease(
    container: Container, run_jobs: Any
) -> None:
    store = container.job_store()
    await enqueue(container, JobRequest("test.record", {"n": 1}))
    [taken] = await store.claim(["test.record"], worker="dead-worker", now=T0, lease=timedelta(seconds=30), limit=5)
    assert taken.state is JobState.RUNNING and taken.attempts == 1
    assert await run_jobs(at=T0 + timedelta(seconds=29)) == []  # the lease still holds
    [settled] = await run_jobs(at=T0 + timedelta(seconds=31))
    assert settled.state is JobState.SUCCEEDED and settled.attempt == 2
    # the first worker wakes up: its outcome no longer counts
    assert not await store.settle(taken.id, worker="dead-worker", now=T0 + timedelta(minutes=1), outcome=None)
    assert not await store.heartbeat([taken.id], worker="dead-worker", until=T0, now=T0)
    [job] = await stored(container)
    assert job.state is JobState.SUCCEEDED and job.attempts == 2


async def test_a_lease_lost_on_the_last_attempt_makes_the_job_dead(container: Container, run_jobs: Any) -> None:
    store = container.job_store()
    await enqueue(container, JobRequest("test.record", {}, max_attempts=1))
    await store.claim(["test.record"], worker="dead-worker", now=T0, lease=timedelta(seconds=30), limit=1)
    [settled] = await run_jobs(at=T0 + timedelta(minutes=1))
    assert settled.state is JobState.DEAD and "lease expired" in (settled.error or "")
    assert calls == []


async def test_two_workers_never_claim_the_same_job(container: Container) -> None:
    store = container.job_store()
    await enqueue(container, *[JobRequest("test.record", {"n": n}) for n in range(40)])

    async def claim(worker: str) -> list[Any]:
        taken = []
        while batch := await store.claim(["test.record"], worker=worker, now=T0, lease=timedelta(minutes=1), limit=3):
            taken.extend(batch)
        return taken

    first, second = await asyncio.gather(claim("a"), claim("b"))
    ids = [job.id for job in first + second]
    assert len(ids) == len(set(ids)) == 40


async def test_a_heartbeat_keeps_the_lease(container: Container, run_jobs: Any) -> None:
    store = container.job_store()
    await enqueue(container, JobRequest("test.record", {}))
    [taken] = await store.claim(["test.record"], worker="w", now=T0, lease=timedelta(seconds=30), limit=1)
    held = await store.heartbeat(
        [taken.id], worker="w", until=T0 + timedelta(seconds=80), now=T0 + timedelta(seconds=20)
    )
    assert held == {taken.id}
    assert await run_jobs(at=T0 + timedelta(seconds=60)) == []
    assert len(await run_jobs(at=T0 + timedelta(seconds=81))) == 1


# --- stopping ------------------------------------------------------------------------------------


async def test_on_stop_jobs_in_flight_are_released_for_another_worker(container: Container, run_jobs: Any) -> None:
    await enqueue(container, JobRequest("test.linger", {}))
    runner = run_jobs.runner()
    runner.grace_seconds = 0.05
    runner.poll_seconds = 0.01
    stop = asyncio.Event()
    serving = asyncio.create_task(runner.serve(stop))
    for _ in range(200):
        if calls:
            break
        await asyncio.sleep(0.01)
    assert calls == [("linger", {}, 1)]
    stop.set()
    await serving
    [job] = await stored(container)
    assert (job.state, job.attempts, job.locked_by) == (JobState.QUEUED, 0, None)


async def test_serving_runs_a_job_as_soon_as_it_is_committed(container: Container, run_jobs: Any) -> None:
    runner = run_jobs.runner()
    runner.poll_seconds = 60  # only the wake-up can make it look again in time
    stop = asyncio.Event()
    serving = asyncio.create_task(runner.serve(stop))
    await asyncio.sleep(0.05)
    await enqueue(container, JobRequest("test.record", {"n": 1}))
    for _ in range(300):
        if calls:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await serving
    assert calls == [("record", {"n": 1}, 1)]


# --- periodic kinds -------------------------------------------------------------------------------


async def test_a_periodic_kind_fires_once_per_period_however_many_workers_look(
    container: Container, run_jobs: Any
) -> None:
    with registered(TICK):
        await fires_once_per_period(run_jobs)


async def fires_once_per_period(run_jobs: Any) -> None:
    run_jobs.periodic = True
    runners = [run_jobs.runner() for _ in range(3)]
    for runner in runners:
        runner.kinds = {"test.tick": TICK}
    run_jobs.clock.set(T0 + timedelta(minutes=10))  # the runners share the fixture's clock
    fired = await asyncio.gather(*(runner.fire_periodic() for runner in runners))
    assert sum(fired) == 1
    await run_jobs()
    assert [c for c in calls if c[0] == "tick"] == [("tick", {"period_start": T0.isoformat()}, 1)]
    # later in the same hour: nothing; the next hour: once more
    assert sum(await asyncio.gather(*(r.fire_periodic() for r in runners))) == 0
    run_jobs.clock.set(T0 + timedelta(minutes=59))
    assert sum(await asyncio.gather(*(r.fire_periodic() for r in runners))) == 0
    run_jobs.clock.set(T0 + timedelta(hours=1, minutes=1))
    assert sum(await asyncio.gather(*(r.fire_periodic() for r in runners))) == 1
    # every worker down for a day: one firing for the current period, no backlog
    run_jobs.clock.set(T0 + timedelta(days=1, minutes=5))
    assert sum(await asyncio.gather(*(r.fire_periodic() for r in runners))) == 1
    await run_jobs()
    assert [c[1]["period_start"] for c in calls if c[0] == "tick"] == [
        T0.isoformat(),
        (T0 + timedelta(hours=1)).isoformat(),
        (T0 + timedelta(days=1)).isoformat(),
    ]


async def test_on_postgresql_a_job_committed_by_another_process_wakes_the_runner(
    container: Container, run_jobs: Any, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    runner = run_jobs.runner()
    runner.poll_seconds = 60  # only the notification can make it look again in time
    runner.listen = lambda: container.job_wakeup.listening(container.engine)
    runner.wakeup_waiter = container.job_wakeup.waiter
    stop = asyncio.Event()
    serving = asyncio.create_task(runner.serve(stop))
    await asyncio.sleep(0.3)  # listening
    # Enqueued as another process would: no in-process wake-up, only the NOTIFY sent at commit.
    await container.job_store().enqueue([JobRequest("test.record", {"n": 1})], now=datetime.now(UTC))
    for _ in range(300):
        if calls:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await serving
    assert calls == [("record", {"n": 1}, 1)]
