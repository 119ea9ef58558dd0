from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.responses import JSONResponse

from app.api.changes import given, sent
from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.programs import (
    CommentIn,
    CommentList,
    CommentOut,
    InvitationIn,
    InvitationList,
    InvitationOut,
    ObjectiveIn,
    ObjectiveOut,
    ProgramCreate,
    ProgramList,
    ProgramOut,
    ProgramUpdate,
    ReviewIn,
    ReviewList,
    ReviewOut,
    TransitionIn,
)
from app.domain.ports import ProgramFilter
from app.domain.programs import TRANSITIONS, ObjectiveDraft, ProgramChanges, ProgramDraft, ProgramKind, ProgramStatus
from app.services import programs as service

router = api_router(tags=["programs"])
IfMatch = Annotated[int | None, Depends(expected_version)]


def _legal_moves() -> str:
    """The lifecycle as the domain defines it, for the operation's description."""
    moves = []
    for status in ProgramStatus:
        targets = [to.value for to in ProgramStatus if to in TRANSITIONS[status]]
        if targets:
            moves.append(f"{status.value} → {' | '.join(targets)}")
    return "; ".join(moves)


def _objective(item: ObjectiveIn) -> ObjectiveDraft:
    return ObjectiveDraft(
        id=item.id, metric=item.metric, target=item.target, unit=item.unit, description=item.description
    )


def _created(model: CommentOut | ReviewOut | InvitationOut, location: str) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=201, headers={"Location": location})


@router.post(
    "/programs",
    status_code=201,
    response_model=ProgramOut,
    summary="Propose a program",
    description=service.create_program.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 409, 422)},
)
async def create_program(
    body: ProgramCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        draft = ProgramDraft(
            name=body.name,
            description=body.description,
            focus_areas=body.focus_areas,
            objectives=[_objective(o) for o in body.objectives],
            cycle_start=body.cycle_start,
            cycle_end=body.cycle_end,
            cadence_days=body.cadence_days,
            checkin_after_meeting=body.checkin_after_meeting,
            checkin_every_days=body.checkin_every_days,
            role_turn_policy=body.role_turn_policy,
            training_required=body.training_required,
            matching_rules=body.matching_rules.model_dump(),
            pilot_capacity=body.pilot_capacity,
            max_relationships_per_person=body.max_relationships_per_person,
            guidelines=body.guidelines,
            incentives=body.incentives,
            coordinator_ids=body.coordinator_ids,
            committee_member_ids=body.committee_member_ids,
        )
        program = await service.create_program(uow, actor, kind=body.kind, draft=draft)
        return resource(
            ProgramOut.of(program), version=program.version, status=201, location=f"/api/v1/programs/{program.id}"
        )

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs",
    response_model=ProgramList,
    summary="List programs",
    description=service.list_programs.__doc__,
    responses=problem_responses(401, 422),
)
async def list_programs(
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    status: ProgramStatus | None = None,
    kind: ProgramKind | None = None,
    coordinator_id: UUID | None = None,
) -> ProgramList:
    flt = ProgramFilter(status=status, kind=kind, coordinator_id=coordinator_id)
    result = await service.list_programs(uow, actor, flt=flt, page=page)
    return ProgramList(items=[ProgramOut.of(p) for p in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    "/programs/{program_id}",
    response_model=ProgramOut,
    summary="Get a program",
    description=service.get_program.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_program(program_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    program = await service.get_program(uow, actor, program_id=program_id)
    return resource(ProgramOut.of(program), version=program.version)


@router.patch(
    "/programs/{program_id}",
    response_model=ProgramOut,
    summary="Update a program",
    description=service.update_program.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def update_program(
    program_id: UUID, body: ProgramUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    changes = ProgramChanges(
        name=given(body.name),
        description=given(body.description),
        focus_areas=given(body.focus_areas),
        objectives=given(None if body.objectives is None else [_objective(o) for o in body.objectives]),
        cycle_start=sent(body, "cycle_start", body.cycle_start),
        cycle_end=sent(body, "cycle_end", body.cycle_end),
        cadence_days=given(body.cadence_days),
        checkin_after_meeting=given(body.checkin_after_meeting),
        checkin_every_days=given(body.checkin_every_days),
        role_turn_policy=given(body.role_turn_policy),
        training_required=given(body.training_required),
        matching_rules=given(None if body.matching_rules is None else body.matching_rules.model_dump()),
        pilot_capacity=sent(body, "pilot_capacity", body.pilot_capacity),
        max_relationships_per_person=given(body.max_relationships_per_person),
        guidelines=given(body.guidelines),
        incentives=given(body.incentives),
        coordinator_ids=given(body.coordinator_ids),
        committee_member_ids=given(body.committee_member_ids),
    )
    program = await service.update_program(
        uow, actor, program_id=program_id, changes=changes, expected_version=if_match
    )
    return resource(ProgramOut.of(program), version=program.version)


@router.post(
    "/programs/{program_id}/transitions",
    response_model=ProgramOut,
    summary="Move a program along its lifecycle",
    description=(service.transition_program.__doc__ or "") + f"\n\nLegal moves: {_legal_moves()}.",
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def transition_program(
    program_id: UUID, body: TransitionIn, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    program = await service.transition_program(uow, actor, program_id=program_id, to=body.to, expected_version=if_match)
    return resource(ProgramOut.of(program), version=program.version)


@router.get(
    "/programs/{program_id}/objectives",
    response_model=list[ObjectiveOut],
    summary="List a program's objectives",
    description="The program's measurable objectives (metric, target, unit); every employee may read them.",
    responses=problem_responses(401, 404),
)
async def list_objectives(program_id: UUID, actor: ActorDep, uow: UowDep) -> list[ObjectiveOut]:
    program = await service.get_program(uow, actor, program_id=program_id)
    return [ObjectiveOut.model_validate(o) for o in program.objectives]


@router.post(
    "/programs/{program_id}/comments",
    status_code=201,
    response_model=CommentOut,
    summary="Comment on a draft program",
    description=service.comment_on_proposal.__doc__,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def comment_on_proposal(
    program_id: UUID, body: CommentIn, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        comment = await service.comment_on_proposal(uow, actor, program_id=program_id, body=body.body)
        return _created(CommentOut.of(comment), f"/api/v1/programs/{program_id}/comments/{comment.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs/{program_id}/comments",
    response_model=CommentList,
    summary="List comments on a program proposal",
    description=service.list_comments.__doc__,
    responses=problem_responses(401, 404, 422),
)
async def list_comments(program_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> CommentList:
    result = await service.list_comments(uow, actor, program_id=program_id, page=page)
    return CommentList(items=[CommentOut.of(c) for c in result.items], next_cursor=encode_cursor(result.next_after))


@router.post(
    "/programs/{program_id}/reviews",
    status_code=201,
    response_model=ReviewOut,
    summary="Review a draft program (advisory committee)",
    description=service.review_proposal.__doc__,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def review_proposal(
    program_id: UUID, body: ReviewIn, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        review = await service.review_proposal(uow, actor, program_id=program_id, verdict=body.verdict, body=body.body)
        return _created(ReviewOut.of(review), f"/api/v1/programs/{program_id}/reviews/{review.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs/{program_id}/reviews",
    response_model=ReviewList,
    summary="List committee reviews of a program",
    description=service.list_reviews.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_reviews(program_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> ReviewList:
    result = await service.list_reviews(uow, actor, program_id=program_id, page=page)
    return ReviewList(items=[ReviewOut.of(r) for r in result.items], next_cursor=encode_cursor(result.next_after))


@router.post(
    "/programs/{program_id}/invitations",
    status_code=201,
    response_model=InvitationOut,
    summary="Invite a person to apply",
    description=service.invite.__doc__,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def invite(
    program_id: UUID, body: InvitationIn, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        invitation = await service.invite(
            uow, actor, program_id=program_id, person_id=body.person_id, message=body.message
        )
        return _created(
            InvitationOut.model_validate(invitation), f"/api/v1/programs/{program_id}/invitations/{invitation.id}"
        )

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/programs/{program_id}/invitations",
    response_model=InvitationList,
    summary="List invitations of a program",
    description=service.list_invitations.__doc__,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_invitations(program_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> InvitationList:
    result = await service.list_invitations(uow, actor, program_id=program_id, page=page)
    return InvitationList(
        items=[InvitationOut.model_validate(i) for i in result.items], next_cursor=encode_cursor(result.next_after)
    )
