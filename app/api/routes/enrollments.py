from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import JSONResponse

from app.api.changes import given
from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.enrollments import EnrollmentCreate, EnrollmentList, EnrollmentOut, EnrollmentUpdate, WithdrawIn
from app.domain.enrollments import EnrollmentStatus, ProfileChanges
from app.services import enrollments as service

router = api_router(tags=["enrollments"])
IfMatch = Annotated[int | None, Depends(expected_version)]
BASE = "/programs/{program_id}/enrollments"
ONE = BASE + "/{enrollment_id}"
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


@router.post(
    BASE,
    status_code=201,
    response_model=EnrollmentOut,
    summary="Enrol yourself in a program",
    description=service.enrol.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def enrol(
    program_id: UUID, body: EnrollmentCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        enrollment = await service.enrol(
            uow, actor, program_id=program_id, person_id=body.person_id, profile=body.profile()
        )
        return resource(
            EnrollmentOut.of(enrollment),
            version=enrollment.version,
            status=201,
            location=f"/api/v1/programs/{program_id}/enrollments/{enrollment.id}",
        )

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    BASE,
    response_model=EnrollmentList,
    summary="List a program's enrollments",
    description=service.list_enrollments.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_enrollments(
    program_id: UUID,
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    status: Annotated[list[EnrollmentStatus] | None, Query(description="Repeat to filter by several statuses.")] = None,
) -> EnrollmentList:
    result = await service.list_enrollments(
        uow, actor, program_id=program_id, statuses=frozenset(status or ()), page=page
    )
    return EnrollmentList(
        items=[EnrollmentOut.of(e) for e in result.items], next_cursor=encode_cursor(result.next_after)
    )


@router.get(
    "/me/enrollments",
    response_model=EnrollmentList,
    summary="List my enrollments",
    description=service.my_enrollments.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def my_enrollments(actor: ActorDep, uow: UowDep, page: PageDep) -> EnrollmentList:
    result = await service.my_enrollments(uow, actor, page=page)
    return EnrollmentList(
        items=[EnrollmentOut.of(e) for e in result.items], next_cursor=encode_cursor(result.next_after)
    )


@router.get(
    ONE,
    response_model=EnrollmentOut,
    summary="Get an enrollment",
    description=service.get_enrollment.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_enrollment(program_id: UUID, enrollment_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    enrollment = await service.get_enrollment(uow, actor, program_id=program_id, enrollment_id=enrollment_id)
    return resource(EnrollmentOut.of(enrollment), version=enrollment.version)


@router.patch(
    ONE,
    response_model=EnrollmentOut,
    summary="Edit my enrollment profile",
    description=service.update_profile.__doc__,
    responses=STATE_CHANGE,
)
async def update_enrollment(
    program_id: UUID, enrollment_id: UUID, body: EnrollmentUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    enrollment = await service.update_profile(
        uow,
        actor,
        program_id=program_id,
        enrollment_id=enrollment_id,
        changes=ProfileChanges(
            role_preference=given(body.role_preference),
            motivation=given(body.motivation),
            skills_offered=given(body.skills_offered),
            skills_wanted=given(body.skills_wanted),
            interests=given(body.interests),
            meeting_modes=given(body.meeting_modes),
            availability=given(body.availability),
        ),
        expected_version=if_match,
    )
    return resource(EnrollmentOut.of(enrollment), version=enrollment.version)


@router.post(
    ONE + "/approve",
    response_model=EnrollmentOut,
    summary="Approve an application",
    description=service.approve.__doc__,
    responses=STATE_CHANGE,
)
async def approve_enrollment(
    program_id: UUID, enrollment_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    enrollment = await service.approve(
        uow, actor, program_id=program_id, enrollment_id=enrollment_id, expected_version=if_match
    )
    return resource(EnrollmentOut.of(enrollment), version=enrollment.version)


@router.post(
    ONE + "/training-completion",
    response_model=EnrollmentOut,
    summary="Record training completion",
    description=service.record_training.__doc__,
    responses=STATE_CHANGE,
)
async def record_training(
    program_id: UUID, enrollment_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    enrollment = await service.record_training(
        uow, actor, program_id=program_id, enrollment_id=enrollment_id, expected_version=if_match
    )
    return resource(EnrollmentOut.of(enrollment), version=enrollment.version)


@router.post(
    ONE + "/withdraw",
    response_model=EnrollmentOut,
    summary="Withdraw an enrollment",
    description=service.withdraw.__doc__,
    responses=STATE_CHANGE,
)
async def withdraw_enrollment(
    program_id: UUID, enrollment_id: UUID, body: WithdrawIn, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    enrollment = await service.withdraw(
        uow, actor, program_id=program_id, enrollment_id=enrollment_id, reason=body.reason, expected_version=if_match
    )
    return resource(EnrollmentOut.of(enrollment), version=enrollment.version)
