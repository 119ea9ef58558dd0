from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends
from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.goals import GoalCreate, GoalList, GoalOut, GoalUpdate, ProgressIn
from app.domain.goals import LearningGoal
from app.services import goals as service

router = api_router(tags=["goals"])
IfMatch = Annotated[int | None, Depends(expected_version)]
ONE = "/goals/{goal_id}"
STATE_CHANGE = {200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)}


def _one(goal: LearningGoal, status: int = 200, location: str | None = None) -> JSONResponse:
    return resource(GoalOut.of(goal), version=goal.version, status=status, location=location)


@router.post(
    "/relationships/{relationship_id}/goals",
    status_code=201,
    response_model=GoalOut,
    summary="Set a learning goal",
    description=service.create_goal.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 422)},
)
async def create_goal(
    relationship_id: UUID, body: GoalCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep
) -> JSONResponse:
    async def create() -> JSONResponse:
        goal = await service.create_goal(
            uow,
            actor,
            relationship_id=relationship_id,
            title=body.title,
            success_criteria=body.success_criteria,
            owner_id=body.owner_id,
            target_date=body.target_date,
            objective_id=body.objective_id,
        )
        return _one(goal, 201, f"/api/v1/goals/{goal.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/relationships/{relationship_id}/goals",
    response_model=GoalList,
    summary="List a pair's learning goals",
    description=service.list_goals.__doc__,
    responses=problem_responses(401, 404, 422),
)
async def list_goals(relationship_id: UUID, actor: ActorDep, uow: UowDep, page: PageDep) -> GoalList:
    result = await service.list_goals(uow, actor, relationship_id=relationship_id, page=page)
    return GoalList(items=[GoalOut.of(g) for g in result.items], next_cursor=encode_cursor(result.next_after))


@router.get(
    ONE,
    response_model=GoalOut,
    summary="Get a learning goal",
    description=service.get_goal.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_goal(goal_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    return _one(await service.get_goal(uow, actor, goal_id=goal_id))


@router.patch(
    ONE,
    response_model=GoalOut,
    summary="Revise a learning goal",
    description=service.revise_goal.__doc__,
    responses=STATE_CHANGE,
)
async def revise_goal(goal_id: UUID, body: GoalUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    goal = await service.revise_goal(
        uow,
        actor,
        goal_id=goal_id,
        title=body.title,
        success_criteria=body.success_criteria,
        target_date=body.target_date,
        expected_version=if_match,
    )
    return _one(goal)


@router.post(
    ONE + "/progress",
    response_model=GoalOut,
    summary="Log progress on a learning goal",
    description=service.record_progress.__doc__,
    responses=STATE_CHANGE,
)
async def record_goal_progress(
    goal_id: UUID, body: ProgressIn, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    goal = await service.record_progress(
        uow, actor, goal_id=goal_id, note=body.note, percent=body.percent, expected_version=if_match
    )
    return _one(goal)


@router.post(
    ONE + "/start",
    response_model=GoalOut,
    summary="Start working on a learning goal",
    description=service.start_goal.__doc__,
    responses=STATE_CHANGE,
)
async def start_goal(goal_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.start_goal(uow, actor, goal_id=goal_id, expected_version=if_match))


@router.post(
    ONE + "/achieve",
    response_model=GoalOut,
    summary="Mark a learning goal achieved",
    description=service.achieve_goal.__doc__,
    responses=STATE_CHANGE,
)
async def achieve_goal(goal_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.achieve_goal(uow, actor, goal_id=goal_id, expected_version=if_match))


@router.post(
    ONE + "/drop",
    response_model=GoalOut,
    summary="Drop a learning goal",
    description=service.drop_goal.__doc__,
    responses=STATE_CHANGE,
)
async def drop_goal(goal_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    return _one(await service.drop_goal(uow, actor, goal_id=goal_id, expected_version=if_match))
