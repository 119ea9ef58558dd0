"""Program metrics: counted on the read side, small cells withheld (``app.domain.metrics``)."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.metrics import ProgramMetrics
from app.domain.ports import UnitOfWork


async def program_metrics(uow: UnitOfWork, actor: Actor, *, program_id: UUID) -> ProgramMetrics:
    """A program's metrics: enrolment funnel, match rate and days to match, acceptance rate, meetings
    held against the agreed cadences, turn balance, goals and objectives, check-ins, closed surveys,
    outcomes by reason, trained against untrained pairs, retention against comparable colleagues,
    and monthly series.

    - the program's coordinators, admins, its advisory committee and integrations;
    - every rate carries the size of its group; a rate over fewer than 5 is withheld (null).
    """
    async with uow:
        access = await uow.queries.program_access(actor, program_id)
        if access is None:
            raise not_found("program", program_id)
        policies.require(
            policies.can_read_metrics(actor, access),
            "metrics_forbidden",
            "The program's coordinators, its advisory committee and integrations read its metrics.",
        )
        found = await uow.queries.program_metrics(program_id, uow.clock.now())
        if found is None:
            raise not_found("program", program_id)
        return found


async def report_title(uow: UnitOfWork, program_id: UUID) -> str:
    """The program's name, for the heading of its report. Not a use case: the report route calls it only
    after :func:`program_metrics` admitted the caller (integrations need no `programs:read` for it)."""
    async with uow:
        program = await uow.programs.get(program_id)
        if program is None:
            raise not_found("program", program_id)
        return program.name


async def organisation_metrics(uow: UnitOfWork, actor: Actor) -> ProgramMetrics:
    """The same metrics over every program of the organisation at once (comparable colleagues: the
    participants' departments' employees who never enrolled in any program).

    - admins and integrations (``organisation_metrics_forbidden``);
    - every rate carries the size of its group; a rate over fewer than 5 is withheld (null).
    """
    policies.require(
        policies.can_read_organisation_metrics(actor),
        "organisation_metrics_forbidden",
        "Only admins and integrations read the organisation's metrics.",
    )
    async with uow:
        found = await uow.queries.program_metrics(None, uow.clock.now())
        assert found is not None  # the organisation always exists
        return found
