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
from app.api.schemas.enums import MeetingStatus
from app.api.schemas.meetings import (
    HeldIn,
    MeetingCreate,
    MeetingList,
    MeetingOut,
    MeetingUpdate,
    ReflectionIn,
    ReflectionOut,
    ResourceIn,
)
from app.domain.meetings import Meeting
from app.services import meetings as service

router = api_router(tags=["meetings"])
IfMatch = Annotated[int | None, Depends(expected_version)]
ONE = "/meetings/{meeting_id}"
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _one(meeting: Meeting, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(MeetingOut.of(meeting), version=meeting.version, status=status, location=location)


@router.post(
    "/relationships/{relationship_id}/meetings",
    status_code=201,
    response_model=MeetingOut,
    summary="Schedule a meeting",
    description=service.schedule.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def schedule_meeting(
    relationship_id: UUID, body: MeetingCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        meeting = await service.schedule(
            uow,
            actor,
            relationship_id=relationship_id,
            starts_at=body.starts_at,
            duration_minutes=body.duration_minutes,
            mode=body.mode.value,  # the contract names one set of modes; the domain takes its values
            agenda=body.agenda,
        )
        return _one(meeting, 201, f"/api/v1/meetings/{meeting.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/relationships/{relationship_id}/meetings",
    response_model=MeetingList,
    summary="List a pair's meetings",
    description=service.list_meetings.__doc__,
    responses=problem_responses(401, 404, 422),
)
async def list_meetings(
    relationship_id: UUID,
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    status: Annotated[list[MeetingStatus] | None, Query(description="Repeat to filter by several statuses.")] = None,
) -> MeetingList:
    result = await service.list_meetings(
        uow, actor, relationship_id=relationship_id, statuses=frozenset(status or ()), page=page
    )
    return MeetingList(items=[MeetingOut.of(m) for m in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    ONE,
    response_model=MeetingOut,
    summary="Get a meeting",
    description=service.get_meeting.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_meeting(meeting_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _one(await service.get_meeting(uow, actor, meeting_id=meeting_id))


@router.patch(
    ONE,
    response_model=MeetingOut,
    summary="Edit the agenda or shared notes, or move a meeting",
    description=service.update_meeting.__doc__,
    responses=STATE_CHANGE,
)
async def update_meeting(
    meeting_id: UUID, body: MeetingUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    meeting = await service.update_meeting(
        uow,
        actor,
        meeting_id=meeting_id,
        agenda=body.agenda,
        shared_notes=body.shared_notes,
        starts_at=body.starts_at,
        duration_minutes=body.duration_minutes,
        expected_version=if_match,
    )
    return _one(meeting)


@router.post(
    ONE + "/cancel",
    response_model=MeetingOut,
    summary="Cancel a meeting",
    description=service.cancel.__doc__,
    responses=STATE_CHANGE,
)
async def cancel_meeting(meeting_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.cancel(uow, actor, meeting_id=meeting_id, expected_version=if_match))


@router.post(
    ONE + "/held",
    response_model=MeetingOut,
    summary="Mark a meeting held",
    description=service.mark_held.__doc__,
    responses=STATE_CHANGE,
)
async def mark_meeting_held(
    meeting_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch, body: HeldIn | None = None
) -> JSONResponse:
    led_by = body.led_by if body is not None else None
    return _one(await service.mark_held(uow, actor, meeting_id=meeting_id, led_by=led_by, expected_version=if_match))


@router.post(
    ONE + "/missed",
    response_model=MeetingOut,
    summary="Mark a meeting missed",
    description=service.mark_missed.__doc__,
    responses=STATE_CHANGE,
)
async def mark_meeting_missed(meeting_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.mark_missed(uow, actor, meeting_id=meeting_id, expected_version=if_match))


@router.post(
    ONE + "/resources",
    status_code=201,
    response_model=MeetingOut,
    summary="Suggest a resource (an expert or material)",
    description=service.add_resource.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def add_meeting_resource(
    meeting_id: UUID, body: ResourceIn, actor: ActorDep, uow: UowDep, if_match: IfMatch, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        meeting = await service.add_resource(
            uow, actor, meeting_id=meeting_id, title=body.title, url=body.url, kind=body.kind, expected_version=if_match
        )
        return _one(meeting, 201, f"/api/v1/meetings/{meeting.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.put(
    ONE + "/reflection",
    response_model=ReflectionOut,
    summary="Write your private reflection",
    description=service.put_reflection.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def put_reflection(
    meeting_id: UUID, body: ReflectionIn, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    reflection = await service.put_reflection(
        uow, actor, meeting_id=meeting_id, text=body.text, expected_version=if_match
    )
    return resource(ReflectionOut.of(meeting_id, reflection), version=reflection.version)


@router.get(
    ONE + "/reflection",
    response_model=ReflectionOut,
    summary="Read your private reflection",
    description=service.get_reflection.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_reflection(meeting_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    reflection = await service.get_reflection(uow, actor, meeting_id=meeting_id)
    return resource(ReflectionOut.of(meeting_id, reflection), version=reflection.version)
