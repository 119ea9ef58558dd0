"""The runner: claims due jobs, runs their handlers under a timeout, settles each attempt.

One loop per process (``turnabout worker``, or embedded in the server on SQLite):

1. fires the periodic kinds whose period came (a compare-and-set on their schedule row enqueues one
   job per period, whichever worker gets there first);
2. asks a reader connection whether a job is due and, only then, claims up to as many as it has free
   slots (``--concurrency``) in one short write transaction;
3. runs each claimed job in a task of its own, ``asyncio.wait_for`` the kind's timeout; renews the leases
   of the jobs in flight every third of the lease; a job whose lease another worker took (this worker
   stalled past its lease) is cancelled here and not settled;
4. settles the attempt: succeeded; retried after a jittered exponential back-off; rescheduled
   (``RetryLater``); or dead after the last attempt;
5. sleeps until woken (a commit in this process; ``NOTIFY`` on PostgreSQL), until the next job is due, or
   for the poll interval, whichever comes first.

On stop (SIGTERM) it claims nothing more, lets the jobs in flight finish for the grace period, then
cancels the rest and releases them (queued again at once, the interrupted attempt not counted). A
worker that dies without releasing leaves its jobs to lease expiry: another worker claims them then.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import structlog
from prometheus_client import Counter

from app.adapters.persistence.jobs import JobStore
from app.domain.jobs import (
    Job,
    JobRequest,
    JobState,
    Outcome,
    after_failure,
    after_retry_later,
    next_period,
    summarise_error,
)
from app.domain.jobs import period_start as start_of_period
from app.domain.ports import Clock, UnitOfWork
from app.settings import Settings
from app.workers.isolation import ChildFailed, run_in_child, warm_up
from app.workers.registry import JobContext, JobKind, RetryLater

log = structlog.get_logger("turnabout.jobs")
# In the processes that run jobs (the server with its embedded runner, each worker).
JOB_FAILURES = Counter("turnabout_job_failures", "Failed job attempts (dead ones included), per kind.", ["kind"])
JOBS_DONE = Counter("turnabout_jobs_settled", "Job attempts settled, per kind and resulting state.", ["kind", "state"])


def worker_name() -> str:
    """Unique per runner: the host, the process, and a random part (two runners of one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Settled:
    """What one attempt came to (the tests' ``run_jobs`` answers a list of these)."""

    id: UUID
    kind: str
    attempt: int
    state: JobState
    error: str | None = None


@dataclass
class Runner:
    store: JobStore
    kinds: Mapping[str, JobKind]
    new_uow: Callable[[], UnitOfWork]
    clock: Clock
    settings: Settings
    worker: str = field(default_factory=worker_name)
    concurrency: int = 4
    lease: timedelta = timedelta(seconds=30)
    poll_seconds: float = 1.0
    grace_seconds: float = 20.0
    jitter: Callable[[], float] = random.random
    listen: Callable[[], AbstractAsyncContextManager[Any]] | None = None
    wakeup_waiter: Callable[[], asyncio.Event] | None = None
    periodic: bool = True  # whether this runner fires the periodic kinds' schedules
    isolate: bool = True  # whether isolated kinds run in processes of their own (tests run them here)
    settled: list[Settled] = field(default_factory=list)
    _in_flight: dict[UUID, asyncio.Task[None]] = field(default_factory=dict)
    _completions: _Completions | None = None
    _lost: set[UUID] = field(default_factory=set)

    # --- periodic kinds ------------------------------------------------------------------------------
    async def fire_periodic(self) -> int:
        """Enqueue the periodic kinds whose period has come (once per period across all workers);
        returns how many this runner fired."""
        periodic = {name: kind.periodic for name, kind in self.kinds.items() if kind.periodic is not None}
        if not periodic or not self.periodic:
            return 0
        now = self.clock.now()
        known = await self.store.schedules()
        fired = 0
        for name, period in sorted(periodic.items()):
            due = known.get(name)
            if due is not None and due > now:
                continue
            # A period missed entirely (every worker was down) is not made up: the job fires once, now,
            # for the current period.
            if await self.store.fire(
                name,
                expected=due,
                period_start=start_of_period(now, period),
                next_run_at=next_period(now, period),
                now=now,
            ):
                fired += 1
                log.debug("job_periodic_fired", kind=name, period_start=start_of_period(now, period).isoformat())
        return fired

    # --- one attempt ----------------------------------------------------------------------------------
    async def _attempt(self, job: Job) -> None:
        kind = self.kinds[job.kind]
        max_attempts = job.max_attempts or kind.max_attempts
        if job.attempts > max_attempts:
            # Claimed back after a lease expired on what was its last attempt: the worker died with it.
            await self._settle(
                job, Outcome(JobState.DEAD, None), "lease expired: the worker running the last attempt stopped"
            )
            return
        context = self._context(job)
        error: str | None = None
        outcome: Outcome | None = None
        attempt: Awaitable[None]
        if kind.isolated and self.isolate:
            attempt = run_in_child(kind, self.settings, payload=dict(job.payload), job_id=job.id, attempt=job.attempts)
        else:
            attempt = kind.handler(context, dict(job.payload))
        try:
            await asyncio.wait_for(attempt, kind.timeout.total_seconds())
        except RetryLater as later:
            outcome = after_retry_later(job.attempts, max_attempts, now=self.clock.now(), after=later.after)
            if outcome.state is JobState.DEAD:
                error = f"still asked to retry later on its last attempt: {later}"
        except TimeoutError:
            error = f"TimeoutError: the attempt took longer than {kind.timeout.total_seconds():g} s"
            outcome = after_failure(job.attempts, max_attempts, now=self.clock.now(), fraction=self.jitter())
        except ChildFailed as failure:
            error = str(failure)
            outcome = after_failure(job.attempts, max_attempts, now=self.clock.now(), fraction=self.jitter())
            log.warning("job_attempt_failed", kind=job.kind, job_id=str(job.id), attempt=job.attempts, error=error)
        except Exception as failure:
            error = summarise_error(failure)
            outcome = after_failure(job.attempts, max_attempts, now=self.clock.now(), fraction=self.jitter())
            log.warning("job_attempt_failed", kind=job.kind, job_id=str(job.id), attempt=job.attempts, exc_info=failure)
        await self._settle(job, outcome, error)

    async def _settle(self, job: Job, outcome: Outcome | None, error: str | None) -> None:
        if job.id in self._lost:
            return  # another worker holds it now; its outcome is the one that counts
        state = JobState.SUCCEEDED if outcome is None else outcome.state
        if error is not None:
            JOB_FAILURES.labels(kind=job.kind).inc()
        if outcome is None and self._completions is not None:
            held = await self._completions.complete(job.id)
        else:
            held = await self.store.settle(
                job.id, worker=self.worker, now=self.clock.now(), outcome=outcome, error=error
            )
        if not held:
            log.warning("job_lease_lost", kind=job.kind, job_id=str(job.id))
            return
        JOBS_DONE.labels(kind=job.kind, state=state.value).inc()
        self.settled.append(Settled(job.id, job.kind, job.attempts, state, error))
        kind = self.kinds.get(job.kind)
        if state is JobState.DEAD and kind is not None and kind.on_dead is not None:
            try:
                await kind.on_dead(self._context(job), dict(job.payload), error or "")
            except Exception:
                log.exception("job_on_dead_failed", kind=job.kind, job_id=str(job.id))

    def _context(self, job: Job) -> JobContext:
        return JobContext(
            uow=self.new_uow, clock=self.clock, settings=self.settings, job_id=job.id, attempt=job.attempts
        )

    # --- claiming ------------------------------------------------------------------------------------
    async def _claim(self, limit: int) -> list[Job]:
        now = self.clock.now()
        if self.store.claims_block_writers:
            due = await self.store.next_due(self.kinds, now=now)
            if due is None or due > now:
                return []
        return await self.store.claim(self.kinds, worker=self.worker, now=now, lease=self.lease, limit=limit)

    async def run_due(self, *, rounds: int = 1000) -> list[Settled]:
        """Run every job due now, and those they enqueue, until none is due (the tests' ``run_jobs``
        and ``turnabout worker --once``). Jobs run one at a time, in due order."""
        start = len(self.settled)
        for _ in range(rounds):
            await self.fire_periodic()
            claimed = await self._claim(self.concurrency)
            if not claimed:
                return self.settled[start:]
            for job in claimed:
                await self._attempt(job)
        raise RuntimeError(f"jobs still due after {rounds} rounds: a job that keeps enqueueing itself?")

    # --- the loop ------------------------------------------------------------------------------------
    async def _renew(self) -> None:
        """Every third of the lease: extend the leases of the jobs in flight; cancel the ones lost."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            ids = list(self._in_flight)
            if not ids:
                continue
            now = self.clock.now()
            try:
                held = await self.store.heartbeat(ids, worker=self.worker, until=now + self.lease, now=now)
            except Exception:
                log.warning("job_heartbeat_failed", exc_info=True)
                continue
            for job_id in ids:
                task = self._in_flight.get(job_id)
                if job_id not in held and task is not None:
                    self._lost.add(job_id)
                    task.cancel()

    def _start(self, job: Job, wake: asyncio.Event) -> None:
        task = asyncio.create_task(self._attempt(job), name=f"job:{job.kind}:{job.id}")
        self._in_flight[job.id] = task

        def done(finished: asyncio.Task[None]) -> None:
            self._in_flight.pop(job.id, None)
            self._lost.discard(job.id)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("job_settle_failed", kind=job.kind, job_id=str(job.id), exc_info=finished.exception())
            wake.set()  # a slot is free

        task.add_done_callback(done)

    async def serve(self, stop: asyncio.Event) -> None:
        """Run jobs until ``stop`` is set, then finish or release the ones in flight."""
        wake = self.wakeup_waiter() if self.wakeup_waiter is not None else asyncio.Event()
        listening = self.listen() if self.listen is not None else contextlib.nullcontext()
        renewer = asyncio.create_task(self._renew(), name="jobs:renew")
        if self.isolate and any(kind.isolated for kind in self.kinds.values()):
            # the forkserver imports the application once, in a thread, before the first isolated job
            warming: asyncio.Task[None] | None = asyncio.create_task(asyncio.to_thread(warm_up), name="jobs:warm")
        else:
            warming = None
        self._completions = _Completions(self.store, self.worker, self.clock)
        completer = asyncio.create_task(self._completions.run(), name="jobs:complete")
        log.info("job_runner_started", worker=self.worker, kinds=sorted(self.kinds), concurrency=self.concurrency)
        try:
            async with listening:
                while not stop.is_set():
                    wake.clear()
                    delay = self.poll_seconds
                    try:
                        await self.fire_periodic()
                        free = self.concurrency - len(self._in_flight)
                        if free > 0:
                            claimed = await self._claim(free)
                            for job in claimed:
                                self._start(job, wake)
                            if len(claimed) == free:
                                delay = 0.0  # there may be more
                    except Exception:
                        log.warning("job_runner_database_error", exc_info=True)
                    if delay:
                        await _first(stop, wake, seconds=delay)
        finally:
            renewer.cancel()
            if warming is not None and not warming.done():
                await asyncio.gather(warming, return_exceptions=True)
            await self._drain()
            completer.cancel()
            self._completions = None
            log.info("job_runner_stopped", worker=self.worker)

    async def _drain(self) -> None:
        """Let the jobs in flight finish for the grace period; cancel and release the rest."""
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=self.grace_seconds)
        unfinished = dict(self._in_flight)
        for task in unfinished.values():
            task.cancel()
        if unfinished:
            await asyncio.gather(*unfinished.values(), return_exceptions=True)
            try:
                released = await self.store.release(list(unfinished), worker=self.worker, now=self.clock.now())
                log.info("jobs_released", count=released)
            except Exception:
                log.warning("jobs_release_failed", exc_info=True)


class _Completions:
    """Finished jobs marked succeeded in batches: those that finish while one batch is being written
    go in the next, in one statement (no waiting added when jobs finish one at a time)."""

    def __init__(self, store: JobStore, worker: str, clock: Clock) -> None:
        self.store, self.worker, self.clock = store, worker, clock
        self.pending: dict[UUID, asyncio.Future[bool]] = {}
        self.wake = asyncio.Event()

    async def complete(self, job_id: UUID) -> bool:
        """Whether this worker still held the job when it was marked succeeded."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.pending[job_id] = done
        self.wake.set()
        return await done

    async def run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            batch, self.pending = self.pending, {}
            if not batch:
                continue
            try:
                held = await self.store.complete(list(batch), worker=self.worker, now=self.clock.now())
            except Exception as error:
                for waiting in batch.values():
                    if not waiting.done():
                        waiting.set_exception(error)
                continue
            for job_id, waiting in batch.items():
                if not waiting.done():
                    waiting.set_result(job_id in held)


async def _first(stop: asyncio.Event, wake: asyncio.Event, *, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def enqueue(store: JobStore, clock: Clock, *requests: JobRequest) -> None:
    """Enqueue outside any use case (operators, benchmarks)."""
    await store.enqueue(list(requests), now=clock.now())


@contextlib.asynccontextmanager
async def running(runner: Runner) -> AsyncIterator[asyncio.Event]:
    """Serve in the background while the block runs (the server's embedded runner); stop cleanly."""
    stop = asyncio.Event()
    task = asyncio.create_task(runner.serve(stop), name="jobs:runner")
    try:
        yield stop
    finally:
        stop.set()
        await task
