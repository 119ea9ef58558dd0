from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.enums import HealthStatus, RelationshipStatus
from app.api.schemas.relationships import (
    AgreementUpdate,
    EndIn,
    RelationshipCreate,
    RelationshipList,
    RelationshipOut,
)
from app.services import pairing
from app.services import relationships as service
from app.services.pairs import RelationshipView

router = api_router(tags=["relationships"])
IfMatch = Annotated[int | None, Depends(expected_version)]
ONE = "/relationships/{relationship_id}"
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _one(found: RelationshipView, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(RelationshipOut.of(found), version=found.relationship.version, status=status, location=location)


@router.post(
    "/relationships",
    status_code=201,
    response_model=RelationshipOut,
    summary="Pair two enrollments by hand",
    description=pairing.create_relationship.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def create_relationship(
    body: RelationshipCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        first, second = body.enrollment_ids
        found = await pairing.create_relationship(
            uow,
            actor,
            program_id=body.program_id,
            enrollment_ids=(first, second),
            designated_mentor_id=body.designated_mentor_id,
        )
        return _one(found, 201, f"/api/v1/relationships/{found.relationship.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/relationships",
    response_model=RelationshipList,
    summary="List relationships",
    description=service.list_relationships.__doc__,
    responses=problem_responses(401, 422),
)
async def list_relationships(
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    program_id: UUID | None = None,
    status: Annotated[
        list[RelationshipStatus] | None, Query(description="Repeat to filter by several statuses.")
    ] = None,
    health: Annotated[HealthStatus | None, Query(description="e.g. `at_risk`: who needs help now.")] = None,
    person_id: Annotated[UUID | None, Query(description="Relationships this person is a member of.")] = None,
) -> RelationshipList:
    result = await service.list_relationships(
        uow,
        actor,
        program_id=program_id,
        statuses=frozenset(status or ()),
        person_id=person_id,
        health=health,
        page=page,
    )
    return RelationshipList(
        items=[RelationshipOut.of(r) for r in result.items], next_cursor=encode_cursor(result.next_after)
    )


@router.get(
    ONE,
    response_model=RelationshipOut,
    summary="Get a relationship",
    description=service.get_relationship.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _one(await service.get_relationship(uow, actor, relationship_id=relationship_id))


@router.post(
    ONE + "/accept",
    response_model=RelationshipOut,
    summary="Accept a proposed relationship",
    description=service.accept.__doc__,
    responses=STATE_CHANGE,
)
async def accept_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.accept(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/decline",
    response_model=RelationshipOut,
    summary="Decline a proposed relationship",
    description=service.decline.__doc__,
    responses=STATE_CHANGE,
)
async def decline_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.decline(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/pause",
    response_model=RelationshipOut,
    summary="Pause a relationship",
    description=service.pause.__doc__,
    responses=STATE_CHANGE,
)
async def pause_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.pause(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/resume",
    response_model=RelationshipOut,
    summary="Resume a paused relationship",
    description=service.resume.__doc__,
    responses=STATE_CHANGE,
)
async def resume_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.resume(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/complete",
    response_model=RelationshipOut,
    summary="Complete a relationship",
    description=service.complete.__doc__,
    responses=STATE_CHANGE,
)
async def complete_relationship(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.complete(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/end",
    response_model=RelationshipOut,
    summary="End a relationship early",
    description=service.end.__doc__,
    responses=STATE_CHANGE,
)
async def end_relationship(
    relationship_id: UUID, body: EndIn, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    return _one(
        await service.end(uow, actor, relationship_id=relationship_id, reason=body.reason, expected_version=if_match)
    )


@router.patch(
    ONE + "/agreement",
    response_model=RelationshipOut,
    summary="Edit the pair's agreement",
    description=service.update_agreement.__doc__,
    responses=STATE_CHANGE,
)
async def update_agreement(
    relationship_id: UUID, body: AgreementUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    return _one(
        await service.update_agreement(
            uow,
            actor,
            relationship_id=relationship_id,
            shared_goals=body.shared_goals,
            cadence_days=body.cadence_days,
            boundaries=body.boundaries,
            channels=body.channels,
            expected_version=if_match,
        )
    )
