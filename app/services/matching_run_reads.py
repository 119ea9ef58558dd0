"""Matching runs as their coordinators read them: a run, a program's runs, a run's proposals and
unmatched, and a run's figures beside the program's current run."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun, RunFigures, current_run, figures_of
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.domain.programs import Program
from app.services.matching_pool import _every


async def _program(uow: UnitOfWork, actor: Actor, program_id: UUID) -> Program:
    program = await uow.programs.get(program_id)
    if program is None:
        raise not_found("program", program_id)
    policies.require(policies.can_pair(actor, program), "matching_forbidden", "Only the program's coordinators match.")
    return program


async def _run(uow: UnitOfWork, actor: Actor, run_id: UUID, *, lock: bool = False) -> tuple[MatchingRun, Program]:
    """The run and its program; to anyone who may not match in that program the run does not exist."""
    run = await uow.matching_runs.get(run_id)
    if run is None:
        raise not_found("matching_run", run_id)
    program = await uow.programs.get(run.program_id, lock=lock)
    if program is None or not policies.can_pair(actor, program):
        raise not_found("matching_run", run_id)
    return run, program


async def get_run(uow: UnitOfWork, actor: Actor, *, run_id: UUID) -> MatchingRun:
    """Read a matching run: its status and progress while it solves, then its quality, pairs and
    who stayed unmatched.

    - the program's coordinators and admins.
    """
    async with uow:
        run, _ = await _run(uow, actor, run_id)
        return run


async def list_runs(uow: UnitOfWork, actor: Actor, *, program_id: UUID, page: PageRequest) -> Page[MatchingRun]:
    """A program's matching runs, oldest first.

    - the program's coordinators and admins.
    """
    async with uow:
        await _program(uow, actor, program_id)
        return await uow.matching_runs.list(program_id, page)


async def run_proposals(uow: UnitOfWork, actor: Actor, *, run_id: UUID, page: PageRequest) -> Page[ProposedPair]:
    """The proposed pairs, each with its score and the factors that made it."""
    async with uow:
        await _run(uow, actor, run_id)
        return await uow.matching_runs.proposals(run_id, page)


async def run_unmatched(uow: UnitOfWork, actor: Actor, *, run_id: UUID, page: PageRequest) -> Page[Unmatched]:
    """Who stayed unmatched, and why (no allowed partner, at capacity, not selected, odd one out)."""
    async with uow:
        await _run(uow, actor, run_id)
        return await uow.matching_runs.unmatched(run_id, page)


async def compare_run(uow: UnitOfWork, actor: Actor, *, run_id: UUID) -> tuple[RunFigures | None, RunFigures | None]:
    """A run's figures side by side with the program's current run (total, quality, coverage,
    cross-department share): what a dry run's settings would change.

    - the current run is the latest published run, else the latest completed run that is not a dry
      run; either side is empty while it has no figures.
    """
    async with uow:
        run, _ = await _run(uow, actor, run_id)
        runs = await _every(lambda page: uow.matching_runs.list(run.program_id, page))
        current = current_run(runs, besides=run.id)
        return figures_of(run), (figures_of(current) if current is not None else None)
