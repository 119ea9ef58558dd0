"""Role-turns: the ``turns`` view of a pair and the actions that change who leads.

Every action answers with the pair's whole turn state (``TurnsOut``) and the relationship's ETag,
so a client shows the new next leader without a second request.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.turns import PolicyProposalIn, TurnsOut
from app.domain.turn_policies import TurnPolicy
from app.services import turns as service
from app.services.turns import TurnsView

router = api_router(tags=["role-turns"])
IfMatch = Annotated[int | None, Depends(expected_version)]
ONE = "/relationships/{relationship_id}"
POLICY = ONE + "/turn-policy"
SWAP = ONE + "/swaps/{swap_id}"
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}
CREATED = {201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _turns(turns: TurnsView, status: int = 200) -> JSONResponse:
    location = f"/api/v1/relationships/{turns.relationship.id}/turns" if status == 201 else None
    return resource(TurnsOut.of(turns), version=turns.relationship.version, status=status, location=location)


@router.get(
    ONE + "/turns",
    response_model=TurnsOut,
    summary="Who leads the next meeting, the ledger and the balance",
    description=service.get_turns.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_turns(relationship_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _turns(await service.get_turns(uow, actor, relationship_id=relationship_id))


@router.post(
    POLICY,
    status_code=201,
    response_model=TurnsOut,
    summary="Propose a different role-turn policy",
    description=service.propose_policy.__doc__,
    responses=CREATED,
)
async def propose_turn_policy(
    relationship_id: UUID,
    body: PolicyProposalIn,
    actor: ActorDep,
    uow: UowDep,
    if_match: IfMatch,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    async def create() -> JSONResponse:
        turns = await service.propose_policy(
            uow,
            actor,
            relationship_id=relationship_id,
            policy=TurnPolicy.parse(body.policy),
            expected_version=if_match,
        )
        return _turns(turns, 201)

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.post(
    POLICY + "/accept",
    response_model=TurnsOut,
    summary="Accept the proposed role-turn policy",
    description=service.accept_policy.__doc__,
    responses=STATE_CHANGE,
)
async def accept_turn_policy(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _turns(await service.accept_policy(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    POLICY + "/decline",
    response_model=TurnsOut,
    summary="Decline the proposed role-turn policy",
    description=service.decline_policy.__doc__,
    responses=STATE_CHANGE,
)
async def decline_turn_policy(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _turns(await service.decline_policy(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    POLICY + "/withdraw",
    response_model=TurnsOut,
    summary="Withdraw your role-turn policy proposal",
    description=service.withdraw_policy.__doc__,
    responses=STATE_CHANGE,
)
async def withdraw_turn_policy(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _turns(await service.withdraw_policy(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/ready",
    response_model=TurnsOut,
    summary="Declare ready to lead (junior, senior_first)",
    description=service.declare_ready.__doc__,
    responses=STATE_CHANGE,
)
async def declare_ready(relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _turns(await service.declare_ready(uow, actor, relationship_id=relationship_id, expected_version=if_match))


@router.post(
    ONE + "/swaps",
    status_code=201,
    response_model=TurnsOut,
    summary="Ask your partner to swap roles for the next turn",
    description=service.request_swap.__doc__,
    responses=CREATED,
)
async def request_swap(
    relationship_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        turns = await service.request_swap(uow, actor, relationship_id=relationship_id, expected_version=if_match)
        return _turns(turns, 201)

    return await idempotency.run({}, create)


@router.post(
    SWAP + "/accept",
    response_model=TurnsOut,
    summary="Accept a swap request",
    description=service.accept_swap.__doc__,
    responses=STATE_CHANGE,
)
async def accept_swap(
    relationship_id: UUID, swap_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    return _turns(
        await service.accept_swap(
            uow, actor, relationship_id=relationship_id, swap_id=swap_id, expected_version=if_match
        )
    )


@router.post(
    SWAP + "/decline",
    response_model=TurnsOut,
    summary="Decline a swap request",
    description=service.decline_swap.__doc__,
    responses=STATE_CHANGE,
)
async def decline_swap(
    relationship_id: UUID, swap_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    return _turns(
        await service.decline_swap(
            uow, actor, relationship_id=relationship_id, swap_id=swap_id, expected_version=if_match
        )
    )


@router.post(
    SWAP + "/withdraw",
    response_model=TurnsOut,
    summary="Withdraw your swap request",
    description=service.withdraw_swap.__doc__,
    responses=STATE_CHANGE,
)
async def withdraw_swap(
    relationship_id: UUID, swap_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    return _turns(
        await service.withdraw_swap(
            uow, actor, relationship_id=relationship_id, swap_id=swap_id, expected_version=if_match
        )
    )
