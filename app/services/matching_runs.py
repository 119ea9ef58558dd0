"""Matching runs: pair a program's ready enrollments with the engine, review, adjust, publish."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from app.domain import matching
from app.domain.actors import Actor
from app.domain.errors import DomainError, FieldProblem, conflict, invalid
from app.domain.jobs import JobRequest
from app.domain.matching import Candidate, MatchingResult, MatchingSettings
from app.domain.matching.fairness import fairness
from app.domain.matching_runs import (
    MatchingRun,
    Pair,
    RunStatus,
    check_adjustments,
    normalise_pairs,
    settings_for,
)
from app.domain.ports import UnitOfWork
from app.domain.programs import ProgramStatus
from app.services.common import ensure_version
from app.services.matching_pool import _all_enrollments, _pool_statuses, build_pool, enrollment_census
from app.services.matching_run_reads import (
    _program,
    _run,
    compare_run,
    get_run,
    list_runs,
    run_proposals,
    run_unmatched,
)
from app.services.pairing import load_pairing

__all__ = [
    "INLINE_POOL_LIMIT",
    "SOLVE_JOB",
    "Solver",
    "build_pool",
    "compare_run",
    "enrollment_census",
    "execute_run",
    "fail_run",
    "get_run",
    "list_runs",
    "publish_run",
    "run_proposals",
    "run_unmatched",
    "solve",
    "solve_in_thread",
    "solve_run_job",
    "start_run",
]

log = logging.getLogger("turnabout.matching")


def solve(*args: Any, **kwargs: Any) -> MatchingResult:
    """The engine's ``solve``, imported on its first call: NumPy, SciPy and OR-Tools stay out of a
    process that never solves."""
    return matching.solve(*args, **kwargs)


# Pools up to this size are solved before the start request answers; larger ones by a job
# (``SOLVE_JOB``), in a process of their own.
INLINE_POOL_LIMIT = 400
SOLVE_JOB = "matching.solve"
_RUNNABLE = frozenset({ProgramStatus.MATCHING, ProgramStatus.ACTIVE})
_PROGRESS_EVERY = 0.5  # seconds between progress writes while a run solves


class Solver(Protocol):
    """Runs the engine on a pool: in a thread for the small pools solved inside a request, in a
    process of its own for the jobs (``app.adapters.matching.process_solver``)."""

    async def __call__(
        self,
        pool: Sequence[Candidate],
        settings: MatchingSettings,
        *,
        exclusions: frozenset[frozenset[UUID]],
        pins: Sequence[Pair],
        forbids: Sequence[Pair],
        progress: Callable[[float], None],
    ) -> MatchingResult: ...


async def solve_in_thread(
    pool: Sequence[Candidate],
    settings: MatchingSettings,
    *,
    exclusions: frozenset[frozenset[UUID]],
    pins: Sequence[Pair],
    forbids: Sequence[Pair],
    progress: Callable[[float], None],
) -> MatchingResult:
    """The engine in a worker thread (small pools only: it shares the interpreter with the caller)."""
    return await asyncio.to_thread(
        solve, list(pool), settings, exclusions=exclusions, pins=list(pins), forbids=list(forbids), progress=progress
    )


async def start_run(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    pins: list[Pair],
    forbids: list[Pair],
    based_on: UUID | None,
    dry_run: dict[str, Any] | None = None,
) -> MatchingRun:
    """Start a matching run over the program's ready enrollments.

    - the program's coordinators and admins; the program is ``matching`` (or ``active``, to pair
      late joiners and people returned to the pool by a rematch);
    - ``based_on`` re-solves an earlier run: its pins and forbids are kept and these are added
      (swap two pairs by forbidding them and pinning the new ones);
    - pins and forbids name enrollments of this program; pinned pairs must respect every hard
      constraint (else 409 ``pin_breaks_constraint``);
    - small pools are solved before this answers (status ``completed``); larger ones are solved by a
      job in a process of their own — poll the run for ``status`` and ``progress``; a solve cut off by
      a stop or a crash is solved again;
    - ``dry_run`` (settings to change: weights, department preference, reporting-line depth,
      same-manager peers, seniority gaps, top_k) solves with those settings instead, to compare with
      the current run (see the run's comparison); a dry run can never be published.
    """
    async with uow:
        program = await _program(uow, actor, program_id)
        if program.status not in _RUNNABLE:
            raise conflict(
                "program_not_matching", f"The program is {program.status}; matching runs need it in matching."
            )
        pins = normalise_pairs(pins, "pins")
        forbids = normalise_pairs(forbids, "forbids")
        if based_on is not None:
            parent, _ = await _run(uow, actor, based_on)
            if parent.program_id != program_id:
                raise invalid(
                    "run_of_another_program", "The run to re-solve belongs to another program.", path="based_on"
                )
            pins = normalise_pairs([*parent.pins, *pins], "pins")
            forbids = normalise_pairs([*parent.forbids, *forbids], "forbids")
        check_adjustments(pins, forbids)
        if dry_run is not None:
            settings_for(program.matching_settings(), dry_run)  # refused now, not when it solves
        mentioned = {e for pair in (*pins, *forbids) for e in pair}
        if mentioned:
            known = {e.id for e in await _all_enrollments(uow, program_id, frozenset())}
            unknown = sorted(str(e) for e in mentioned - known)
        else:
            unknown = []
        if unknown:
            raise DomainError(
                code="enrollment_unknown",
                detail="Some pinned or forbidden enrollments are not in this program.",
                kind="invalid",
                errors=[FieldProblem(path="pins", message=e) for e in unknown],
            )
        run = MatchingRun(
            id=uow.ids.new_id(),
            program_id=program_id,
            started_by=actor.person_id,
            created_at=uow.clock.now(),
            based_on=based_on,
            pins=pins,
            forbids=forbids,
            dry_run=dry_run is not None,
            settings_overrides=dict(dry_run or {}),
        )
        # The pool's size decides where the run is solved; counted in SQL (a large pool is loaded only
        # by its job, never here). The job records the exact size when the solve starts.
        run.pool_size = await uow.enrollments.count_of_active_people(program_id, _pool_statuses(program))
        uow.matching_runs.add(run)
        if run.pool_size > INLINE_POOL_LIMIT:
            uow.jobs.enqueue(JobRequest(SOLVE_JOB, {"run_id": str(run.id)}, dedupe_key=str(run.id)))
        await uow.commit()
        return run


async def execute_run(new_uow: Callable[[], UnitOfWork], run_id: UUID, *, solver: Solver = solve_in_thread) -> None:
    """Solve a queued run now (a small pool, inside the request that started it); progress is written
    as it goes. Any failure marks the run ``failed`` with the reason — a run is never left ``running``."""
    try:
        await _solve_and_record(new_uow, run_id, solver, resume=False, retryable=False)
    except Exception as error:  # e.g. the database failed mid-way: still never leave the run open
        await fail_run(new_uow, run_id, _failure(error))


async def solve_run_job(new_uow: Callable[[], UnitOfWork], run_id: UUID, *, solver: Solver, last_attempt: bool) -> None:
    """The ``matching.solve`` job: solve a queued run — or a run left ``running`` by a worker that died
    or stopped, from the start. A rule the solve breaks (e.g. a pin) fails the run; anything else (the
    solve process or the database failed) is raised for the job to retry, and fails the run on the
    job's last attempt."""
    try:
        await _solve_and_record(new_uow, run_id, solver, resume=True, retryable=not last_attempt)
    except Exception as error:
        if last_attempt:
            await fail_run(new_uow, run_id, _failure(error))
        raise


async def fail_run(new_uow: Callable[[], UnitOfWork], run_id: UUID, reason: str) -> None:
    """Mark a queued or running run ``failed`` (its job gave up); a finished run stays as it is."""
    async with new_uow() as uow:
        run = await uow.matching_runs.get(run_id)
        if run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
            run.fail(reason, now=uow.clock.now())
            await uow.commit()


def _failure(error: Exception) -> str:
    """What a failed run records: a domain rule's code and detail, else only the error's type (the
    traceback goes to the service log, not to coordinators)."""
    if isinstance(error, DomainError):
        return f"{error.code}: {error.detail}"
    log.error("matching_run_failed", exc_info=error)
    return f"internal_error: {type(error).__name__}"


async def _solve_and_record(
    new_uow: Callable[[], UnitOfWork], run_id: UUID, solver: Solver, *, resume: bool, retryable: bool
) -> None:
    startable = {RunStatus.QUEUED, RunStatus.RUNNING} if resume else {RunStatus.QUEUED}
    async with new_uow() as uow:
        run = await uow.matching_runs.get(run_id)
        program = await uow.programs.get(run.program_id) if run else None
        if run is None or program is None or run.status not in startable:
            return
        pool = await build_pool(uow, program)
        census = await enrollment_census(uow, program.id)
        exclusions = await uow.relationships.exclusions(program.id)
        settings = settings_for(program.matching_settings(), run.settings_overrides)
        if run.status is RunStatus.RUNNING:
            run.restart(pool_size=len(pool), now=uow.clock.now())
        else:
            run.start(pool_size=len(pool), now=uow.clock.now())
        await uow.commit()
    latest = 0.0
    done = asyncio.Event()

    def report(fraction: float) -> None:  # may be called from the solver's thread
        nonlocal latest
        latest = fraction

    async def write_progress() -> None:
        written = 0.0
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout=_PROGRESS_EVERY)
            if latest - written >= 0.05:
                written = latest
                # Progress is a hint for pollers: a failed write must not cost the run its result.
                with contextlib.suppress(Exception):
                    async with new_uow() as progress_uow:
                        await progress_uow.matching_runs.set_progress(run_id, written)
                        await progress_uow.commit()

    writer = asyncio.create_task(write_progress())
    result: MatchingResult | None = None
    try:
        result = await solver(
            pool, settings, exclusions=exclusions, pins=run.pins, forbids=run.forbids, progress=report
        )
        failure = ""
    except DomainError as error:  # a rule the solve breaks: the run's outcome, not the job's
        failure = _failure(error)
    except Exception as error:
        if retryable:
            raise  # the job tries again (the run stays running meanwhile)
        failure = _failure(error)  # recorded on the run; the service keeps serving
    finally:
        done.set()
        await writer
    async with new_uow() as uow:
        stored = await uow.matching_runs.get(run_id)
        if stored is None:  # deleted with its program meanwhile
            return
        now = uow.clock.now()
        if result is None:
            stored.fail(failure, now=now)
        else:
            await uow.matching_runs.save_result(run_id, result.pairs, result.unmatched, uow.ids.new_id)
            stored.complete(result, now=now, census=census, fairness=fairness(pool, result, settings))
        await uow.commit()


async def publish_run(uow: UnitOfWork, actor: Actor, *, run_id: UUID, expected_version: int | None) -> MatchingRun:
    """Publish a completed run: every proposal becomes a relationship in ``proposed``, all or none.

    - the program's coordinators and admins; only a ``completed`` run, once;
    - each pair is checked again against the hard constraints and capacity as they are now (people
      may have withdrawn or been paired since the run); any breach refuses the whole publication
      (``pair_breaks_constraint``) and nothing changes;
    - both members are then asked to accept or decline.
    """
    async with uow:
        # The program lock serialises this with manual pairing and other publications, so that
        # the capacity checks below see every pair made meanwhile.
        run, program = await _run(uow, actor, run_id, lock=True)
        ensure_version(run, expected_version, "matching run")
        run.check_publishable()
        pairs = await uow.matching_runs.all_proposals(run_id)
        pairing = await load_pairing(uow, program, [e for pair in pairs for e in pair.enrollment_ids])
        now = uow.clock.now()
        for pair in pairs:
            mentor = None
            if pair.mentor_enrollment_id is not None:
                mentor = pair.person_ids[pair.enrollment_ids.index(pair.mentor_enrollment_id)]
            relationship = pairing.propose(
                relationship_id=uow.ids.new_id(),
                enrollment_ids=pair.enrollment_ids,
                source="matching",
                now=now,
                designated_mentor_id=mentor,
                score=pair.score,
                explanation=pair.summary,
            )
            uow.relationships.add(relationship)
        run.publish(relationships=len(pairs), now=now)
        await uow.commit()
        return run
