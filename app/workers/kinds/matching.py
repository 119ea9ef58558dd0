"""``matching.solve``: a large pool's matching run, solved in a process of its own.

The web process never runs any of it: each attempt runs in a process of its own (``isolated``, see
``app.workers.isolation``) that loads the pool, hands it to the engine's process (``solve_in_process``,
with its deadline), and scores and saves the result — so neither the server's event loop (the embedded
mode) nor a worker's other jobs wait on it or share an interpreter lock with it. Progress is written on
the run as the engine reports it. A worker that dies mid-solve stops renewing the job's lease; another
worker claims the job and solves the run again from the start. The run is failed with a reason only
when the job gives up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

from app.adapters.matching.process_solver import solve_in_process
from app.domain.matching import Candidate, MatchingResult, MatchingSettings
from app.domain.matching_runs import Pair
from app.services import matching_runs
from app.workers.registry import JobContext, JobKind, register

MAX_ATTEMPTS = 3


async def in_process(
    pool: Sequence[Candidate],
    settings: MatchingSettings,
    *,
    exclusions: frozenset[frozenset[UUID]],
    pins: Sequence[Pair],
    forbids: Sequence[Pair],
    progress: Callable[[float], None],
) -> MatchingResult:
    return await solve_in_process(
        pool,
        settings,
        exclusions=exclusions,
        pins=pins,
        forbids=forbids,
        time_limit_s=settings.time_limit_seconds,
        progress=progress,
    )


async def solve(ctx: JobContext, payload: dict[str, Any]) -> None:
    await matching_runs.solve_run_job(
        ctx.uow, UUID(payload["run_id"]), solver=in_process, last_attempt=ctx.attempt >= MAX_ATTEMPTS
    )


async def gave_up(ctx: JobContext, payload: dict[str, Any], error: str) -> None:
    await matching_runs.fail_run(ctx.uow, UUID(payload["run_id"]), f"interrupted: {error}; start a new run")


register(
    JobKind(
        matching_runs.SOLVE_JOB,
        solve,
        max_attempts=MAX_ATTEMPTS,
        # The engine's own limit is at most an hour (MatchingSettings.time_limit_seconds); the rest is
        # for reading the pool and writing the result.
        timeout=timedelta(minutes=70),
        queue="matching",
        on_dead=gave_up,
        isolated=True,  # loading, scoring and saving 10,000 people's pool never holds the runner's loop
    )
)
