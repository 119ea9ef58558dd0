from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, ContainerDep, UowDep, request_transaction
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.matching import (
    MatchingRunCreate,
    MatchingRunList,
    MatchingRunOut,
    ProposalList,
    ProposalOut,
    RunComparisonOut,
    RunFiguresOut,
    UnmatchedList,
    UnmatchedOut,
)
from app.domain.ports import UnitOfWork
from app.services import matching_run_reads as reads
from app.services import matching_runs as service

router = api_router(tags=["matching"])
IfMatch = Annotated[int | None, Depends(expected_version)]


@router.post(
    "/programs/{program_id}/matching-runs",
    status_code=201,
    response_model=MatchingRunOut,
    summary="Start a matching run",
    description=service.start_run.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def start_matching_run(
    program_id: UUID,
    body: MatchingRunCreate,
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    container: ContainerDep,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    def joined() -> UnitOfWork:  # a small pool is solved inside this request's transaction
        return container.uow(transaction=request_transaction(request))

    async def create() -> JSONResponse:
        run = await service.start_run(
            uow,
            actor,
            program_id=program_id,
            pins=body.pin_pairs(),
            forbids=body.forbid_pairs(),
            based_on=body.based_on,
            dry_run=body.dry_run.overrides() if body.dry_run is not None else None,
        )
        if run.pool_size <= service.INLINE_POOL_LIMIT:
            await service.execute_run(joined, run.id)
            run = await reads.get_run(joined(), actor, run_id=run.id)
        # else: the run's job (enqueued with it) solves it in a worker; poll the run
        return resource(
            MatchingRunOut.of(run), version=run.version, status=201, location=f"/api/v1/matching-runs/{run.id}"
        )

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs/{program_id}/matching-runs",
    response_model=MatchingRunList,
    summary="List a program's matching runs",
    description=reads.list_runs.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_matching_runs(program_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> MatchingRunList:
    result = await reads.list_runs(uow, actor, program_id=program_id, page=page)
    return MatchingRunList(
        items=[MatchingRunOut.of(r) for r in result.items], next_cursor=encode_cursor(result.next_after)
    )


@router.get(
    "/matching-runs/{run_id}",
    response_model=MatchingRunOut,
    summary="Get a matching run (status, progress, figures)",
    description=reads.get_run.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_matching_run(run_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    run = await reads.get_run(uow, actor, run_id=run_id)
    return resource(MatchingRunOut.of(run), version=run.version)


@router.get(
    "/matching-runs/{run_id}/comparison",
    response_model=RunComparisonOut,
    summary="Compare a run (e.g. a dry run) with the program's current run",
    description=reads.compare_run.__doc__,
    responses=problem_responses(401, 404),
)
async def compare_matching_run(run_id: UUID, actor: ActorDep, uow: UowDep) -> RunComparisonOut:
    run, current = await reads.compare_run(uow, actor, run_id=run_id)
    return RunComparisonOut(run=RunFiguresOut.of(run), current=RunFiguresOut.of(current))


@router.get(
    "/matching-runs/{run_id}/proposals",
    response_model=ProposalList,
    summary="Review a run's proposed pairs with their explanations",
    description=reads.run_proposals.__doc__,
    responses=problem_responses(401, 404, 422),
)
async def list_matching_proposals(run_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> ProposalList:
    result = await reads.run_proposals(uow, actor, run_id=run_id, page=page)
    return ProposalList(items=[ProposalOut.of(p) for p in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/matching-runs/{run_id}/unmatched",
    response_model=UnmatchedList,
    summary="Who stayed unmatched in a run, and why",
    description=reads.run_unmatched.__doc__,
    responses=problem_responses(401, 404, 422),
)
async def list_matching_unmatched(run_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> UnmatchedList:
    result = await reads.run_unmatched(uow, actor, run_id=run_id, page=page)
    return UnmatchedList(items=[UnmatchedOut.of(u) for u in result.items], next_cursor=encode_cursor(result.next_after))


@router.post(
    "/matching-runs/{run_id}/publish",
    response_model=MatchingRunOut,
    summary="Publish a run: its proposals become relationships",
    description=service.publish_run.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def publish_matching_run(run_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    run = await service.publish_run(uow, actor, run_id=run_id, expected_version=if_match)
    return resource(MatchingRunOut.of(run), version=run.version)
